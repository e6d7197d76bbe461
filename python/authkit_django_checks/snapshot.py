"""A snapshot of what a Django project does, taken in the project's own Python, so that
`init` can compare the project as it is with the project as it would be after the plan.

Usage: python -m authkit_django_checks.snapshot [--root-map FROM=TO] [--stub M]
       [--stub-always M]

Printed as one JSON line on stdout. Values of settings are never printed: each setting
is a digest of its repr (paths under a mapped root rewritten first, so a copy of the
project compares equal to the original), except the lists whose planned additions the
comparison allows (INSTALLED_APPS, MIDDLEWARE, AUTHENTICATION_BACKENDS, TEMPLATES DIRS),
which hold names, and whether LOGIN_URL is Django's default or our login's URL name.
"""

import argparse
import hashlib
import importlib.abc
import importlib.machinery
import json
import os
import sys

from .masking import Secrets

SCHEMA_VERSION = 1
LISTED_SETTINGS = ("INSTALLED_APPS", "MIDDLEWARE", "AUTHENTICATION_BACKENDS")
# The defaults the plan may replace: the setting is reported as "default", "ours" or
# "other" (never its value), so that Django's default -> ours is allowed, nothing else.
REPLACEABLE_DEFAULTS = {"LOGIN_URL": "workos_login"}
OUR_PREFIX = "WORKOS_"
KEYS_WE_WRITE = ("WORKOS_API_KEY", "WORKOS_CLIENT_ID")


class RootMap:
    """Rewrites paths under a temporary copy of the project to the project's paths."""

    def __init__(self, pairs):
        expanded = []
        for source, target in pairs:
            expanded.append((source, target))
            real = os.path.realpath(source)
            if real != source:
                expanded.append((real, target))
        # Longest first: a copy inside another copy is rewritten whole.
        self.pairs = sorted(expanded, key=lambda p: len(p[0]), reverse=True)

    def __call__(self, text):
        for source, target in self.pairs:
            text = text.replace(source, target)
        return text


def digest(text):
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def safe_repr(value):
    try:
        return repr(value)
    except Exception as exc:  # a lazy object whose repr needs what is not there
        return f"<repr failed: {type(exc).__name__}>"


def error_text(exc):
    return f"{type(exc).__name__}: {exc}".strip()


