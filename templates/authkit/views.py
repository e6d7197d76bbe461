"""Sign-in with WorkOS AuthKit: the views (added by authkit-django).

Routes, in the root urlconf: ``auth/login/`` (``workos_login``), ``auth/callback/``
(``workos_callback``), ``auth/logout/`` (``workos_logout``), ``auth/me/``
(``workos_me``) and ``auth/organization/`` (``workos_organization``).

``auth/me/`` tells a page's JavaScript (a React, Svelte or Vue frontend) who is signed
in: GET only, never cached, it answers ``{"user": {"id", "email", "first_name",
"last_name", "profile_picture_url"}}``, or ``401 {"user": null}`` when nobody is. It
also sets Django's CSRF cookie, so that such a frontend can sign out with
``fetch(logout_url, {method: "POST", headers: {"X-CSRFToken": <csrftoken cookie>}})``.

``auth/organization/`` (POST, ``organization_id``, optional ``next``) moves the
signed-in session into another of the user's organizations; it also finishes a
sign-in for which WorkOS asked the user to choose an organization.

The settings they read are listed in ``conf.py``. Works with the workos package 5.x
and 6 and later.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import jwt
from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import decorators as auth_decorators
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from . import pages, sessions
from .client import error_body, error_code, workos_client
from .conf import (
    BACKEND_PATH,
    SESSIONS_MISSING,
    configuration_problem,
    django_auth_enabled,
)

# These views are how people sign in: they stay public under Django 5.1+'s
# LoginRequiredMiddleware (older Django has no such decorator, nor the need).
login_not_required = getattr(auth_decorators, "login_not_required", lambda view: view)

logger = logging.getLogger(__name__)

SESSION_PENDING_LOGIN = "workos_pending_login"
SESSION_PENDING_ORGANIZATION = "workos_pending_organization"

# The fields auth/me/ answers with, in this order.
USER_FIELDS = ("id", "email", "first_name", "last_name", "profile_picture_url")


@login_not_required
@never_cache
@require_GET
def login(request: HttpRequest) -> HttpResponse:
    """Send the browser to AuthKit's hosted sign-in page."""
    session = _session(request)
    problem = configuration_problem()
    if session is None or problem:
        return pages.configuration_error_page(problem or SESSIONS_MISSING)
    if _sign_in_would_loop(request):
        return pages.configuration_error_page(
            "You are signed in with WorkOS, but this page needs a Django login, and "
            "WorkOS sign-in is not connected to Django's: AUTHENTICATION_BACKENDS (as "
            f"loaded now) does not list {BACKEND_PATH!r}. Add it, or point LOGIN_URL "
            "elsewhere."
        )

    # The state ties the callback to this browser: a callback whose state is not
    # the one stored here was not started by this user (login CSRF, replays).
    state = secrets.token_urlsafe(32)
    session[SESSION_PENDING_LOGIN] = {"state": state, "next": _safe_next_url(request)}
    authorization_url = workos_client().user_management.get_authorization_url(
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
    """Finish the sign-in WorkOS redirected back with: check it, sign the user in."""
    session = _session(request)
    problem = configuration_problem()
    if session is None or problem:
        return pages.configuration_error_page(problem or SESSIONS_MISSING)

    # Taken out of the session whatever happens next, so a state works only once.
    pending = session.pop(SESSION_PENDING_LOGIN, None)

    reported_error = _query_value(request, "error")
    if reported_error:
        # The user cancelled, or WorkOS refused to sign them in.
        reason = _query_value(request, "error_description") or reported_error
        return pages.error_page(
            400,
            "Sign-in was not completed",
            # Anyone can put text in this URL: shown escaped, and kept short.
            f"WorkOS reported: {reason[:300]}",
        )

    code = _query_value(request, "code")
    state = _query_value(request, "state")
    if not code or not state:
        return pages.error_page(
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
        return pages.error_page(
            400,
            "Sign-in could not be completed",
            "The sign-in request does not match this browser session: it expired, "
            "was already used, or was started elsewhere. Start the sign-in again.",
        )
    next_url = pending.get("next") if isinstance(pending, dict) else None
    next_url = next_url if isinstance(next_url, str) else ""

    try:
        authentication = workos_client().user_management.authenticate_with_code(
            code=code
        )
    except Exception as error:
        # Whatever the SDK raises: workos 6 and later a WorkOSError for everything;
        # 5.x its own classes for WorkOS's refusals, httpx's when WorkOS cannot be
        # reached, pydantic's or json's for an answer it cannot read. Each becomes a
        # page (400 when WorkOS refused, else 502), never Django's debug page, whose
        # frames would show the SDK's variables: the API key in its request headers.
        choice = _organization_choice(error)
        if choice is not None:
            token, organizations = choice
            session[SESSION_PENDING_ORGANIZATION] = {"token": token, "next": next_url}
            return pages.organization_picker(request, organizations)
        return pages.workos_failure_page(error)
    return _signed_in(request, session, authentication, next_url)


@login_not_required
@never_cache
@require_POST
@sensitive_variables()
@sensitive_post_parameters()
def organization(request: HttpRequest) -> HttpResponse:
    """Switch the session to another organization, or finish a sign-in into one."""
    session = _session(request)
    problem = configuration_problem()
    if session is None or problem:
        return pages.configuration_error_page(problem or SESSIONS_MISSING)
    organization_id = request.POST.get("organization_id")
    if not isinstance(organization_id, str) or not organization_id:
        return pages.error_page(
            400, "No organization chosen", "Choose an organization."
        )

    pending = session.pop(SESSION_PENDING_ORGANIZATION, None)
    if isinstance(pending, dict) and isinstance(pending.get("token"), str):
        try:
            user_management = workos_client().user_management
            authentication = user_management.authenticate_with_organization_selection(
                pending_authentication_token=pending["token"],
                organization_id=organization_id,
            )
        except Exception as error:
            return pages.workos_failure_page(error)
        next_url = pending.get("next")
        return _signed_in(
            request,
            session,
            authentication,
            next_url if isinstance(next_url, str) else "",
        )

    record = sessions.load(session.get(sessions.SESSION_RECORD))
    if record is None:
        return HttpResponseRedirect(reverse("workos_login"))
    result = sessions.refresh(record, organization_id=organization_id)
    if result.outcome is sessions.Refresh.UNAVAILABLE:
        return pages.unavailable_page()
    if result.outcome is sessions.Refresh.REFUSED or result.record is None:
        if result.record is None:
            # The session itself is over, not just this switch.
            _end_local_session(request, session)
        return pages.error_page(
            403,
            "Organization not available",
            "WorkOS did not switch this session to that organization.",
        )
    sessions.remember_token(session, result.record)
    return HttpResponseRedirect(_next_or_default(request, request.POST.get("next")))


@login_not_required
@never_cache
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the Django session, then the WorkOS one (POST only: CSRF protected)."""
    session = _session(request)
    if session is None:
        return pages.configuration_error_page(SESSIONS_MISSING)
    workos_session_id = sessions.forget(session)
    _end_local_session(request, session)

    after_logout = resolve_url(getattr(settings, "WORKOS_LOGOUT_REDIRECT_URL", "/"))
    if not workos_session_id:
        return HttpResponseRedirect(after_logout)
    if configuration_problem():
        # Still signed out here; WorkOS's session ends when it expires.
        logger.warning("WorkOS logout skipped: the WorkOS settings are incomplete")
        return HttpResponseRedirect(after_logout)
    # Without this, WorkOS's own session stays open and the next sign-in would
    # skip the login form.
    logout_url = workos_client().user_management.get_logout_url(
        session_id=workos_session_id,
        return_to=_absolute_url(request, after_logout),
    )
    return HttpResponseRedirect(logout_url)


@login_not_required
@never_cache
@ensure_csrf_cookie  # the token a frontend sends with its logout POST
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """Who is signed in, as JSON: 200 with the user, or 401 with ``"user": null``."""
    signed_in = getattr(request, "workos", None)
    if signed_in is None and not hasattr(request, "workos"):
        # AuthKitMiddleware is not installed: fall back on the session alone.
        session = _session(request)
        user = session.get(sessions.SESSION_USER) if session is not None else None
    else:
        user = signed_in.user if signed_in is not None else None
    if not isinstance(user, dict) or not user.get("id"):
        return JsonResponse({"user": None}, status=401)
    return JsonResponse({"user": {field: user.get(field) for field in USER_FIELDS}})


def _signed_in(
    request: HttpRequest, session: SessionBase, authentication: Any, next_url: str
) -> HttpResponse:
    """Store the tokens WorkOS answered with and sign the user in."""
    # An answer the SDK could not read may also come back as no object at all.
    user = getattr(authentication, "user", None)
    access_token = getattr(authentication, "access_token", None)
    refresh_token = getattr(authentication, "refresh_token", None)
    if (
        user is None
        or not isinstance(access_token, str)
        or not isinstance(refresh_token, str)
    ):
        logger.error("WorkOS could not complete the sign-in: its answer held no user")
        return pages.unavailable_page()
    profile = sessions.user_fields(user)

    # A WorkOS session this browser had before ends here.
    sessions.forget(session)
    if django_auth_enabled():
        from .backends import AccountConflict, WorkOSBackend

        try:
            django_user = WorkOSBackend().authenticate(
                request,
                workos_user={**profile, "email_verified": user.email_verified},
            )
        except AccountConflict:
            logger.warning("WorkOS user %s has no Django account: conflict", user.id)
            return pages.error_page(
                409,
                "This account cannot be signed in here yet",
                "An account with this email already exists on this site and is not "
                "linked to your sign-in. Ask an administrator to link it.",
                offer_retry=False,
            )
        if django_user is None:
            return pages.error_page(
                403,
                "This account is disabled",
                "Ask an administrator.",
                offer_retry=False,
            )
        # Django's login: a new session key (session fixation), an emptied session
        # for a different person, and a new CSRF token.
        auth.login(request, django_user, backend=BACKEND_PATH)
    else:
        # The same guarantees without Django's users.
        previous_user = session.get(sessions.SESSION_USER)
        if isinstance(previous_user, dict) and previous_user.get("id") != user.id:
            session.flush()
        else:
            session.cycle_key()
        rotate_token(request)

    record = sessions.create(authentication, _workos_session_id(access_token) or "")
    sessions.remember(session, record, profile)
    if next_url:
        return HttpResponseRedirect(next_url)
    return HttpResponseRedirect(
        resolve_url(getattr(settings, "WORKOS_LOGIN_REDIRECT_URL", "/"))
    )


def _sign_in_would_loop(request: HttpRequest) -> bool:
    """Signed in with WorkOS, sent here by @login_required, and signing in again would
    not log into Django either (the backend is not in the loaded settings): the browser
    would go round WorkOS for ever."""
    user = getattr(request, "user", None)
    return (
        getattr(request, "workos", None) is not None
        and user is not None
        and not user.is_authenticated
        and apps.is_installed("django.contrib.auth")
        and not django_auth_enabled()
    )


def _end_local_session(request: HttpRequest, session: SessionBase) -> None:
    if apps.is_installed("django.contrib.auth"):
        auth.logout(request)  # flushes the session, sends user_logged_out
    else:
        session.flush()


def _organization_choice(error: Exception) -> tuple[str, list[dict[str, Any]]] | None:
    """WorkOS asks the user to pick one of several organizations to sign in to."""
    if error_code(error) != "organization_selection_required":
        return None
    body = error_body(error)
    token = getattr(error, "pending_authentication_token", None) or body.get(
        "pending_authentication_token"
    )
    organizations = getattr(error, "organizations", None) or body.get("organizations")
    if not isinstance(token, str) or not isinstance(organizations, list):
        return None
    return token, [org for org in organizations if isinstance(org, dict)]


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


def _is_safe(request: HttpRequest, candidate: object) -> bool:
    return (
        isinstance(candidate, str)
        and bool(candidate)
        and url_has_allowed_host_and_scheme(
            candidate,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
    )


def _safe_next_url(request: HttpRequest) -> str:
    """The ?next= URL if it stays on this site, else "" (no open redirect)."""
    candidate = _query_value(request, "next")
    return candidate if _is_safe(request, candidate) else ""


def _next_or_default(request: HttpRequest, candidate: object) -> str:
    if _is_safe(request, candidate):
        return str(candidate)
    return resolve_url(getattr(settings, "WORKOS_LOGIN_REDIRECT_URL", "/"))


def _same_secret(expected: str, received: str) -> bool:
    # Constant time, so the stored state cannot be guessed byte by byte; bytes,
    # because compare_digest refuses non-ASCII str (a forged state may have some).
    return secrets.compare_digest(expected.encode(), received.encode())


def _workos_session_id(access_token: str) -> str | None:
    """The WorkOS session id (the ``sid`` claim), needed to end that session later.

    Read without checking the signature: the token came straight from WorkOS's
    token endpoint over TLS in the request just made, and the middleware verifies
    it on every request that uses it.
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
