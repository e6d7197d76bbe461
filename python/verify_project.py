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
import ast
import importlib
import inspect
import io
import json
import os
import re
import socket
import sys
import textwrap
import traceback

SCHEMA_VERSION = 1
DOCTOR_VARIABLE = "AUTHKIT_DJANGO_DOCTOR"
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
        # `authkit-django doctor` sets AUTHKIT_DJANGO_DOCTOR=1: more checks run, and the
        # login checks accept hand-written integrations (see "doctor-only checks").
        self.doctor = os.environ.get(DOCTOR_VARIABLE) == "1"
        # role ("login", "callback", "logout") -> Role, found by URL name or by code.
        self.roles = {}
        # The Location the login view answered (doctor mode), for the redirect URI check.
        self.login_location = None


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


# --- doctor-only checks ----------------------------------------------------------------
# `authkit-django doctor` runs this script with AUTHKIT_DJANGO_DOCTOR=1. The checks below
# then run too, and the login checks judge the way doctor must: an integration written by
# hand (its own URL names, its own views anywhere in the project) is as good as ours, and
# the redirect URI may name any host. Default runs (init, verify) are unchanged.

ROLE_NAMES = {
    "login": "workos_login",
    "callback": "workos_callback",
    "logout": "workos_logout",
}
# The SDK call that gives a view its role when its URL name does not.
ROLE_CALLS = {
    "login": ".get_authorization_url(",
    "callback": ".authenticate_with_code(",
    "logout": ".get_logout_url(",
}
LOGOUT_NAME = re.compile(r"log_?out|sign_?out", re.IGNORECASE)
GENERATED_MARK = "authkit-django"
# Folders that hold no project code worth reading (virtualenvs are found by pyvenv.cfg).
SKIPPED_FOLDERS = frozenset(
    {
        "node_modules",
        "__pycache__",
        "site-packages",
        "dist-packages",
        "migrations",
        "static",
        "staticfiles",
        "media",
    }
)
MAX_PROJECT_FILES = 4000
MAX_FILE_BYTES = 1024 * 1024
JSON_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"
COOKIE_LIMIT = 4096
# SDK methods that identify a WorkOS call even when the receiver is not spelled
# `....user_management` (for example `um = client.user_management`).
SDK_METHOD_HINTS = frozenset(
    {
        "get_authorization_url",
        "authenticate_with_code",
        "authenticate_with_refresh_token",
        "get_logout_url",
        "load_sealed_session",
        "authenticate_with_session_cookie",
    }
)
SDK_CLIENTS = ("WorkOSClient", "AsyncWorkOSClient")
# What to say when a known call or argument is missing from the installed SDK line.
SDK_HINTS = {
    ("authenticate_with_code", "session"): (
        "workos 6 and later dropped session= (seal with "
        "workos.session.seal_session_from_auth_response, or keep the user in Django's "
        "session as authkit-django's views do)"
    ),
    (
        "load_sealed_session",
        "sealed_session",
    ): "workos 6 and later name it session_data=",
    ("load_sealed_session", "session_data"): "workos 5.x names it sealed_session=",
    ("authenticate_with_session_cookie", None): "it exists in workos 6 and later only",
    ("seal_session_from_auth_response", None): "it exists in workos 6 and later only",
}


def source_of(target):
    """(file, first line, dedented source) of a function or class, or None."""
    try:
        lines, start = inspect.getsourcelines(target)
        file = inspect.getsourcefile(target)
    except (OSError, TypeError):
        return None
    return (
        os.path.realpath(file) if file else None,
        start,
        textwrap.dedent("".join(lines)),
    )


def view_target(view):
    """The code behind a routed view: the class of a class-based view, else the
    function under its decorators."""
    view_class = getattr(view, "view_class", None)
    if isinstance(view_class, type):
        return view_class
    try:
        return inspect.unwrap(view)
    except ValueError:
        return view


def dotted_name(target):
    module = getattr(target, "__module__", None) or "?"
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", "?")
    return f"{module}.{name}"


class Role:
    """The view that plays one part of the sign-in (login, callback or logout)."""

    def __init__(self, role, path, url_name, view, how):
        self.role = role
        self.path = path
        self.url_name = url_name
        self.view = view
        self.how = how  # "name" (our URL name) or "code" (the SDK call it makes)
        self.target = view_target(view)
        self.name = dotted_name(self.target)
        found = source_of(self.target)
        self.file, self.line, self.source = found if found else (None, None, None)

    def where(self):
        return f" ({relative(self.file)}:{self.line})" if self.file else ""

    def tree(self):
        if not self.source:
            return None
        try:
            return ast.parse(self.source)
        except SyntaxError:
            return None

    def absolute_line(self, node):
        return self.line + node.lineno - 1 if self.line else None


