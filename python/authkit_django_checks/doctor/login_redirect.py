"""Doctor's login check: the login view redirects to WorkOS's authorize URL, whatever
its URL name and wherever its code lives.
"""

import os

from ..login_redirect import expected_authorize_urls
from ..report import FAIL, PASS, SKIP, failure_from_exception, result
from ..site_requests import TEST_HOST, login_request, page_text


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
            f"GET {login.path} answered {response.status_code}, not a redirect to "
            f"WorkOS{why}",
            file=login.file,
            line=login.line,
        )
    parts = urlsplit(location)
    if not parts.netloc or parts.netloc == TEST_HOST:
        return result(
            FAIL,
            f"GET {login.path} redirects within the site to {location}, not to "
            "WorkOS: is the view behind login_required or LoginRequiredMiddleware "
            "(Django 5.1+: decorate it with login_not_required)?",
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