class _Anything:
    """A stand-in for anything a module not installed yet would provide."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Anything()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Anything


def _load_dotenv_stand_in(
    dotenv_path=None, stream=None, verbose=False, override=False, **kwargs
):
    """What python-dotenv's load_dotenv does for plain KEY=VALUE lines."""
    path = dotenv_path or os.path.join(os.getcwd(), ".env")
    try:
        with open(os.fspath(path), encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return False
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        if line.startswith("export "):
            line = line[len("export ") :]
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if override or key not in os.environ:
            os.environ[key] = value
    return True


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path: provides the packages the plan adds but the install has
    put there yet (workos, dotenv, jwt), only when the real one is not importable."""

    def __init__(self, names):
        self.names = set(names)
        self.used = []

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.split(".")[0]
        if top not in self.names:
            return None
        # A submodule the real package lacks (a probe for another SDK) stays missing.
        if fullname != top and not getattr(
            sys.modules.get(top), "__authkit_stand_in__", False
        ):
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        name = module.__name__
        if name not in self.used:
            self.used.append(name)
        module.__path__ = []
        module.__authkit_stand_in__ = True
        module.__getattr__ = lambda attr: _Anything
        if name == "dotenv":
            module.load_dotenv = _load_dotenv_stand_in
            module.find_dotenv = lambda *a, **k: os.path.join(os.getcwd(), ".env")


def view_id(func):
    func = getattr(func, "view_class", None) or getattr(func, "cls", None) or func
    module = getattr(func, "__module__", None) or "?"
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    if name is None:
        name = type(func).__qualname__
    return f"{module}.{name}"


def settings_snapshot(settings, root_map):
    values = {}
    listed = {}
    templates = []
    for name in sorted(dir(settings)):
        if not name.isupper() or name.startswith(OUR_PREFIX):
            continue
        try:
            value = getattr(settings, name)
        except Exception as exc:
            values[name] = digest(f"<error {type(exc).__name__}>")
            continue
        if isinstance(value, (list, tuple)) and (
            name in LISTED_SETTINGS or all(isinstance(entry, str) for entry in value)
        ):
            # Every list of strings, entry by entry: the parts of a sum of lists
            # (DJANGO_APPS + LOCAL_APPS) are settings too, and gain what the sum gains.
            listed[name] = [root_map(str(entry)) for entry in value]
        elif name == "TEMPLATES" and isinstance(value, (list, tuple)):
            for entry in value:
                if isinstance(entry, dict):
                    rest = {k: v for k, v in entry.items() if k != "DIRS"}
                    dirs = entry.get("DIRS") or []
                    templates.append(
                        {
                            "backend": str(entry.get("BACKEND", "")),
                            "dirs": [root_map(os.fspath(d)) for d in dirs],
                            "rest": digest(root_map(safe_repr(rest))),
                        }
                    )
                else:
                    templates.append(
                        {
                            "backend": "",
                            "dirs": [],
                            "rest": digest(root_map(safe_repr(entry))),
                        }
                    )
        else:
            values[name] = digest(root_map(safe_repr(value)))
    keys = {name: bool(getattr(settings, name, "")) for name in KEYS_WE_WRITE}
    return values, listed, templates, keys


def defaults_snapshot(settings):
    from django.conf import global_settings

    out = {}
    for name, ours in REPLACEABLE_DEFAULTS.items():
        value = getattr(settings, name, None)
        if value == getattr(global_settings, name, None):
            out[name] = "default"
        elif value == ours:
            out[name] = "ours"
        else:
            out[name] = "other"
    return out


def walk_routes(resolver, prefix, namespaces, out, root_map, depth=0):
    from django.urls import URLResolver

    if depth > 20:
        return
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            chain = (
                [*namespaces, pattern.namespace] if pattern.namespace else namespaces
            )
            walk_routes(pattern, route, chain, out, root_map, depth + 1)
        elif getattr(pattern, "name", None):
            qualified = ":".join([*namespaces, pattern.name])
            out.setdefault(
                qualified, {"route": root_map(route), "view": view_id(pattern.callback)}
            )


def resolve_path(path):
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    return {"view": view_id(match.func), "name": match.view_name or None}


def uses_i18n(settings, resolver):
    from django.urls import LocalePrefixPattern

    middleware = [str(m) for m in (getattr(settings, "MIDDLEWARE", None) or [])]
    if any(m.rsplit(".", 1)[-1] == "LocaleMiddleware" for m in middleware):
        return True
    return any(
        isinstance(getattr(p, "pattern", None), LocalePrefixPattern)
        for p in resolver.url_patterns
    )


def urls_snapshot(settings):
    from django.urls import NoReverseMatch, get_resolver, reverse
    from django.utils import translation

    root_map = settings_root_map
    language = getattr(settings, "LANGUAGE_CODE", "en-us") or "en-us"
    translation.activate(language)
    resolver = get_resolver()
    routes = {}
    walk_routes(resolver, "", [], routes, root_map)
    for name, info in routes.items():
        try:
            path = reverse(name)
        except NoReverseMatch:
            path = None  # a name that takes arguments: its route is compared instead
        info["path"] = path
        info["resolves"] = resolve_path(path) if path is not None else None
    home_paths = ["/"]
    i18n = uses_i18n(settings, resolver)
    if i18n:
        prefix = translation.get_language() or language
        home_paths.append(f"/{prefix}/")
    home = {path: resolve_path(path) for path in home_paths}
    return {"routes": routes, "home": home, "i18n": i18n}


settings_root_map = RootMap([])


def take_snapshot(root_map, stand_ins, always=()):
    report = {
        "version": SCHEMA_VERSION,
        "loaded": False,
        "stage": "django",
        "error": None,
        "standIns": [],
        "executable": sys.executable,
    }
    finder = None
    if stand_ins:
        finder = StandInFinder(stand_ins)
        sys.meta_path.append(finder)
    if always:
        # First on sys.meta_path, so even an installed SDK is stood in for: its import
        # alone costs more than loading the project, and it is checked after install.
        first = StandInFinder(always)
        sys.meta_path.insert(0, first)
    try:
        import django
    except Exception as exc:
        report["error"] = f"Django is not importable: {error_text(exc)}"
        return report
    report["django"] = django.get_version()
    module = os.environ.get("DJANGO_SETTINGS_MODULE")
    if not module:
        report["stage"] = "settings"
        report["error"] = "DJANGO_SETTINGS_MODULE is not set"
        return report
    report["stage"] = "settings"
    try:
        django.setup()
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - forces the settings to load
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        report["error"] = (
            f"the settings module {module} does not load: {error_text(exc)}"
        )
        return report
    report["loaded"] = True
    values, listed, templates, keys = settings_snapshot(settings, root_map)
    report.update(settings=values, lists=listed, templates=templates, keys=keys)
    report["defaults"] = defaults_snapshot(settings)
    report["stage"] = "urls"
    try:
        report["urls"] = urls_snapshot(settings)
        report["urlsError"] = None
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        report["urls"] = None
        report["urlsError"] = (
            f"the URL configuration {getattr(settings, 'ROOT_URLCONF', '?')} "
            f"does not load: {error_text(exc)}"
        )
    report["stage"] = "done"
    used = [*(finder.used if finder else []), *(first.used if always else [])]
    report["standIns"] = sorted({n.split(".")[0] for n in used})
    return report


def main():
    parser = argparse.ArgumentParser(description="authkit-django behaviour snapshot")
    parser.add_argument("--root-map", action="append", default=[])
    parser.add_argument("--stub", action="append", default=[])
    parser.add_argument("--stub-always", action="append", default=[])
    args = parser.parse_args()

    # Whatever the project prints goes to stderr, so stdout carries the report alone.
    sys.stdout.flush()
    report_stream = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    global settings_root_map
    settings_root_map = RootMap(
        [tuple(item.split("=", 1)) for item in args.root_map if "=" in item]
    )
    sys.path.insert(0, os.getcwd())
    report = take_snapshot(settings_root_map, args.stub, args.stub_always)
    secrets = Secrets()
    secrets.add_from_environment()
    try:
        from django.conf import settings

        if settings.configured:
            secrets.add_from_settings(settings)
    except Exception as exc:  # settings that did not load: their error is reported
        report.setdefault("notes", []).append(type(exc).__name__)
    report_stream.write(json.dumps(secrets.scrub(report)))
    report_stream.write("\n")
    report_stream.flush()


if __name__ == "__main__":
    main()
