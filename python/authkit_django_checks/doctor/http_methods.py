"""Checks of the HTTP methods the callback and logout views accept."""

from ..context import urls_module_file
from ..report import FAIL, PASS, WARN, result
from ..site_requests import client_get, page_text, raised
from .roles import routed_view


def check_callback_method(ctx):
    """WorkOS sends the browser back with a GET: the callback must answer it."""
    callback, skip = routed_view(ctx, "callback", needs_path=True)
    if skip:
        return skip
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
            f"GET {callback.path} answers 405 (Method Not Allowed): WorkOS sends the "
            "browser back with a GET, so every sign-in ends there (a POST-only or "
            "csrf_protect'ed route)",
            fix=(
                f"route {callback.path} to a view that answers GET (remove "
                "require_POST / the POST-only wrapper)"
            ),
            **where,
        )
    if status == 403:
        return result(
            FAIL,
            f"GET {callback.path} answers 403: {page_text(response, 160)}",
            fix=(
                "let the callback answer WorkOS's GET: no CSRF or permission check "
                "in front of it"
            ),
            **where,
        )
    source = callback.source or ""
    if "request.POST" in source and "request.GET" not in source:
        return result(
            FAIL,
            f"the callback {callback.name} reads request.POST, but WorkOS sends code "
            "and state in the query string of a GET: request.GET",
            fix="read code and state from request.GET",
            file=callback.file,
            line=callback.line,
        )
    if status >= 500:
        return result(
            WARN,
            f"GET {callback.path} without a code fails with "
            f"{status}{raised(response)}: a forged or cancelled sign-in should get a "
            "clear 4xx page, not a server error",
            fix="answer a missing code or state, and any WorkOS error, with a 400 page",
            file=callback.file,
            line=callback.line,
        )
    location = response.get("Location", "")
    login_url = str(getattr(ctx.settings, "LOGIN_URL", "") or "")
    if status in (301, 302) and login_url and login_url in location:
        return result(
            FAIL,
            f"GET {callback.path} redirects to the login page ({location}): the "
            "callback must be public (Django 5.1+: login_not_required)",
            **where,
        )
    return result(
        PASS,
        f"GET {callback.path} reaches the callback view (answered {status} without a "
        "code, as it should)",
    )


def check_logout_method(ctx):
    """Logout by GET lets any page sign users out (a link, an <img>)."""
    logout, skip = routed_view(ctx, "logout", needs_path=True)
    if skip:
        return skip
    response = client_get(ctx, logout.path)
    status = response.status_code
    if status >= 500:
        return result(
            WARN,
            f"GET {logout.path} fails with {status}{raised(response)}, so whether "
            "logout accepts GET is unknown",
            file=logout.file,
            line=logout.line,
        )
    if 200 <= status < 400:
        where = {"file": logout.file, "line": logout.line}
        return result(
            WARN,
            f"GET {logout.path} signs the user out (answered {status}): any page can "
            "log your users out with a link or an <img>",
            fix=(
                "accept only POST (require_POST) and sign out with a form that "
                "carries {% csrf_token %}"
            ),
            **where,
        )
    return result(PASS, f"logout refuses GET (answered {status}): it needs a POST")
