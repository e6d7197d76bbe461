"""The few pages WorkOS sign-in shows itself (added by authkit-django).

Plain HTML with every value escaped: no template to find (they work whatever the
project's TEMPLATES say), nothing of the request to leak.
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse

from .client import error_status, refusal_reason

logger = logging.getLogger(__name__)


def page(title: str, body_html: str, status: int = 200) -> HttpResponse:
    html = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head>\n<body><h1>{escape(title)}</h1>"
        f"{body_html}</body></html>\n"
    )
    return HttpResponse(
        html.encode("utf-8"), status=status, content_type="text/html; charset=utf-8"
    )


def error_page(
    status: int, title: str, detail: str, *, offer_retry: bool = True
) -> HttpResponse:
    retry = (
        f'<a href="{escape(reverse("workos_login"))}">Sign in again</a> &middot; '
        if offer_retry
        else ""
    )
    return page(
        title, f'<p>{escape(detail)}</p><p>{retry}<a href="/">Home</a></p>', status
    )


def configuration_error_page(problem: str) -> HttpResponse:
    logger.error("WorkOS sign-in is not configured: %s", problem)
    return error_page(503, "Sign-in is not configured", problem, offer_retry=False)


def unavailable_page() -> HttpResponse:
    return error_page(
        502,
        "WorkOS could not be reached",
        "The sign-in service did not answer properly. Try again in a moment.",
    )


def workos_failure_page(error: Exception, what: str = "sign-in") -> HttpResponse:
    """A WorkOS error as a page: 400 when WorkOS refused, 502 when it failed."""
    status = error_status(error)
    if isinstance(status, int) and 400 <= status < 500:
        reason = refusal_reason(error)
        logger.warning("WorkOS refused the %s (HTTP %s): %s", what, status, reason)
        return error_page(
            400,
            "Sign-in could not be completed",
            f"WorkOS refused the {what}: {reason}. Start the sign-in again.",
        )
    # No answer (connection refused, timeout, DNS), a server error, or an answer
    # the SDK could not read: nothing the user did wrong, so not a 4xx. Only the
    # class is logged: some of these errors quote the answer, tokens included.
    logger.error(
        "WorkOS could not complete the %s: %s (HTTP status %s)",
        what,
        type(error).__name__,
        status,
    )
    return unavailable_page()


def organization_picker(
    request: HttpRequest, organizations: list[dict[str, Any]]
) -> HttpResponse:
    """Choose the organization to sign in to (WorkOS asked: several are possible)."""
    action = escape(reverse("workos_organization"))
    token = escape(get_token(request))
    buttons = "".join(
        '<li><button type="submit" name="organization_id" '
        f'value="{escape(str(org["id"]))}">'
        f"{escape(str(org.get('name') or org['id']))}</button></li>"
        for org in organizations
        if isinstance(org, dict) and org.get("id")
    )
    return page(
        "Choose an organization",
        f'<form method="post" action="{action}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        f"<ul>{buttons}</ul></form>",
    )