def route_text(pattern):
    """The literal URL text one pattern level matches, or None (converters, regexes)."""
    from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

    if isinstance(pattern, RoutePattern):
        text = str(pattern)
        return None if "<" in text else text
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    if isinstance(pattern, RegexPattern):
        text = re.sub(r"^\^|\$$", "", str(pattern)).replace("\\/", "/")
        return text if re.fullmatch(r"[\w\-/]*", text) else None
    return None


def routed_views(patterns, prefix="", depth=0):
    """(URLPattern, path or None) for every view the urlconf routes to."""
    from django.urls import URLPattern, URLResolver

    for entry in patterns:
        if not isinstance(entry, (URLPattern, URLResolver)):
            continue  # not a pattern at all: manage.py check reports it (urls.E004)
        text = route_text(entry.pattern)
        path = None if prefix is None or text is None else prefix + text
        if isinstance(entry, URLResolver):
            if depth >= 8:
                continue
            try:
                children = list(entry.url_patterns)
            except Exception:
                # An include that does not load: manage.py check reports it.
                continue
            yield from routed_views(children, path, depth + 1)
        elif isinstance(entry, URLPattern):
            yield entry, path


def role_by_code(view, root):
    """The part a routed view plays, read from its code, or None."""
    target = view_target(view)
    found = source_of(target)
    if not found or not _is_project_file(found[0], root):
        return None
    source = found[2]
    for role, call in ROLE_CALLS.items():
        if call in source:
            return role
    name = getattr(target, "__name__", "")
    if LOGOUT_NAME.search(name) and ("session.flush(" in source or "logout(" in source):
        return "logout"
    return None


def generated_module_loaded(root):
    """True when authkit-django's views module is imported (by the urls, usually)."""
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if not path or not path.endswith("auth_views.py"):
            continue
        if not _is_project_file(path, root):
            continue
        try:
            with open(path, encoding="utf-8") as handle:
                if GENERATED_MARK in handle.read(2000):
                    return True
        except OSError:
            continue
    return False


def urls_module_file(ctx):
    urlconf = getattr(ctx.settings, "ROOT_URLCONF", None)
    module = sys.modules.get(urlconf or "")
    path = getattr(module, "__file__", None)
    return os.path.realpath(path) if path else None


