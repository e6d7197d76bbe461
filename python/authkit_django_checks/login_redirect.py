"""The check that the login view redirects to WorkOS with the expected parameters and
keeps the state in the session.
"""

import os

from .report import FAIL, PASS, SKIP, failure_from_exception, result
from .site_requests import TEST_HOST, login_request, page_text

DEFAULT_WORKOS_BASE_URL = "https://api.workos.com"


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
            f"GET {login_path} answered {response.status_code}, not a redirect to "
            f"WorkOS{why}",
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
            f"GET {login_path} redirects within the site to {location}, not to "
            "WorkOS: is the view behind login_required or LoginRequiredMiddleware "
            "(Django 5.1+: decorate it with login_not_required)?",
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
            "the state parameter is not stored in the session (the callback cannot "
            "check it)"
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
        f"GET {login_path} redirects to {actual_url} with "
        f"client_id={expected['client_id']}, "
        f"redirect_uri={expected['redirect_uri']}{host_note}, response_type=code, "
        f"provider=authkit and the state stored in the session under {state_key!r}",
        detail=detail,
    )
