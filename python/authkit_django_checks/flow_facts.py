"""What the login flow needs to know about the project, asked of Django itself rather
than read from pages: the paths of authkit-django's routes, how the project hands out
its CSRF token, and whether "/" is the home page authkit-django generated.

A route that only reverses inside a namespace (``app:workos_login``) is still given,
with its namespaced name: the flow then runs and shows what breaks, instead of stopping
before it starts. The url-names check reports the namespace itself.
"""

import sys

FLOW_URL_NAMES = ("workos_login", "workos_callback", "workos_logout", "workos_me")
HOME_DOCSTRING = "The home page added by authkit-django"


def namespaced_names(resolver, wanted, prefix=""):
    """`namespace:name` for every wanted name found below a namespaced include."""
    found = {}
    for pattern in getattr(resolver, "url_patterns", []):
        children = getattr(pattern, "url_patterns", None)
        if children is None:
            continue
        namespace = getattr(pattern, "namespace", None)
        inner = f"{prefix}{namespace}:" if namespace else prefix
        for name in wanted:
            if inner and name not in found and name in pattern.reverse_dict:
                found[name] = f"{inner}{name}"
        for name, full in namespaced_names(pattern, wanted, inner).items():
            found.setdefault(name, full)
    return found


def route_paths():
    """name -> {"path", "name"} for each of our routes that reverses, one way or the
    other."""
    from django.urls import NoReverseMatch, get_resolver, reverse

    out = {}
    missing = []
    for name in FLOW_URL_NAMES:
        try:
            out[name] = {"path": reverse(name), "name": name}
        except NoReverseMatch:
            missing.append(name)
    if missing:
        for name, full in namespaced_names(get_resolver(), missing).items():
            try:
                out[name] = {"path": reverse(full), "name": full}
            except NoReverseMatch:
                continue
    return out


def home_is_generated():
    """True when "/" is served by the home view authkit-django generated."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve("/")
    except Resolver404:
        return False
    module = sys.modules.get(getattr(match.func, "__module__", "") or "")
    doc = (getattr(module, "__doc__", None) or "").strip()
    return doc.startswith(HOME_DOCSTRING)


def flow_facts(ctx):
    """The facts, or None when the settings did not load."""
    if ctx.settings is None:
        return None
    from django.conf import settings

    facts = {
        "routes": {},
        "homeGenerated": False,
        "csrf": {
            "cookieName": getattr(settings, "CSRF_COOKIE_NAME", "csrftoken"),
            # The request header as a client sends it: HTTP_X_CSRFTOKEN -> X-CSRFTOKEN.
            "header": getattr(settings, "CSRF_HEADER_NAME", "HTTP_X_CSRFTOKEN")
            .replace("HTTP_", "", 1)
            .replace("_", "-"),
            "useSessions": bool(getattr(settings, "CSRF_USE_SESSIONS", False)),
        },
        "error": None,
    }
    try:
        facts["routes"] = route_paths()
        facts["homeGenerated"] = home_is_generated()
    except Exception as exc:
        facts["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return facts