def check_url_roles(ctx):
    """The three views, by our URL names or, for a hand-written integration, by code."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    from django.urls import NoReverseMatch, get_resolver, resolve, reverse

    urlconf = getattr(ctx.settings, "ROOT_URLCONF", None)
    root = os.path.realpath(os.getcwd())
    try:
        patterns = list(get_resolver().url_patterns)
    except Exception as exc:
        return failure_from_exception(
            f"the URL configuration {urlconf} does not load", exc
        )
    roles = {}
    for role, url_name in ROLE_NAMES.items():
        try:
            path = reverse(url_name)
            roles[role] = Role(role, path, url_name, resolve(path).func, "name")
        except NoReverseMatch:
            continue
        except Exception as exc:
            return failure_from_exception(
                f"the URL configuration {urlconf} does not load", exc
            )
    for entry, route in routed_views(patterns):
        role = role_by_code(entry.callback, root)
        if role and role not in roles:
            path = "/" + route if route is not None else None
            if path is None and entry.name:
                try:
                    path = reverse(entry.name)
                except Exception:
                    path = None
            roles[role] = Role(role, path, entry.name, entry.callback, "code")
    ctx.roles = roles
    for role, found in roles.items():
        if found.path:
            ctx.url_paths[ROLE_NAMES[role]] = found.path
    urls_file = urls_module_file(ctx)
    ours = generated_module_loaded(root) or any(r.how == "name" for r in roles.values())
    missing = [role for role in ROLE_NAMES if role not in roles]
    listed = ", ".join(describe_role(r) for r in roles.values())
    if not missing:
        return result(PASS, f"sign-in views are routed: {listed}", file=urls_file)
    names = ", ".join(ROLE_NAMES[r] for r in missing)
    if missing == ["logout"] and not ours:
        return result(
            WARN,
            "no logout view was found (no URL named workos_logout, no view calling get_logout_url): "
            "signing out cannot end the WorkOS session"
            + (f" (found: {listed})" if listed else ""),
            file=urls_file,
            fix="add a POST-only logout view that flushes the session and redirects to get_logout_url(...)",
        )
    return result(
        FAIL,
        f"URL name{'s' if len(missing) > 1 else ''} {names} not found in ROOT_URLCONF {urlconf}, "
        "and no routed view makes the matching WorkOS call"
        + (f" (found: {listed})" if listed else ""),
        file=urls_file,
        fix="route auth/login/, auth/callback/ and auth/logout/ with these names",
    )


def describe_role(found):
    shown = found.path or "(a path with parameters)"
    how = (
        f"URL name {found.url_name}"
        if found.how == "name"
        else f"{found.name}"
        + (f", URL name {found.url_name!r}" if found.url_name else "")
    )
    return f"{found.role} -> {shown} ({how})"


def client_get(ctx, path, **extra):
    """GET a path through Django's test client: no network, sessions in a signed cookie
    (an unmigrated database does not matter), errors answered as 500 pages."""
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    if not ctx.test_environment:
        setup_test_environment()
        ctx.test_environment = True
    with override_settings(SESSION_ENGINE=SIGNED_COOKIE_ENGINE), NoNetwork():
        client = Client(raise_request_exception=False)
        return client.get(path, **extra)


def raised(response):
    """(ExceptionName: message) for a test-client answer made from an exception."""
    info = getattr(response, "exc_info", None)
    if not info or not info[1]:
        return ""
    if isinstance(info[1], NetworkBlocked):
        return " (it calls WorkOS even without a code)"
    return f" ({describe_exception(info[1])[:160]})"


def check_login_redirect_doctor(ctx):
    """The login view redirects to WorkOS's authorize URL with the client id, a response
    type and a provider. The redirect URI has its own check, the state too."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    login = ctx.roles.get("login")
    if login is None or not login.path or "callback" not in ctx.roles:
        return result(SKIP, "needs a routed login view and callback view")
    from urllib.parse import parse_qs, urlsplit

    try:
        response, _session, _secure = login_request(ctx)
    except Exception as exc:
        return failure_from_exception(f"GET {login.path} raised an error", exc)
    location = response.get("Location", "")
    if response.status_code not in (301, 302, 303, 307) or not location:
        why = f" (Location: {location})" if location else f": {page_text(response)}"
        return result(
            FAIL,
            f"GET {login.path} answered {response.status_code}, not a redirect to WorkOS{why}",
            file=login.file,
            line=login.line,
        )
    parts = urlsplit(location)
    if not parts.netloc or parts.netloc == TEST_HOST:
        return result(
            FAIL,
            f"GET {login.path} redirects within the site to {location}, not to WorkOS: is the view behind "
            "login_required or LoginRequiredMiddleware (Django 5.1+: decorate it with login_not_required)?",
            file=login.file,
            line=login.line,
        )
    ctx.login_location = location
    query = {
        key: values[0]
        for key, values in parse_qs(parts.query, keep_blank_values=True).items()
    }
    actual_url = f"{parts.scheme}://{parts.netloc}{parts.path}"
    expected_urls = expected_authorize_urls(ctx)
    problems = []
    if actual_url not in expected_urls:
        problems.append(
            f"it goes to {actual_url} instead of {' or '.join(expected_urls)}"
        )
    client_id = getattr(ctx.settings, "WORKOS_CLIENT_ID", None) or os.environ.get(
        "WORKOS_CLIENT_ID"
    )
    expected = {"client_id": client_id, "response_type": "code"}
    # AuthKit is chosen with provider=authkit; a connection or an organization is
    # another legitimate way to start a WorkOS sign-in.
    if "connection_id" not in query and "organization_id" not in query:
        expected["provider"] = "authkit"
    for key, want in expected.items():
        got = query.get(key)
        if got != want:
            shown = repr(got) if got is not None else "missing"
            problems.append(f"{key} is {shown}, expected {want!r}")
    if "redirect_uri" not in query:
        problems.append("there is no redirect_uri")
    if problems:
        return result(
            FAIL,
            f"GET {login.path} redirects, but {'; '.join(problems)}",
            detail=f"Location: {location}",
            file=login.file,
            line=login.line,
        )
    return result(
        PASS,
        f"GET {login.path} redirects to {actual_url} with client_id={client_id}",
        detail=f"Location: {location}",
    )


def url_difference(expected, actual):
    """How two URLs differ, in words: scheme, host, port, path."""
    from urllib.parse import urlsplit

    a, b = urlsplit(expected), urlsplit(actual)
    defaults = {"http": 80, "https": 443}
    differences = []
    if a.scheme != b.scheme:
        differences.append(f"scheme {b.scheme} instead of {a.scheme}")
    if (a.hostname or "") != (b.hostname or ""):
        differences.append(f"host {b.hostname} instead of {a.hostname}")
    port_a = a.port or defaults.get(a.scheme)
    port_b = b.port or defaults.get(b.scheme)
    if port_a != port_b:
        differences.append(f"port {port_b} instead of {port_a}")
    if a.path != b.path:
        if a.path.rstrip("/") == b.path.rstrip("/"):
            differences.append("the trailing slash")
        else:
            differences.append(f"path {b.path} instead of {a.path}")
    return ", ".join(differences) or "the query"


