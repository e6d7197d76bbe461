"""Batch check of the property test's variants, in one Python process (Django 5.2 venv).

Reads a JSON manifest: [{"seed", "before", "after"}] (project folders before and after
apply). For each: every .py file after apply parses with ast; executing the settings
module gives INSTALLED_APPS and MIDDLEWARE equal to the old values plus exactly what
authkit-django adds (the sessions app and SessionMiddleware when missing, the authkit app
and its middleware); with django.contrib.auth, AUTHENTICATION_BACKENDS gains the app's
backend (after Django's default ModelBackend when the project had none) and LOGIN_URL is
the WorkOS login when the project had none; every other setting keeps its value; the
only other new settings are WORKOS_*. Prints the failures as JSON.
"""

import ast
import importlib
import json
import os
import sys
from pathlib import Path

SESSIONS_APP = "django.contrib.sessions"
SESSION_MW = "django.contrib.sessions.middleware.SessionMiddleware"
APP = "proj.authkit"
APP_MW = "proj.authkit.middleware.AuthKitMiddleware"
APP_BACKEND = "proj.authkit.backends.WorkOSBackend"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def load(root):
    for name in list(sys.modules):
        if name == "proj" or name.startswith("proj."):
            del sys.modules[name]
    saved = dict(os.environ)
    sys.path.insert(0, root)
    try:
        module = importlib.import_module("proj.settings")
        return {k: getattr(module, k) for k in dir(module) if k.isupper()}
    finally:
        sys.path.remove(root)
        os.environ.clear()
        os.environ.update(saved)


def plus_additions(before, after, additions):
    """after == before with each (addition, refused) inserted once where before lacked it
    and the step was not refused (manual), in any place, nothing else changed."""
    rest = list(after)
    for addition, refused in additions:
        if addition in before or refused:
            continue
        if rest.count(addition) != 1:
            return False
        rest.remove(addition)
    return rest == list(before)


def shown(value, root):
    return repr(value).replace(root, "<root>")


def check(item):
    problems = []
    after_root = item["after"]
    for path in Path(after_root).rglob("*.py"):
        try:
            ast.parse(path.read_bytes())
        except SyntaxError as error:
            problems.append(f"{path.relative_to(after_root)} does not parse: {error.msg} at line {error.lineno}")
    if problems:
        return problems
    try:
        before = load(item["before"])
    except Exception as error:  # the generator's own input must run
        return [f"the input settings do not run: {error!r}"]
    try:
        after = load(after_root)
    except Exception as error:
        return [f"the edited settings do not run: {error!r}"]
    manual = item["manual"]
    apps = [(SESSIONS_APP, "settings.sessions-app" in manual), (APP, "settings.authkit-app" in manual)]
    if not plus_additions(before["INSTALLED_APPS"], after["INSTALLED_APPS"], apps):
        problems.append(f"INSTALLED_APPS {before['INSTALLED_APPS']!r} -> {after['INSTALLED_APPS']!r}")
    middleware = [(SESSION_MW, "settings.session-middleware" in manual), (APP_MW, "settings.authkit-middleware" in manual)]
    if not plus_additions(before["MIDDLEWARE"], after["MIDDLEWARE"], middleware):
        problems.append(f"MIDDLEWARE {before['MIDDLEWARE']!r} -> {after['MIDDLEWARE']!r}")
    django_auth = "django.contrib.auth" in before["INSTALLED_APPS"] and "settings.authkit-backend" not in manual
    expected_new = set()
    if django_auth:
        backends = before.get("AUTHENTICATION_BACKENDS", [MODEL_BACKEND])
        if "AUTHENTICATION_BACKENDS" not in before:
            expected_new.add("AUTHENTICATION_BACKENDS")
        if list(after.get("AUTHENTICATION_BACKENDS", [])) != [*backends, APP_BACKEND]:
            problems.append(f"AUTHENTICATION_BACKENDS {backends!r} -> {after.get('AUTHENTICATION_BACKENDS')!r}")
        if "LOGIN_URL" not in before:
            expected_new.add("LOGIN_URL")
            if after.get("LOGIN_URL") != "workos_login":
                problems.append(f"LOGIN_URL is {after.get('LOGIN_URL')!r}, not 'workos_login'")
    for name, value in before.items():
        if name in ("INSTALLED_APPS", "MIDDLEWARE", "TEMPLATES", "AUTHENTICATION_BACKENDS") or name.startswith("WORKOS_"):
            continue
        if name not in after:
            problems.append(f"{name} is gone")
        elif shown(value, item["before"]) != shown(after[name], after_root):
            problems.append(f"{name} changed: {shown(value, item['before'])} -> {shown(after[name], after_root)}")
    for name in after:
        if name not in before and not name.startswith("WORKOS_") and name not in expected_new:
            problems.append(f"new setting {name}")
    for name in ("WORKOS_API_KEY", "WORKOS_CLIENT_ID"):
        if name not in after:
            problems.append(f"{name} missing after apply")
    return problems


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        manifest = json.load(handle)
    failures = []
    for item in manifest:
        problems = check(item)
        if problems:
            failures.append({"seed": item["seed"], "problems": problems})
    json.dump({"checked": len(manifest), "failures": failures}, sys.stdout)


main()
