"""The check that TEMPLATES DIRS folders exist and the generated home page finds its
template.
"""

import os

from ..context import settings_file
from ..report import FAIL, PASS, SKIP, WARN, relative, result
from .view_source import GENERATED_MARK, source_of, view_target


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
                f"TEMPLATES DIRS names {', '.join(missing)}, which "
                f"do{'es' if len(missing) == 1 else ''} not exist (Django skips it "
                "without a word)"
            )
        if home_problem:
            parts.append(home_problem)
        return result(
            FAIL if home_problem else WARN,
            "; ".join(parts),
            file=settings_file(ctx),
            fix=(
                "create the folder or correct DIRS; `authkit-django init` recreates "
                "a missing home.html"
            ),
        )
    return result(PASS, "every TEMPLATES DIRS folder exists")