def check_redirect_uri_doctor(ctx):
    """The redirect URI the login view sends leads to the callback view, and agrees with
    WORKOS_REDIRECT_URI when that is set. Also returns the dashboard values."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load"), None
    callback = ctx.roles.get("callback")
    login = ctx.roles.get("login")
    if callback is None or login is None or not callback.path or not login.path:
        return result(SKIP, "needs a routed login view and callback view"), None
    from urllib.parse import parse_qs, urlsplit

    from django.urls import Resolver404, get_script_prefix, resolve

    configured = getattr(ctx.settings, "WORKOS_REDIRECT_URI", None) or os.environ.get(
        "WORKOS_REDIRECT_URI", ""
    )
    sent = None
    if ctx.login_location:
        sent = parse_qs(urlsplit(ctx.login_location).query).get("redirect_uri", [None])[
            0
        ]
    built_from_request = bool(sent) and urlsplit(sent).hostname == TEST_HOST
    uri = sent if sent and not built_from_request else configured
    site = origin_of(uri) if uri else ctx.site_url
    values = {
        "redirectUri": uri or site + callback.path,
        "signInEndpoint": site + login.path,
        "logoutRedirect": site + get_script_prefix(),
    }
    checked = sent or configured
    if not checked:
        return result(
            SKIP,
            "not checked: the login view did not redirect to WorkOS, and WORKOS_REDIRECT_URI is not set",
        ), values
    # The setting is where to fix it when the view sends what the setting says.
    from_setting = not sent or sent == configured
    where = (
        {"file": settings_file(ctx)}
        if from_setting
        else {"file": login.file, "line": login.line}
    )
    what = (
        f"WORKOS_REDIRECT_URI {checked}"
        + (" (the login view sends it)" if sent else "")
        if from_setting
        else f"the login view sends redirect_uri {checked}"
    )
    path = urlsplit(checked).path or "/"

    def leads_to_callback(candidate):
        try:
            match = resolve(candidate)
        except Resolver404:
            return False
        return view_target(match.func) is callback.target

    if not leads_to_callback(path):
        slash = path + "/" if not path.endswith("/") else path.rstrip("/")
        if leads_to_callback(slash):
            appended = not path.endswith("/") and getattr(
                ctx.settings, "APPEND_SLASH", True
            )
            status = WARN if appended else FAIL
            how = (
                "it works only through APPEND_SLASH's extra redirect"
                if appended
                else "Django answers 404 there"
            )
            return result(
                status,
                f"{what}, but the callback route is {callback.path}: they differ by the trailing slash, and {how}",
                fix=f"make the redirect URI end with {callback.path} (and register exactly that in the WorkOS dashboard)",
                **where,
            ), values
        return result(
            FAIL,
            f"{what}, whose path {path} does not lead to the callback view {callback.name} (routed at {callback.path})",
            fix=f"make the redirect URI end with {callback.path}",
            **where,
        ), values
    if sent and configured and not built_from_request and configured != sent:
        return result(
            FAIL,
            f"{what}, but WORKOS_REDIRECT_URI is {configured} ({url_difference(configured, sent)}): "
            "WorkOS refuses a redirect URI that is not registered exactly",
            fix="use one redirect URI: the one registered in the WorkOS dashboard",
            **where,
        ), values
    how = (
        f"built from each request's host (here {sent})"
        if built_from_request
        else checked
    )
    return result(
        PASS,
        f"the redirect URI leads to the callback view {callback.path}: {how}",
    ), values


def check_callback_method(ctx):
    """WorkOS sends the browser back with a GET: the callback must answer it."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    callback = ctx.roles.get("callback")
    if callback is None or not callback.path:
        return result(SKIP, "no routed callback view")
    response = client_get(ctx, callback.path)
    status = response.status_code
    where = (
        {"file": urls_module_file(ctx)}
        if callback.how == "name"
        else {
            "file": callback.file,
            "line": callback.line,
        }
    )
    if status == 405:
        return result(
            FAIL,
            f"GET {callback.path} answers 405 (Method Not Allowed): WorkOS sends the browser back with a GET, "
            "so every sign-in ends there (a POST-only or csrf_protect'ed route)",
            fix=f"route {callback.path} to a view that answers GET (remove require_POST / the POST-only wrapper)",
            **where,
        )
    if status == 403:
        return result(
            FAIL,
            f"GET {callback.path} answers 403: {page_text(response, 160)}",
            fix="let the callback answer WorkOS's GET: no CSRF or permission check in front of it",
            **where,
        )
    source = callback.source or ""
    if "request.POST" in source and "request.GET" not in source:
        return result(
            FAIL,
            f"the callback {callback.name} reads request.POST, but WorkOS sends code and state in the "
            "query string of a GET: request.GET",
            fix="read code and state from request.GET",
            file=callback.file,
            line=callback.line,
        )
    if status >= 500:
        return result(
            WARN,
            f"GET {callback.path} without a code fails with {status}{raised(response)}: a forged or "
            "cancelled sign-in should get a clear 4xx page, not a server error",
            fix="answer a missing code or state, and any WorkOS error, with a 400 page",
            file=callback.file,
            line=callback.line,
        )
    location = response.get("Location", "")
    login_url = str(getattr(ctx.settings, "LOGIN_URL", "") or "")
    if status in (301, 302) and login_url and login_url in location:
        return result(
            FAIL,
            f"GET {callback.path} redirects to the login page ({location}): the callback must be public "
            "(Django 5.1+: login_not_required)",
            **where,
        )
    return result(
        PASS,
        f"GET {callback.path} reaches the callback view (answered {status} without a code, as it should)",
    )


