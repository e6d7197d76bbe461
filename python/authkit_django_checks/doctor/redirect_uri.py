"""Doctor's redirect URI check: the URI the login view sends leads to the callback view
and agrees with WORKOS_REDIRECT_URI. Also gives the dashboard values.
"""

import os

from ..context import settings_file
from ..dashboard import origin_of
from ..report import FAIL, PASS, SKIP, WARN, result
from ..site_requests import TEST_HOST
from .view_source import view_target


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
            "not checked: the login view did not redirect to WorkOS, and "
            "WORKOS_REDIRECT_URI is not set",
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
                f"{what}, but the callback route is {callback.path}: they differ by "
                f"the trailing slash, and {how}",
                fix=(
                    f"make the redirect URI end with {callback.path} (and register "
                    "exactly that in the WorkOS dashboard)"
                ),
                **where,
            ), values
        return result(
            FAIL,
            f"{what}, whose path {path} does not lead to the callback view "
            f"{callback.name} (routed at {callback.path})",
            fix=f"make the redirect URI end with {callback.path}",
            **where,
        ), values
    if sent and configured and not built_from_request and configured != sent:
        return result(
            FAIL,
            f"{what}, but WORKOS_REDIRECT_URI is {configured} "
            f"({url_difference(configured, sent)}): WorkOS refuses a redirect URI "
            "that is not registered exactly",
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
