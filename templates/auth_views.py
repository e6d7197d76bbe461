"""Sign-in with WorkOS AuthKit: login, callback and logout views.

Added by authkit-django. Routes, in the root urlconf: ``auth/login/``
(``workos_login``), ``auth/callback/`` (``workos_callback``), ``auth/logout/``
(``workos_logout``), ``auth/me/`` (``workos_me``).

``auth/me/`` tells a page's JavaScript (a React, Svelte or Vue frontend) who is signed
in: GET only, never cached, it answers ``{"user": {"id", "email", "first_name",
"last_name", "profile_picture_url"}}``, or ``401 {"user": null}`` when nobody is. It
also sets Django's CSRF cookie, so that such a frontend can sign out with
``fetch(logout_url, {method: "POST", headers: {"X-CSRFToken": <csrftoken cookie>}})``.

Settings read on every request, so per-environment settings and test overrides apply:

- ``WORKOS_API_KEY`` (starts with ``sk_``) and ``WORKOS_CLIENT_ID`` (``client_``).
- ``WORKOS_REDIRECT_URI`` (optional): the callback URL registered with WorkOS. Default:
  the absolute URL of ``workos_callback`` for the current request's host.
- ``WORKOS_LOGIN_REDIRECT_URL`` / ``WORKOS_LOGOUT_REDIRECT_URL`` (optional, default
  ``"/"``): where to go after signing in / out; a path or a URL name.
- ``WORKOS_REQUEST_TIMEOUT`` (optional, seconds, default 10): how long a call to WorkOS
  may take. The code exchange is never retried: a code works once.

The WorkOS SDK reads ``WORKOS_BASE_URL`` from the environment itself (default
``https://api.workos.com``). Works with the workos package 5.x and 6 and later.
"""

from __future__ import annotations

import inspect
import logging
import os
import secrets
import threading
from html import escape
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth import decorators as auth_decorators
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_POST
from workos import WorkOSClient

# These views are how people sign in: they stay public under Django 5.1+'s
# LoginRequiredMiddleware (older Django has no such decorator, nor the need).
login_not_required = getattr(auth_decorators, "login_not_required", lambda view: view)


logger = logging.getLogger(__name__)

# Session keys. "user" is the one templates read; the others belong to these views.
SESSION_USER = "user"
SESSION_WORKOS_SESSION_ID = "workos_session_id"
SESSION_PENDING_LOGIN = "workos_pending_login"

REQUIRED_SETTINGS = (("WORKOS_API_KEY", "sk_"), ("WORKOS_CLIENT_ID", "client_"))
SESSIONS_MISSING = (
    "Sessions are not enabled: add 'django.contrib.sessions' to INSTALLED_APPS and "
    "'django.contrib.sessions.middleware.SessionMiddleware' to MIDDLEWARE."
)


@login_not_required
@never_cache
@require_GET
def login(request: HttpRequest) -> HttpResponse:
    """Send the browser to AuthKit's hosted sign-in page."""
    session = _session(request)
    problem = _configuration_problem()
    if session is None or problem:
        return _configuration_error_page(problem or SESSIONS_MISSING)

    # The state ties the callback to this browser: a callback whose state is not
    # the one stored here was not started by this user (login CSRF, replays).
    state = secrets.token_urlsafe(32)
    session[SESSION_PENDING_LOGIN] = {
        "state": state,
        "next": _safe_next_url(request),
    }
    authorization_url = _workos_client().user_management.get_authorization_url(
        provider="authkit",
        redirect_uri=_redirect_uri(request),
        state=state,
    )
    return HttpResponseRedirect(authorization_url)