def check_logout_method(ctx):
    """Logout by GET lets any page sign users out (a link, an <img>)."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    logout = ctx.roles.get("logout")
    if logout is None or not logout.path:
        return result(SKIP, "no routed logout view")
    response = client_get(ctx, logout.path)
    status = response.status_code
    if status >= 500:
        return result(
            WARN,
            f"GET {logout.path} fails with {status}{raised(response)}, so whether logout accepts GET is unknown",
            file=logout.file,
            line=logout.line,
        )
    if 200 <= status < 400:
        where = {"file": logout.file, "line": logout.line}
        return result(
            WARN,
            f"GET {logout.path} signs the user out (answered {status}): any page can log your users out "
            "with a link or an <img>",
            fix="accept only POST (require_POST) and sign out with a form that carries {% csrf_token %}",
            **where,
        )
    return result(PASS, f"logout refuses GET (answered {status}): it needs a POST")


def import_class(path):
    from django.utils.module_loading import import_string

    try:
        value = import_string(path)
    except Exception:
        return None
    return value if isinstance(value, type) else None


def check_middleware_order(ctx):
    """Middleware that reads the session must come after SessionMiddleware."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    from django.contrib.sessions.middleware import SessionMiddleware

    entries = list(getattr(ctx.settings, "MIDDLEWARE", None) or [])
    classes = [import_class(entry) for entry in entries]
    session_at = next(
        (
            i
            for i, cls in enumerate(classes)
            if cls is not None and issubclass(cls, SessionMiddleware)
        ),
        None,
    )
    if session_at is None:
        return result(SKIP, "SessionMiddleware is not in MIDDLEWARE")
    needs = [
        (
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "reads the signed-in user from the session",
        )
    ]
    storage = str(getattr(ctx.settings, "MESSAGE_STORAGE", ""))
    if storage.endswith(("FallbackStorage", "SessionStorage")):
        needs.append(
            (
                "django.contrib.messages.middleware.MessageMiddleware",
                "keeps messages in the session",
            )
        )
    if getattr(ctx.settings, "CSRF_USE_SESSIONS", False):
        needs.append(
            (
                "django.middleware.csrf.CsrfViewMiddleware",
                "keeps the CSRF token in the session (CSRF_USE_SESSIONS)",
            )
        )
    early = []
    for path, why in needs:
        needed = import_class(path)
        if needed is None:
            continue
        for i, cls in enumerate(classes[:session_at]):
            if cls is not None and issubclass(cls, needed):
                early.append(f"{entries[i]} ({why})")
    if early:
        return result(
            FAIL,
            f"SessionMiddleware comes after {', '.join(early)} in MIDDLEWARE: "
            "every request then fails before reaching a view",
            file=settings_file(ctx),
            fix="move 'django.contrib.sessions.middleware.SessionMiddleware' above them (right after SecurityMiddleware)",
        )
    return result(
        PASS, "SessionMiddleware comes before the middleware that read the session"
    )


