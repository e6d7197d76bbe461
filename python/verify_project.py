"""Verification checks for a WorkOS AuthKit integration, run by authkit-django.

This file runs inside the Django project's own interpreter (so it sees the packages,
settings and URL configuration the project really has), from the folder that holds
manage.py, with DJANGO_SETTINGS_MODULE set by the caller. It uses only the standard
library, Django and the workos SDK, never calls WorkOS or anything else over the
network (it opens only the project's own database, to look for the sessions table),
writes nothing into the project, and prints exactly one JSON object on stdout:

    {"version": 1, "python": ..., "checks": [{"id", "status", "message", ...}], "dashboard": ...}

Each check runs on its own: a check that crashes is reported as that check failing,
and the others still run. Secrets (the API key, SECRET_KEY, database passwords) are
masked before anything is printed.

Usage: python verify_project.py [--site-url http://localhost:8000]
"""

# Catching every exception is this file's job: project code may raise anything, and
# each check must report it instead of stopping the others.
# ruff: noqa: BLE001, S112

import argparse
import importlib
import io
import json
import os
import re
import socket
import sys
import traceback

SCHEMA_VERSION = 1
DEFAULT_SITE_URL = "http://localhost:8000"
DEFAULT_WORKOS_BASE_URL = "https://api.workos.com"
URL_NAMES = ("workos_login", "workos_callback", "workos_logout")
DB_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)
SIGNED_COOKIE_ENGINE = "django.contrib.sessions.backends.signed_cookies"
# The test client's default host; setup_test_environment() adds it to ALLOWED_HOSTS.
TEST_HOST = "testserver"

PASS, FAIL, WARN, SKIP = "pass", "fail", "warn", "skip"


def result(status, message, **extra):
    """One check's outcome; extra keys are detail, file, line and fix."""
    out = {"status": status, "message": message}
    for key, value in extra.items():
        if value is not None:
            out[key] = value
    return out


# --- where an error comes from -------------------------------------------------------


def _is_project_file(path, root):
    """True for the project's own files, not Django's, the SDK's or a virtualenv's."""
    if not path or path.startswith("<"):
        return False
    real = os.path.realpath(path)
    if real == os.path.realpath(__file__):
        return False
    if "site-packages" in real.split(os.sep) or "dist-packages" in real.split(os.sep):
        return False
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix}:
        if real.startswith(os.path.realpath(prefix) + os.sep):
            return False
    return real == root or real.startswith(root + os.sep)


def project_location(exc):
    """(file, line) of the last traceback frame inside the project, or (None, None).

    A SyntaxError names its file itself (the broken file never ran, so it has no frame).
    Django often re-raises import problems, so the chained exceptions are looked at too.
    """
    root = os.path.realpath(os.getcwd())
    seen = set()
    pending = [exc]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, SyntaxError) and _is_project_file(
            current.filename, root
        ):
            return os.path.realpath(current.filename), current.lineno
        for frame in reversed(traceback.extract_tb(current.__traceback__)):
            if _is_project_file(frame.filename, root):
                return os.path.realpath(frame.filename), frame.lineno
        pending.extend([current.__cause__, current.__context__])
    return None, None