@login_not_required
@never_cache
@require_GET  # WorkOS redirects with GET; a HEAD must not spend the state and code.
@sensitive_variables()  # error reports show none of this view's locals (code, tokens)
def callback(request: HttpRequest) -> HttpResponse:
    """Finish the sign-in WorkOS redirected back with: check it, log the user in."""
    session = _session(request)
    problem = _configuration_problem()
    if session is None or problem:
        return _configuration_error_page(problem or SESSIONS_MISSING)

    # Taken out of the session whatever happens next, so a state works only once.
    pending = session.pop(SESSION_PENDING_LOGIN, None)

    reported_error = _query_value(request, "error")
    if reported_error:
        # The user cancelled, or WorkOS refused to sign them in.
        reason = _query_value(request, "error_description") or reported_error
        return _error_page(
            400,
            "Sign-in was not completed",
            # Anyone can put text in this URL: shown escaped, and kept short.
            f"WorkOS reported: {reason[:300]}",
        )

    code = _query_value(request, "code")
    state = _query_value(request, "state")
    if not code or not state:
        return _error_page(
            400,
            "Sign-in could not be completed",
            "This page needs the code and state WorkOS sends after signing in. "
            "Start the sign-in again.",
        )
    expected_state = pending.get("state") if isinstance(pending, dict) else None
    if not isinstance(expected_state, str) or not _same_secret(expected_state, state):
        # Also what a session cookie that did not come back looks like (for
        # example SESSION_COOKIE_SAMESITE = "Strict"): say so in the logs.
        logger.warning(
            "WorkOS callback refused: %s",
            "state differs" if expected_state else "no sign-in pending in session",
        )
        return _error_page(
            400,
            "Sign-in could not be completed",
            "The sign-in request does not match this browser session: it expired, "
            "was already used, or was started elsewhere. Start the sign-in again.",
        )

    try:
        authentication = _workos_client().user_management.authenticate_with_code(
            code=code
        )
    except Exception as error:
        # Whatever the SDK raises: workos 6 and later a WorkOSError for everything;
        # 5.x its own classes for WorkOS's refusals, httpx's when WorkOS cannot be
        # reached, pydantic's or json's for an answer it cannot read. Each becomes a
        # page (400 when WorkOS refused, else 502), never Django's debug page, whose
        # frames would show the SDK's variables: the API key in its request headers.
        return _workos_failure_page(error)

    # An answer the SDK could not read may also come back as no object at all.
    user = getattr(authentication, "user", None)
    access_token = getattr(authentication, "access_token", None)
    if user is None or not isinstance(access_token, str):
        logger.error("WorkOS could not complete the sign-in: its answer held no user")
        return _workos_unavailable_page()
    workos_session_id = _workos_session_id(access_token)

    # A new session key on every sign-in, so a key planted before sign-in (session
    # fixation) is worth nothing after it; a different person gets an empty session.
    previous_user = session.get(SESSION_USER)
    if isinstance(previous_user, dict) and previous_user.get("id") != user.id:
        session.flush()
    else:
        session.cycle_key()

    # Plain values only: the default session serializer is JSON, and the SDK's user
    # object (a dataclass or a pydantic model, depending on the SDK) is not.
    session[SESSION_USER] = {
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "profile_picture_url": user.profile_picture_url,
    }
    if workos_session_id:
        session[SESSION_WORKOS_SESSION_ID] = workos_session_id
    else:
        session.pop(SESSION_WORKOS_SESSION_ID, None)

    next_url = pending.get("next") if isinstance(pending, dict) else None
    if isinstance(next_url, str) and next_url:
        return HttpResponseRedirect(next_url)
    return HttpResponseRedirect(
        resolve_url(getattr(settings, "WORKOS_LOGIN_REDIRECT_URL", "/"))
    )