def check_session_engine(ctx):
    """Where sessions are kept can hold the sign-in, and the cookie comes back to the callback."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    engine = str(getattr(ctx.settings, "SESSION_ENGINE", ""))
    samesite = getattr(ctx.settings, "SESSION_COOKIE_SAMESITE", "Lax")
    where = settings_file(ctx)
    if isinstance(samesite, str) and samesite.lower() == "strict":
        return result(
            FAIL,
            'SESSION_COOKIE_SAMESITE is "Strict": the browser does not send the session cookie when WorkOS '
            "redirects back, so the callback never finds the sign-in it started",
            file=where,
            fix='use "Lax" (Django\'s default)',
        )
    if engine.endswith(".cache"):
        from django.core.cache import caches

        alias = getattr(ctx.settings, "SESSION_CACHE_ALIAS", "default")
        if type(caches[alias]).__name__ == "DummyCache":
            return result(
                FAIL,
                f"SESSION_ENGINE keeps sessions in the {alias!r} cache, which is a DummyCache: "
                "nothing is stored, so no sign-in can complete",
                file=where,
                fix="use a real cache backend, or django.contrib.sessions.backends.db",
            )
    if engine == SIGNED_COOKIE_ENGINE:
        size = signed_cookie_size(ctx)
        return result(
            WARN,
            f"SESSION_ENGINE keeps the whole session in a signed cookie: the sign-in alone takes about {size} "
            f"of the {COOKIE_LIMIT} bytes a browser keeps per cookie; more session data can push it over, "
            "and then the browser drops it silently (and its content is readable, only signed)",
            file=where,
            fix="keep sessions server-side (django.contrib.sessions.backends.db or cache)",
        )
    return result(PASS, f"sessions are kept by {engine}")


def signed_cookie_size(ctx):
    """Bytes of a signed-cookie session holding what the sign-in views store."""
    from importlib import import_module

    store = import_module(SIGNED_COOKIE_ENGINE).SessionStore()
    store["user"] = {
        "id": "user_01HZZZZZZZZZZZZZZZZZZZZZZZ",
        "email": "firstname.lastname@example-company.com",
        "first_name": "Firstname",
        "last_name": "Lastname",
        "profile_picture_url": "https://workoscdn.com/images/v1/" + "x" * 64,
    }
    store["workos_session_id"] = "session_01HZZZZZZZZZZZZZZZZZZZZZZZ"
    store["workos_pending_login"] = {"state": "s" * 43, "next": "/"}
    try:
        return len(store._get_session_key() or "")
    except Exception:
        return "several hundred bytes"


def check_template_dirs(ctx):
    """Every TEMPLATES DIRS folder exists, and our home page finds home.html."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    missing = []
    for backend in getattr(ctx.settings, "TEMPLATES", None) or []:
        for folder in (backend or {}).get("DIRS", []) or []:
            if not os.path.isdir(str(folder)):
                missing.append(relative(str(folder)))
    home_problem = None
    from django.urls import Resolver404, resolve

    try:
        home = resolve("/")
    except Resolver404:
        home = None
    except Exception:
        home = None
    if home is not None:
        found = source_of(view_target(home.func))
        module_file = found[0] if found else None
        is_ours = False
        if module_file:
            try:
                with open(module_file, encoding="utf-8") as handle:
                    is_ours = GENERATED_MARK in handle.read(2000)
            except OSError:
                is_ours = False
        if is_ours:
            from django.template import TemplateDoesNotExist
            from django.template.loader import get_template

            try:
                get_template("home.html")
            except TemplateDoesNotExist:
                home_problem = "the home page's template home.html is not found"
    if home_problem or missing:
        parts = []
        if missing:
            parts.append(
                f"TEMPLATES DIRS names {', '.join(missing)}, which do{'es' if len(missing) == 1 else ''} not exist "
                "(Django skips it without a word)"
            )
        if home_problem:
            parts.append(home_problem)
        return result(
            FAIL if home_problem else WARN,
            "; ".join(parts),
            file=settings_file(ctx),
            fix="create the folder or correct DIRS; `authkit-django init` recreates a missing home.html",
        )
    return result(PASS, "every TEMPLATES DIRS folder exists")


def names_in(node):
    """Every identifier, attribute name and string constant inside an expression."""
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
        elif isinstance(child, ast.Constant) and isinstance(child.value, str):
            found.add(child.value)
    return found


def mentions_state(node):
    return any("state" in name.lower() for name in names_in(node))


READ_METHODS = frozenset({"get", "pop", "getlist", "setdefault", "__getitem__"})


def compares_state(tree):
    """True when code compares a state value (==, compare_digest, a check_state helper)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and mentions_state(node):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            if name in READ_METHODS or name in (
                "get_authorization_url",
                "authenticate_with_code",
            ):
                continue
            if "state" in name.lower():
                return True
            args = list(node.args) + [kw.value for kw in node.keywords]
            if any(mentions_state(arg) for arg in args):
                return True
    return False


def sdk_call(tree, method):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == method
        ):
            return node
    return None


def check_callback_state(ctx):
    """The login view sends a state and the callback compares it (login CSRF)."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    callback = ctx.roles.get("callback")
    login = ctx.roles.get("login")
    if callback is None:
        return result(SKIP, "no routed callback view")
    callback_tree = callback.tree()
    if callback_tree is None:
        return result(SKIP, f"the source of {callback.name} is not available")
    problems = []
    where = {"file": callback.file, "line": callback.line}
    login_tree = login.tree() if login else None
    if login_tree is not None:
        call = sdk_call(login_tree, "get_authorization_url")
        if call is not None and not any(kw.arg == "state" for kw in call.keywords):
            problems.append(
                f"the login view {login.name}{login.where()} sends no state"
            )
            where = {"file": login.file, "line": login.absolute_line(call)}
    if not compares_state(callback_tree):
        problems.append(
            f"the callback {callback.name}{callback.where()} never compares the state WorkOS sends back "
            "with one kept in the session"
        )
        where = {"file": callback.file, "line": callback.line}
    if problems:
        return result(
            WARN,
            "; ".join(problems)
            + ": anyone can make a browser sign in to their account (login CSRF)",
            fix="store a random state in the session at login, pass it as state=, and compare it in the callback "
            "(secrets.compare_digest) before exchanging the code",
            **where,
        )
    return result(PASS, f"the callback {callback.name} checks the state")


