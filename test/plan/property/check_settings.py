"""Batch check of the property test's variants, in one Python process (Django 5.2 venv).

Reads a JSON manifest: [{"seed", "before", "after"}] (project folders before and after
apply). For each: every .py file after apply parses with ast; executing the settings
module gives INSTALLED_APPS and MIDDLEWARE equal to the old values plus exactly what
authkit-django adds (the sessions app and SessionMiddleware, when missing); every other
setting keeps its value; the only new settings are WORKOS_*. Prints the failures as JSON.
"""

import ast
import importlib
import json
import os
import sys
from pathlib import Path

SESSIONS_APP = "django.contrib.sessions"
SESSION_MW = "django.contrib.sessions.middleware.SessionMiddleware"


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


def plus_additions(before, after, addition, manual):
    """after == before with `addition` inserted once, when before lacked it (unchanged when refused)."""
    before, after = list(before), list(after)
    if addition in before or manual:
        return before == after
    if after.count(addition) != 1:
        return False
    rest = list(after)
    rest.remove(addition)
    return rest == before


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
    if not plus_additions(before["INSTALLED_APPS"], after["INSTALLED_APPS"], SESSIONS_APP, "settings.sessions-app" in item["manual"]):
        problems.append(f"INSTALLED_APPS {before['INSTALLED_APPS']!r} -> {after['INSTALLED_APPS']!r}")
    if not plus_additions(before["MIDDLEWARE"], after["MIDDLEWARE"], SESSION_MW, "settings.session-middleware" in item["manual"]):
        problems.append(f"MIDDLEWARE {before['MIDDLEWARE']!r} -> {after['MIDDLEWARE']!r}")
    for name, value in before.items():
        if name in ("INSTALLED_APPS", "MIDDLEWARE", "TEMPLATES") or name.startswith("WORKOS_"):
            continue
        if name not in after:
            problems.append(f"{name} is gone")
        elif shown(value, item["before"]) != shown(after[name], after_root):
            problems.append(f"{name} changed: {shown(value, item['before'])} -> {shown(after[name], after_root)}")
    for name in after:
        if name not in before and not name.startswith("WORKOS_"):
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
