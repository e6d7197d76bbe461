"""The check that finds the login, callback and logout views: by authkit-django's URL
names or, for an integration written by hand, by the WorkOS call each view makes.
"""

import ast
import os
import re
import sys

from ..context import urls_module_file
from ..report import (
    FAIL,
    PASS,
    SKIP,
    WARN,
    failure_from_exception,
    is_project_file,
    relative,
    result,
)
from .view_source import GENERATED_MARK, dotted_name, source_of, view_target

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
            except Exception:  # noqa: S112
                # An include that does not load: manage.py check reports it.
                continue
            yield from routed_views(children, path, depth + 1)
        elif isinstance(entry, URLPattern):
            yield entry, path


def role_by_code(view, root):
    """The part a routed view plays, read from its code, or None."""
    target = view_target(view)
    found = source_of(target)
    if not found or not is_project_file(found[0], root):
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
        # The authkit app's views, or auth_views.py of the earlier layout.
        generated = ("auth_views.py", os.path.join("authkit", "views.py"))
        if not path or not path.endswith(generated):
            continue
        if not is_project_file(path, root):
            continue
        try:
            with open(path, encoding="utf-8") as handle:
                if GENERATED_MARK in handle.read(2000):
                    return True
        except OSError:
            continue
    return False


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
            "no logout view was found (no URL named workos_logout, no view calling "
            "get_logout_url): signing out cannot end the WorkOS session"
            + (f" (found: {listed})" if listed else ""),
            file=urls_file,
            fix=(
                "add a POST-only logout view that flushes the session and redirects "
                "to get_logout_url(...)"
            ),
        )
    return result(
        FAIL,
        f"URL name{'s' if len(missing) > 1 else ''} {names} not found in ROOT_URLCONF "
        f"{urlconf}, and no routed view makes the matching WorkOS call"
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


def routed_view(ctx, role, needs_path=False):
    """The view found for `role` ("login", "callback", "logout"), or the skip result
    that says why there is none to check: (view, None) or (None, skip)."""
    if ctx.settings is None:
        return None, result(SKIP, "settings did not load")
    found = ctx.roles.get(role)
    if found is None or (needs_path and not found.path):
        return None, result(SKIP, f"no routed {role} view")
    return found, None