USER_OBJECT_ATTRIBUTES = frozenset({"user", "impersonator", "organization_membership"})


def sdk_object_names(tree):
    """Names bound to the SDK's response or its user object."""
    names = set()
    for _ in range(3):  # a few passes settle chains like a = call(); u = a.user
        for node in ast.walk(tree):
            targets = []
            value = None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif (
                isinstance(node, (ast.AnnAssign, ast.NamedExpr))
                and node.value is not None
            ):
                targets, value = [node.target], node.value
            if value is not None and is_sdk_object(value, names):
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def is_sdk_object(node, names):
    if isinstance(node, ast.Await):
        return is_sdk_object(node.value, names)
    if isinstance(node, ast.Call):
        func = node.func
        return isinstance(func, ast.Attribute) and func.attr.startswith(
            "authenticate_with_"
        )
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Attribute):
        return node.attr in USER_OBJECT_ATTRIBUTES and is_sdk_object(node.value, names)
    if isinstance(node, ast.Dict):
        return any(v is not None and is_sdk_object(v, names) for v in node.values)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(is_sdk_object(v, names) for v in node.elts)
    return False


def is_session(node):
    if isinstance(node, ast.Attribute):
        return node.attr == "session"
    return isinstance(node, ast.Name) and node.id == "session"


def session_stores(tree):
    """(line, key text, value) for each value put into the session."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and is_session(target.value):
                    yield node.lineno, key_text(target), node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "setdefault", "__setitem__")
            and is_session(node.func.value)
        ):
            values = node.args if node.func.attr == "update" else node.args[1:]
            for value in [*values, *(kw.value for kw in node.keywords)]:
                yield node.lineno, "", value


def key_text(subscript):
    key = subscript.slice
    index_node = getattr(ast, "Index", None)  # Python 3.8 wraps subscripts in ast.Index
    if index_node is not None and isinstance(key, index_node):
        key = key.value
    if isinstance(key, ast.Constant):
        return repr(key.value)
    return "..."


def check_session_user(ctx):
    """The callback keeps plain data in the session, not the SDK's objects."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    callback = ctx.roles.get("callback")
    if callback is None:
        return result(SKIP, "no routed callback view")
    tree = callback.tree()
    if tree is None:
        return result(SKIP, f"the source of {callback.name} is not available")
    names = sdk_object_names(tree)
    bad = [
        (line, key)
        for line, key, value in session_stores(tree)
        if is_sdk_object(value, names)
    ]
    if not bad:
        return result(
            PASS, f"the callback {callback.name} keeps plain data in the session"
        )
    line, key = bad[0]
    serializer = str(getattr(ctx.settings, "SESSION_SERIALIZER", JSON_SERIALIZER))
    json_sessions = serializer == JSON_SERIALIZER
    slot = f"request.session[{key}]" if key else "the session"
    return result(
        FAIL if json_sessions else WARN,
        f"the callback {callback.name} puts the SDK's user object (a dataclass or pydantic model) in {slot}"
        + (
            ": Django's JSON session serializer cannot store it, so saving the session fails after sign-in"
            if json_sessions
            else f": only {serializer} can store it, and only while the SDK's classes never change"
        ),
        file=callback.file,
        line=callback.line + line - 1 if callback.line else None,
        fix='store a dict: {"id": user.id, "email": user.email, "first_name": user.first_name, '
        '"last_name": user.last_name}',
    )


def project_python_files(root):
    count = 0
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and not os.path.exists(os.path.join(folder, name, "pyvenv.cfg"))
        )
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            count += 1
            if count > MAX_PROJECT_FILES:
                return
            yield os.path.join(folder, name)