def relative(path):
    try:
        rel = os.path.relpath(path, os.getcwd())
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def describe_exception(exc):
    # A SyntaxError's str() repeats the file and line, which the caller reports itself.
    text = (exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def failure_from_exception(prefix, exc, **extra):
    """A failing result that names the error and where in the project it was raised."""
    file, line = project_location(exc)
    where = f" ({relative(file)}:{line})" if file else ""
    return result(
        FAIL,
        f"{prefix}: {describe_exception(exc)}{where}",
        file=file,
        line=line,
        **extra,
    )


# --- secrets ---------------------------------------------------------------------------


def mask_key(value):
    """What may be shown of a credential: its well-known prefix, never its secret part."""
    if not isinstance(value, str) or not value:
        return "(absent)"
    for prefix in ("sk_test_", "sk_live_", "sk_", "client_"):
        if value.startswith(prefix):
            return prefix + "\u2026"
    return f"({len(value)} characters, no known prefix)"


SECRET_PATTERN = re.compile(r"sk_(?:test|live)_[A-Za-z0-9_\-]+")
SENSITIVE_ENV_NAME = re.compile(r"(KEY|SECRET|PASSWORD|PASSWD|TOKEN)", re.IGNORECASE)


class Secrets:
    """Values that must never reach the output, collected as they become known."""

    def __init__(self):
        self.values = {}

    def add_from_environment(self):
        # Read again just before printing: settings may have loaded .env into os.environ.
        for name, value in os.environ.items():
            if SENSITIVE_ENV_NAME.search(name):
                self.add(value, mask_key(value) if value.startswith("sk_") else None)

    def add(self, value, shown=None):
        # Very short values would mask ordinary words; they are not real secrets anyway.
        if isinstance(value, str) and len(value) >= 8:
            self.values[value] = shown or "[redacted]"

    def add_from_settings(self, settings):
        for name in ("WORKOS_API_KEY", "SECRET_KEY"):
            value = getattr(settings, name, None)
            self.add(value, mask_key(value) if name == "WORKOS_API_KEY" else None)
        for db in (getattr(settings, "DATABASES", None) or {}).values():
            if isinstance(db, dict):
                self.add(db.get("PASSWORD"))

    def scrub(self, data):
        if isinstance(data, str):
            # Longest first, so a secret that contains another is masked whole.
            for value in sorted(self.values, key=len, reverse=True):
                data = data.replace(value, self.values[value])
            return SECRET_PATTERN.sub(lambda m: mask_key(m.group(0)), data)
        if isinstance(data, dict):
            return {key: self.scrub(value) for key, value in data.items()}
        if isinstance(data, list):
            return [self.scrub(value) for value in data]
        return data


# --- no network ------------------------------------------------------------------------


class NetworkBlocked(Exception):
    pass


class NoNetwork:
    """Refuses connections to anything but this machine while project code runs for a
    check: the login view must build its URL without calling WorkOS, and a check must
    never reach the internet. Local databases and caches keep working."""

    LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "", None})

    def __enter__(self):
        self._connect = socket.socket.connect
        self._connect_ex = socket.socket.connect_ex
        self._getaddrinfo = socket.getaddrinfo
        guard = self

        def is_local(host):
            if host in guard.LOCAL_NAMES:
                return True
            return isinstance(host, str) and (
                host.startswith("127.") or host.endswith(".localhost")
            )

        def check_address(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(
                address[0]
            ):
                host, port = address[:2]
                raise NetworkBlocked(
                    f"a check tried to connect to {host}:{port}; verification never uses the network"
                )

        def connect(sock, address):
            check_address(sock, address)
            return guard._connect(sock, address)

        def connect_ex(sock, address):
            check_address(sock, address)
            return guard._connect_ex(sock, address)

        def getaddrinfo(host, *args, **kwargs):
            if not is_local(host):
                raise NetworkBlocked(
                    f"a check tried to look up {host}; verification never uses the network"
                )
            return guard._getaddrinfo(host, *args, **kwargs)

        socket.socket.connect = connect
        socket.socket.connect_ex = connect_ex
        socket.getaddrinfo = getaddrinfo
        return self

    def __exit__(self, *exc_info):
        socket.socket.connect = self._connect
        socket.socket.connect_ex = self._connect_ex
        socket.getaddrinfo = self._getaddrinfo
        return False


# --- the checks ------------------------------------------------------------------------


class Context:
    """What earlier checks learned and later ones need."""

    def __init__(self, site_url):
        self.site_url = site_url.rstrip("/")
        self.secrets = Secrets()
        self.django = None
        self.settings = None
        self.url_paths = {}
        self.test_environment = False


def distribution_version(name):
    try:
        from importlib import metadata
    except ImportError:  # Python < 3.8 has no importlib.metadata
        return None
    try:
        return metadata.version(name)
    except Exception:
        return None


def check_import_django(ctx):
    try:
        import django
    except ImportError as exc:
        return result(
            FAIL,
            f"Django is not importable by {sys.executable}: {describe_exception(exc)}",
            fix="use the interpreter of the project's virtualenv, or install Django into it",
        )
    ctx.django = django
    return result(
        PASS, f"Django {django.get_version()} is importable by {sys.executable}"
    )


def check_import_package(module, distribution):
    def check(ctx):
        try:
            importlib.import_module(module)
        except ImportError as exc:
            installed = distribution_version(distribution)
            why = (
                f"installed ({distribution} {installed}) but fails to import"
                if installed
                else "not installed"
            )
            return result(
                FAIL,
                f"{module} is {why} for {sys.executable}: {describe_exception(exc)}",
                fix=f"install {distribution} into the project's environment (the interpreter above)",
            )
        version = distribution_version(distribution) or "(version unknown)"
        return result(
            PASS, f"{distribution} {version} is importable by {sys.executable}"
        )

    return check


def settings_file(ctx):
    module = sys.modules.get(getattr(ctx.settings, "SETTINGS_MODULE", None) or "")
    path = getattr(module, "__file__", None)
    return os.path.realpath(path) if path else None


def check_settings(ctx):
    if ctx.django is None:
        return result(SKIP, "Django is not importable")
    module = os.environ.get("DJANGO_SETTINGS_MODULE")
    if not module:
        return result(
            FAIL, "DJANGO_SETTINGS_MODULE is not set, so the settings module is unknown"
        )
    # Imported by hand first so that a settings file that fails is told apart from an
    # app that fails while Django starts.
    try:
        settings_module = importlib.import_module(module)
    except BaseException as exc:  # settings files may even call sys.exit()
        if isinstance(exc, KeyboardInterrupt):
            raise
        return failure_from_exception(
            f"the settings module {module} does not import", exc
        )
    # Known before Django starts, so an error while starting cannot show them.
    ctx.secrets.add_from_settings(settings_module)
    from django.conf import settings

    try:
        ctx.django.setup()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return failure_from_exception(f"Django does not start with {module}", exc)
    ctx.settings = settings
    path = settings_file(ctx)
    where = f" ({relative(path)})" if path else ""
    return result(PASS, f"settings module {module} loads{where}", file=path)


def credential_check(setting, prefix, kind, wrong_kind_prefix, wrong_kind):
    def check(ctx):
        if ctx.settings is None:
            return result(SKIP, "settings did not load")
        where = settings_file(ctx)
        if not hasattr(ctx.settings, setting):
            return result(
                FAIL,
                f"settings.{setting} is not defined",
                file=where,
                fix=f'add {setting} = os.environ.get("{setting}", "") to the settings',
            )
        value = getattr(ctx.settings, setting)
        if not isinstance(value, str):
            return result(
                FAIL,
                f"settings.{setting} is a {type(value).__name__}, not a string",
                file=where,
            )
        if not value:
            return result(
                FAIL,
                f"settings.{setting} is empty: set {setting} in .env or the environment",
                file=where,
                fix=f"add {setting}={prefix}... (the {kind} from the WorkOS dashboard) to .env",
            )
        if value != value.strip():
            return result(
                FAIL,
                f"settings.{setting} has spaces or a line break around it",
                file=where,
            )
        if not value.startswith(prefix):
            hint = (
                f" (it looks like the {wrong_kind})"
                if value.startswith(wrong_kind_prefix)
                else ""
            )
            return result(
                FAIL,
                f"settings.{setting} does not start with {prefix}{hint}: it must be the {kind}",
                file=where,
                fix=f"copy the {kind} from the WorkOS dashboard into {setting} in .env",
            )
        shown = mask_key(value) if prefix == "sk_" else value
        return result(PASS, f"settings.{setting} is set ({shown})")

    return check


def check_sessions_setup(ctx):
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.utils.module_loading import import_string

    problems = []
    has_middleware = False
    for entry in getattr(ctx.settings, "MIDDLEWARE", None) or []:
        try:
            cls = import_string(entry)
        except Exception:
            continue
        if isinstance(cls, type) and issubclass(cls, SessionMiddleware):
            has_middleware = True
    if not has_middleware:
        problems.append(
            "django.contrib.sessions.middleware.SessionMiddleware is not in MIDDLEWARE"
        )
    from django.apps import apps

    engine = getattr(ctx.settings, "SESSION_ENGINE", "")
    if engine in DB_SESSION_ENGINES and not apps.is_installed(
        "django.contrib.sessions"
    ):
        problems.append(
            "django.contrib.sessions is not in INSTALLED_APPS (SESSION_ENGINE stores sessions in the database)"
        )
    if problems:
        return result(
            FAIL,
            "; ".join(problems)
            + ": the login view has nowhere to keep the state and the user",
            file=settings_file(ctx),
            fix="add the sessions app and SessionMiddleware to the settings",
        )
    return result(PASS, f"sessions are enabled ({engine})")


def check_django_check(ctx):
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    output = io.StringIO()
    try:
        call_command("check", no_color=True, stdout=output, stderr=output)
    except SystemCheckError as exc:
        return check_errors_result(exc, output)
    except Exception as exc:
        # The checks import the URL configuration and every app: their errors are the
        # project's, not a bug of this check.
        return failure_from_exception("python manage.py check could not run", exc)
    text = output.getvalue().strip()
    if "identified some issues" in text or "WARNINGS:" in text:
        return result(WARN, "python manage.py check reports warnings", detail=text)
    return result(PASS, "python manage.py check: no issues")


def check_errors_result(exc, output):
    """Django's own report, with its first error line in the message."""
    text = "\n".join(
        part for part in (str(exc).strip(), output.getvalue().strip()) if part
    )
    first = next(
        (
            ln.strip()
            for ln in text.splitlines()
            if re.search(r": \(\w+\.[EW]\d+\)", ln)
        ),
        "",
    )
    return result(
        FAIL,
        "python manage.py check reports errors" + (f": {first}" if first else ""),
        detail=text,
        fix="fix the errors Django lists",
    )


def check_url_names(ctx):
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    from django.urls import NoReverseMatch, reverse

    missing = []
    urlconf = getattr(ctx.settings, "ROOT_URLCONF", None)
    for name in URL_NAMES:
        try:
            ctx.url_paths[name] = reverse(name)
        except NoReverseMatch:
            missing.append(name)
        except Exception as exc:
            return failure_from_exception(
                f"the URL configuration {urlconf} does not load", exc
            )
    module = sys.modules.get(urlconf or "")
    urls_file = (
        os.path.realpath(module.__file__) if getattr(module, "__file__", None) else None
    )
    found = ", ".join(f"{name} -> {path}" for name, path in ctx.url_paths.items())
    if missing:
        return result(
            FAIL,
            f"URL name{'s' if len(missing) > 1 else ''} {', '.join(missing)} not found in ROOT_URLCONF {urlconf}"
            + (f" (found: {found})" if found else ""),
            file=urls_file,
            fix="add the auth/login/, auth/callback/ and auth/logout/ paths with these names to the urlpatterns",
        )
    return result(PASS, f"URL names reverse: {found}")


def expected_redirect_uri(ctx, secure):
    configured = getattr(ctx.settings, "WORKOS_REDIRECT_URI", None)
    if configured:
        return configured
    scheme = "https" if secure else "http"
    return f"{scheme}://{TEST_HOST}{ctx.url_paths['workos_callback']}"


def expected_authorize_urls(ctx):
    """Where the login view may send the browser. The SDK reads WORKOS_BASE_URL from the
    environment; a project that passes its own settings.WORKOS_BASE_URL to the client
    may use that one instead."""
    bases = [os.environ.get("WORKOS_BASE_URL") or DEFAULT_WORKOS_BASE_URL]
    configured = getattr(ctx.settings, "WORKOS_BASE_URL", None)
    if isinstance(configured, str) and configured:
        bases.append(configured)
    return [base.rstrip("/") + "/user_management/authorize" for base in bases]


def page_text(response, limit=300):
    """The visible text of a small HTML answer, to say why the view did not redirect."""
    try:
        body = response.content.decode("utf-8", "replace")
    except Exception:
        return ""
    body = re.sub(r"<head[^>]*>.*?</head>", " ", body, flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(
        r"<(script|style)[^>]*>.*?</\1>|<[^>]+>",
        " ",
        body,
        flags=re.DOTALL | re.IGNORECASE,
    )
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit] + ("\u2026" if len(text) > limit else "")


def find_in_session(data, wanted, path=""):
    """The key path where `wanted` is stored in the session, looking one dict deep."""
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if value == wanted:
                return where
            if isinstance(value, dict) and not path:
                found = find_in_session(value, wanted, where)
                if found:
                    return found
    return None


def login_request(ctx):
    """GET the login view through Django's test client, sessions kept in a signed cookie
    so that a database that has not been migrated yet does not matter here."""
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    if not ctx.test_environment:
        setup_test_environment()
        ctx.test_environment = True
    login_path = ctx.url_paths["workos_login"]
    with override_settings(SESSION_ENGINE=SIGNED_COOKIE_ENGINE), NoNetwork():
        secure = False
        client = Client()
        response = client.get(login_path)
        location = response.get("Location", "")
        # A project that forces HTTPS answers the plain request with a redirect to itself.
        if response.status_code in (301, 302) and location.startswith(
            f"https://{TEST_HOST}{login_path}"
        ):
            secure = True
            client = Client()
            response = client.get(login_path, secure=True)
        session = dict(client.session.items())
    return response, session, secure


def check_login_redirect(ctx):
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    if "workos_login" not in ctx.url_paths or "workos_callback" not in ctx.url_paths:
        return result(SKIP, "the workos_login and workos_callback URL names are needed")
    from urllib.parse import parse_qs, urlsplit

    login_path = ctx.url_paths["workos_login"]
    try:
        response, session, secure = login_request(ctx)
    except Exception as exc:
        return failure_from_exception(f"GET {login_path} raised an error", exc)
    location = response.get("Location", "")
    if response.status_code not in (302, 303) or not location:
        # The page's own words say why (the generated view explains missing settings).
        why = f" (Location: {location})" if location else f": {page_text(response)}"
        return result(
            FAIL,
            f"GET {login_path} answered {response.status_code}, not a redirect to WorkOS{why}",
        )
    parts = urlsplit(location)
    query = {
        key: values[0]
        for key, values in parse_qs(parts.query, keep_blank_values=True).items()
    }
    expected_urls = expected_authorize_urls(ctx)
    expected = {
        "client_id": getattr(ctx.settings, "WORKOS_CLIENT_ID", None),
        "redirect_uri": expected_redirect_uri(ctx, secure),
        "response_type": "code",
        "provider": "authkit",
    }
    problems = []
    actual_url = (
        f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme else parts.path
    )
    if not parts.netloc or parts.netloc == TEST_HOST:
        # Sent somewhere on the site itself, most often a login page.
        return result(
            FAIL,
            f"GET {login_path} redirects within the site to {location}, not to WorkOS: is the view behind login_required "
            "or LoginRequiredMiddleware (Django 5.1+: decorate it with login_not_required)?",
        )
    if actual_url not in expected_urls:
        problems.append(
            f"it goes to {actual_url} instead of {' or '.join(expected_urls)}"
        )
    for key, want in expected.items():
        got = query.get(key)
        if got != want:
            shown = repr(got) if got is not None else "missing"
            problems.append(f"{key} is {shown}, expected {want!r}")
    state = query.get("state")
    state_key = find_in_session(session, state) if state else None
    if not state:
        problems.append(
            "there is no state parameter (the callback cannot tell a forged request)"
        )
    elif not state_key:
        problems.append(
            "the state parameter is not stored in the session (the callback cannot check it)"
        )
    detail = f"Location: {location}"
    configured = getattr(ctx.settings, "WORKOS_REDIRECT_URI", None)
    host_note = (
        "" if configured else f" (built for the test request's host, {TEST_HOST})"
    )
    if problems:
        return result(
            FAIL,
            f"GET {login_path} redirects, but {'; '.join(problems)}",
            detail=detail,
        )
    return result(
        PASS,
        f"GET {login_path} redirects to {actual_url} with client_id={expected['client_id']}, "
        f"redirect_uri={expected['redirect_uri']}{host_note}, response_type=code, provider=authkit "
        f"and the state stored in the session under {state_key!r}",
        detail=detail,
    )


def is_memory_database(name):
    text = str(name or "")
    return text in ("", ":memory:") or "mode=memory" in text


def check_sessions_table(ctx):
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    engine = getattr(ctx.settings, "SESSION_ENGINE", "")
    if engine not in DB_SESSION_ENGINES:
        return result(
            SKIP, f"SESSION_ENGINE {engine} does not keep sessions in the database"
        )
    from django.apps import apps

    if not apps.is_installed("django.contrib.sessions"):
        return result(SKIP, "django.contrib.sessions is not installed")
    from django.contrib.sessions.models import Session
    from django.db import connections, router

    alias = router.db_for_write(Session) or "default"
    connection = connections[alias]
    table = Session._meta.db_table
    migrate = result(
        WARN,
        f"the {table} table does not exist in the {alias!r} database: run python manage.py migrate",
        fix="python manage.py migrate",
    )
    if connection.vendor == "sqlite":
        name = connection.settings_dict.get("NAME")
        if is_memory_database(name):
            return result(SKIP, f"the {alias!r} database is in memory")
        # Connecting would create an empty file: a check must not write to the project.
        if not os.path.exists(str(name)):
            return migrate
    try:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
    except Exception as exc:
        return result(
            WARN,
            f"could not open the {alias!r} database to look for {table}: {describe_exception(exc)}",
            fix="start the database, then run python manage.py migrate",
        )
    finally:
        connection.close()
    if table not in tables:
        return migrate
    return result(PASS, f"the {table} table exists in the {alias!r} database")


def origin_of(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def dashboard_values(ctx):
    """What to register in the WorkOS dashboard, and whether the redirect URI lands on
    the callback route."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load"), None
    missing = [name for name in URL_NAMES if name not in ctx.url_paths]
    if missing:
        return result(SKIP, f"needs the URL names {', '.join(missing)}"), None
    from urllib.parse import urlsplit

    from django.urls import Resolver404, get_script_prefix, resolve

    configured = getattr(ctx.settings, "WORKOS_REDIRECT_URI", None) or ""
    callback_path = ctx.url_paths["workos_callback"]
    site = origin_of(configured) if configured else ctx.site_url
    values = {
        "redirectUri": configured or site + ctx.url_paths["workos_callback"],
        "signInEndpoint": site + ctx.url_paths["workos_login"],
        "logoutRedirect": site + get_script_prefix(),
    }
    if configured:
        path = urlsplit(configured).path or "/"
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or match.url_name != "workos_callback":
            return (
                result(
                    FAIL,
                    f"settings.WORKOS_REDIRECT_URI {configured} does not lead to the callback view ({callback_path})",
                    file=settings_file(ctx),
                    fix=f"make WORKOS_REDIRECT_URI end with {callback_path}",
                ),
                values,
            )
    return result(
        PASS, f"the redirect URI {values['redirectUri']} leads to the callback view"
    ), values


CHECKS = [
    ("import-django", check_import_django),
    ("import-workos", check_import_package("workos", "workos")),
    ("import-dotenv", check_import_package("dotenv", "python-dotenv")),
    ("settings", check_settings),
    (
        "api-key",
        credential_check("WORKOS_API_KEY", "sk_", "API key", "client_", "client id"),
    ),
    (
        "client-id",
        credential_check("WORKOS_CLIENT_ID", "client_", "client id", "sk_", "API key"),
    ),
    ("sessions-setup", check_sessions_setup),
    ("django-check", check_django_check),
    ("url-names", check_url_names),
    ("login-redirect", check_login_redirect),
    ("sessions-table", check_sessions_table),
]


def run_all(site_url):
    ctx = Context(site_url)
    checks = []
    for check_id, check in CHECKS:
        try:
            outcome = check(ctx)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # project code may even call sys.exit()
            outcome = failure_from_exception(f"the {check_id} check crashed", exc)
        checks.append(dict(id=check_id, **outcome))
    dashboard = None
    try:
        outcome, dashboard = dashboard_values(ctx)
    except Exception as exc:
        outcome = failure_from_exception("the redirect-uri check crashed", exc)
    checks.append(dict(id="redirect-uri", **outcome))
    report = {
        "version": SCHEMA_VERSION,
        "python": sys.executable,
        "pythonVersion": ".".join(str(part) for part in sys.version_info[:3]),
        "django": ctx.django.get_version() if ctx.django else None,
        "workos": distribution_version("workos"),
        "checks": checks,
        "dashboard": dashboard,
    }
    ctx.secrets.add_from_environment()
    return ctx.secrets.scrub(report)


def main():
    parser = argparse.ArgumentParser(description="authkit-django verification checks")
    parser.add_argument("--site-url", default=DEFAULT_SITE_URL)
    args = parser.parse_args()

    # Whatever the project prints (settings with print(), Django's check output) goes to
    # stderr, so stdout carries the report and nothing else.
    sys.stdout.flush()
    report_stream = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    # The project's modules are found from the folder of manage.py, as manage.py does.
    sys.path.insert(0, os.getcwd())
    report = run_all(args.site_url)
    report_stream.write(json.dumps(report))
    report_stream.write("\n")
    report_stream.flush()


if __name__ == "__main__":
    main()