@login_not_required
@never_cache
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the Django session, then the WorkOS one (POST only: CSRF protected)."""
    session = _session(request)
    if session is None:
        return _configuration_error_page(SESSIONS_MISSING)
    workos_session_id = session.get(SESSION_WORKOS_SESSION_ID)
    session.flush()

    after_logout = resolve_url(getattr(settings, "WORKOS_LOGOUT_REDIRECT_URL", "/"))
    if not isinstance(workos_session_id, str) or not workos_session_id:
        return HttpResponseRedirect(after_logout)
    if _configuration_problem():
        # Still signed out here; WorkOS's session ends when it expires.
        logger.warning("WorkOS logout skipped: the WorkOS settings are incomplete")
        return HttpResponseRedirect(after_logout)
    # Without this, WorkOS's own session stays open and the next sign-in would
    # skip the login form.
    logout_url = _workos_client().user_management.get_logout_url(
        session_id=workos_session_id,
        return_to=_absolute_url(request, after_logout),
    )
    return HttpResponseRedirect(logout_url)


# The fields the callback stores, in this order; nothing else leaves the session.
USER_FIELDS = ("id", "email", "first_name", "last_name", "profile_picture_url")


@login_not_required
@never_cache
@ensure_csrf_cookie  # the token a frontend sends with its logout POST
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """Who is signed in, as JSON: 200 with the user, or 401 with ``"user": null``."""
    session = _session(request)
    user = session.get(SESSION_USER) if session is not None else None
    if not isinstance(user, dict) or not user.get("id"):
        return JsonResponse({"user": None}, status=401)
    return JsonResponse({"user": {field: user.get(field) for field in USER_FIELDS}})


DEFAULT_REQUEST_TIMEOUT = 10

# workos 6 and later retry a failed request (three times, with backoff) unless told
# not to; 5.x has no such parameter and does not retry.
_SDK_RETRIES = "max_retries" in inspect.signature(WorkOSClient.__init__).parameters

# One client per process and configuration, so its HTTP connection pool is reused;
# keyed by what it is built from, so changed settings (tests, per-site settings) and
# WORKOS_BASE_URL get a client of their own.
_clients: dict[tuple[str, str, str, int], WorkOSClient] = {}
_clients_lock = threading.Lock()


def _workos_client() -> WorkOSClient:
    """The client for the current settings, built on first use."""
    timeout = _request_timeout()
    key = (
        settings.WORKOS_API_KEY,
        settings.WORKOS_CLIENT_ID,
        os.environ.get("WORKOS_BASE_URL", ""),
        timeout,
    )
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _new_client(timeout)
            _clients[key] = client
    return client


def _new_client(timeout: int) -> WorkOSClient:
    options: dict[str, Any] = {
        "api_key": settings.WORKOS_API_KEY,
        "client_id": settings.WORKOS_CLIENT_ID,
        "request_timeout": timeout,
    }
    if _SDK_RETRIES:
        # A sign-in code works once: a retry after a timeout can only fail, and
        # three of them held the browser for minutes.
        options["max_retries"] = 0
    return WorkOSClient(**options)


def _request_timeout() -> int:
    value = getattr(settings, "WORKOS_REQUEST_TIMEOUT", DEFAULT_REQUEST_TIMEOUT)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return DEFAULT_REQUEST_TIMEOUT
    return max(1, int(value))


def _configuration_problem() -> str | None:
    """What is wrong with the WorkOS settings, without ever echoing their values."""
    for name, prefix in REQUIRED_SETTINGS:
        value = getattr(settings, name, "")
        if not isinstance(value, str) or not value.strip():
            return f"{name} is not set. Add it to the environment or the .env file."
        if not value.startswith(prefix):
            return (
                f"{name} does not look right: it should start with {prefix!r}. "
                "Copy it again from the WorkOS dashboard."
            )
    return None


def _session(request: HttpRequest) -> SessionBase | None:
    # Set by SessionMiddleware; HttpRequest itself does not declare it.
    session = getattr(request, "session", None)
    return session if isinstance(session, SessionBase) else None


def _query_value(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name)
    return value if isinstance(value, str) else ""


def _absolute_url(request: HttpRequest, location: str) -> str:
    return str(request.build_absolute_uri(location))


def _redirect_uri(request: HttpRequest) -> str:
    configured = getattr(settings, "WORKOS_REDIRECT_URI", "")
    if isinstance(configured, str) and configured:
        return configured
    return _absolute_url(request, reverse("workos_callback"))


def _safe_next_url(request: HttpRequest) -> str:
    """The ?next= URL if it stays on this site, else "" (no open redirect)."""
    candidate = _query_value(request, "next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return candidate
    return ""


def _same_secret(expected: str, received: str) -> bool:
    # Constant time, so the stored state cannot be guessed byte by byte; bytes,
    # because compare_digest refuses non-ASCII str (a forged state may have some).
    return secrets.compare_digest(expected.encode(), received.encode())


def _workos_session_id(access_token: str) -> str | None:
    """The WorkOS session id (the ``sid`` claim), needed to end that session later.

    The signature is not checked: this token came straight from WorkOS's token
    endpoint over TLS in the request just made, and it is used only to know which
    WorkOS session to end, never to decide who the user is.
    """
    try:
        claims: dict[str, Any] = jwt.decode(
            access_token, options={"verify_signature": False}
        )
    except jwt.PyJWTError:
        logger.warning("WorkOS access token could not be read; logout stays local")
        return None
    session_id = claims.get("sid")
    return session_id if isinstance(session_id, str) and session_id else None


def _workos_failure_page(error: Exception) -> HttpResponse:
    """A WorkOS error as a page: 400 when WorkOS refused, 502 when it failed."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    if isinstance(status, int) and 400 <= status < 500:
        reason = _workos_reason(error)
        logger.warning("WorkOS refused the sign-in (HTTP %s): %s", status, reason)
        return _error_page(
            400,
            "Sign-in could not be completed",
            f"WorkOS refused the sign-in: {reason}. Start the sign-in again.",
        )
    # No answer (connection refused, timeout, DNS), a server error, or an answer
    # the SDK could not read: nothing the user did wrong, so not a 4xx. Only the
    # class is logged: some of these errors quote the answer, tokens included.
    logger.error(
        "WorkOS could not complete the sign-in: %s (HTTP status %s)",
        type(error).__name__,
        status,
    )
    return _workos_unavailable_page()


def _workos_unavailable_page() -> HttpResponse:
    return _error_page(
        502,
        "WorkOS could not be reached",
        "The sign-in service did not answer properly. Try again in a moment.",
    )


def _workos_reason(error: Exception) -> str:
    """WorkOS's explanation of a refusal, as the SDK exposes it."""
    for attribute in ("error_description", "message"):
        value = getattr(error, attribute, None)
        # workos 5.x fills absent fields with these placeholders.
        if isinstance(value, str) and value and value not in ("Unknown", "No message"):
            return value
    return "no reason given"


def _configuration_error_page(problem: str) -> HttpResponse:
    logger.error("WorkOS sign-in is not configured: %s", problem)
    return _error_page(503, "Sign-in is not configured", problem, offer_retry=False)


def _error_page(
    status: int, title: str, detail: str, *, offer_retry: bool = True
) -> HttpResponse:
    # Plain HTML with every value escaped: no template to find, nothing to leak.
    retry = (
        f'<a href="{escape(reverse("workos_login"))}">Sign in again</a> &middot; '
        if offer_retry
        else ""
    )
    body = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head>\n<body><h1>{escape(title)}</h1>"
        f'<p>{escape(detail)}</p><p>{retry}<a href="/">Home</a></p></body></html>\n'
    )
    return HttpResponse(
        body.encode("utf-8"), status=status, content_type="text/html; charset=utf-8"
    )