def dotted_expression(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return dotted_expression(node.value) + "." + node.attr
    if isinstance(node, ast.Call):
        return dotted_expression(node.func) + "()"
    return "?"


def accepts_keyword(func, keyword):
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return True
    if any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
        return True
    parameter = parameters.get(keyword)
    return parameter is not None and parameter.kind in (
        parameter.KEYWORD_ONLY,
        parameter.POSITIONAL_OR_KEYWORD,
    )


def sdk_user_management():
    """The installed SDK's user_management object (made with placeholder keys; no call is made)."""
    from workos import WorkOSClient

    with NoNetwork():
        client = WorkOSClient(
            api_key="sk_test_authkit_django_doctor",
            client_id="client_authkit_django_doctor",
        )
        user_management = client.user_management
    return client, user_management


def hint(method, keyword):
    text = SDK_HINTS.get((method, keyword))
    return f": {text}" if text else ""


def sdk_problems_in(path, tree, user_management, version):
    problems = []
    calls = 0
    shown = relative(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module != "workos" and not node.module.startswith("workos."):
                continue
            try:
                module = importlib.import_module(node.module)
            except ImportError:
                problems.append(
                    (
                        path,
                        node.lineno,
                        f"{shown}:{node.lineno} imports {node.module}, which workos {version} does not have",
                    )
                )
                continue
            for alias in node.names:
                if alias.name != "*" and not hasattr(module, alias.name):
                    problems.append(
                        (
                            path,
                            node.lineno,
                            (
                                f"{shown}:{node.lineno} imports {alias.name} from {node.module}, "
                                f"which workos {version} does not have{hint(alias.name, None)}"
                            ),
                        )
                    )
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = dotted_expression(func)
        keywords = [kw.arg for kw in node.keywords if kw.arg]
        if name.split(".")[-1] in SDK_CLIENTS:
            import workos

            client_class = getattr(workos, name.split(".")[-1], None)
            calls += 1
            for keyword in keywords:
                if client_class is not None and not accepts_keyword(
                    client_class, keyword
                ):
                    problems.append(
                        (
                            path,
                            node.lineno,
                            f"{shown}:{node.lineno} {name}() takes no {keyword}= in workos {version}",
                        )
                    )
            continue
        if not isinstance(func, ast.Attribute):
            continue
        receiver = dotted_expression(func.value)
        if "user_management" not in receiver and func.attr not in SDK_METHOD_HINTS:
            continue
        calls += 1
        method = getattr(user_management, func.attr, None)
        if method is None:
            problems.append(
                (
                    path,
                    node.lineno,
                    (
                        f"{shown}:{node.lineno} calls user_management.{func.attr}(), "
                        f"which workos {version} does not have{hint(func.attr, None)}"
                    ),
                )
            )
            continue
        for keyword in keywords:
            if not accepts_keyword(method, keyword):
                problems.append(
                    (
                        path,
                        node.lineno,
                        (
                            f"{shown}:{node.lineno} passes {keyword}= to user_management.{func.attr}(), "
                            f"which workos {version} does not accept{hint(func.attr, keyword)}"
                        ),
                    )
                )
    return problems, calls


def check_sdk_calls(ctx):
    """Every call the project makes to the workos SDK exists in the installed version."""
    try:
        importlib.import_module("workos")
    except ImportError:
        return result(SKIP, "workos is not importable")
    version = distribution_version("workos") or "(version unknown)"
    client, user_management = sdk_user_management()
    try:
        problems = []
        calls = 0
        this_file = os.path.realpath(__file__)
        for path in project_python_files(os.getcwd()):
            if os.path.realpath(path) == this_file:
                continue
            try:
                if os.path.getsize(path) > MAX_FILE_BYTES:
                    continue
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
            except OSError:
                continue
            if "workos" not in text and "user_management" not in text:
                continue
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            found, counted = sdk_problems_in(
                os.path.realpath(path), tree, user_management, version
            )
            problems.extend(found)
            calls += counted
    finally:
        close = getattr(client, "close", None)
        if callable(close):
            close()
    if problems:
        file, line, first = problems[0]
        return result(
            FAIL,
            f"workos {version} is installed, but {first}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            detail="\n".join(message for _, _, message in problems)
            if len(problems) > 1
            else None,
            file=file,
            line=line,
            fix="use the calls of the installed SDK, or install the SDK line the code was written for",
        )
    return result(
        PASS,
        f"workos {version}: the {calls} SDK call{'s' if calls != 1 else ''} in the project exist in it",
    )


def check_sessions_table_doctor(ctx):
    # A missing table is a failure for doctor: the first sign-in cannot save its session.
    outcome = check_sessions_table(ctx)
    if outcome["status"] == WARN and outcome.get("fix") == "python manage.py migrate":
        outcome["status"] = FAIL
    return outcome


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

# doctor's order: each check after the ones whose findings it uses.
DOCTOR_CHECKS = [
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
    ("middleware-order", check_middleware_order),
    ("session-engine", check_session_engine),
    ("django-check", check_django_check),
    ("url-names", check_url_roles),
    ("template-dirs", check_template_dirs),
    ("login-redirect", check_login_redirect_doctor),
    ("callback-method", check_callback_method),
    ("logout-method", check_logout_method),
    ("callback-state", check_callback_state),
    ("session-user", check_session_user),
    ("sessions-table", check_sessions_table_doctor),
    ("sdk-calls", check_sdk_calls),
]


def run_all(site_url):
    ctx = Context(site_url)
    checks = []
    for check_id, check in DOCTOR_CHECKS if ctx.doctor else CHECKS:
        try:
            outcome = check(ctx)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # project code may even call sys.exit()
            outcome = failure_from_exception(f"the {check_id} check crashed", exc)
        checks.append(dict(id=check_id, **outcome))
    dashboard = None
    try:
        outcome, dashboard = (
            check_redirect_uri_doctor(ctx) if ctx.doctor else dashboard_values(ctx)
        )
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
