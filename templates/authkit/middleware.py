"""Checks every signed-in request's WorkOS session (added by authkit-django).

Its check runs when the view is about to run (``process_view``), after every
middleware has prepared the request, so its place in ``MIDDLEWARE`` does not matter
(authkit-django puts it right after ``AuthenticationMiddleware``). A request that
matches no view (a 404) is left signed out. On a request whose Django session holds
a WorkOS sign-in, it verifies the access token with
WorkOS's public keys (no call to WorkOS while the token is valid), refreshes it
shortly before it expires, and signs the user out when WorkOS refuses the refresh
(the session was revoked, the user deleted). If WorkOS cannot be reached, the user
stays signed in for as long as the current token is valid.

It sets ``request.workos``: ``None`` when nobody is signed in with WorkOS, else an
``AuthKitAuth`` with the user, the session, the organization, role(s), permissions,
entitlements, feature flags and impersonator. It never turns a request into an
error: whatever goes wrong is logged, and the request goes on signed out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.backends.base import SessionBase
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from . import sessions, tokens
from .client import workos_client
from .conf import (
    BACKEND_PATH,
    configuration_problem,
    django_auth_enabled,
    request_timeout,
)

logger = logging.getLogger(__name__)

# Refresh when less than this much of a token's life remains (at most a minute).
REFRESH_FRACTION = 0.25
REFRESH_AHEAD_MAX_SECONDS = 60


@dataclass(frozen=True)
class AuthKitAuth:
    """Who is signed in with WorkOS on this request (``request.workos``)."""

    user: dict[str, Any]
    session_id: str | None
    organization_id: str | None
    role: str | None
    roles: list[str]
    permissions: list[str]
    entitlements: list[str]
    feature_flags: list[str]
    impersonator: dict[str, str] | None
    access_token: str = field(repr=False)
    claims: dict[str, Any] = field(repr=False)

    def has_permission(self, permission: str) -> bool:
        return permission in self.permissions


class AuthKitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.workos = None  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        # Only a request that brought a session cookie can be signed in; others are
        # left untouched (reading the session would add "Vary: Cookie" to them).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return
        try:
            request.workos = _authenticate(request)  # type: ignore[attr-defined]
        except DatabaseError:
            logger.exception(
                "WorkOS sign-in could not read its table: run `manage.py migrate`"
            )
        except Exception:
            # Never a 500 for a sign-in check: this request goes on signed out.
            logger.exception(
                "WorkOS session check failed; request treated as signed out"
            )


def _authenticate(request: HttpRequest) -> AuthKitAuth | None:
    session = getattr(request, "session", None)
    if not isinstance(session, SessionBase):
        return None
    key = session.get(sessions.SESSION_RECORD)
    if key is None:
        if _django_login_is_ours(session):
            # Signed in to Django through WorkOS, but the WorkOS session is gone.
            _sign_out(request, session, "its WorkOS session is no longer stored")
        return None
    if configuration_problem():
        logger.error("WorkOS session not checked: the WorkOS settings are incomplete")
        return None

    record = None
    token = session.get(sessions.SESSION_ACCESS_TOKEN)
    if not isinstance(token, str) or not token:
        record = sessions.load(key)
        if record is None:
            return _sign_out(request, session, "its WorkOS session is no longer stored")
        token = record.access_token
    claims = _verified(request, session, token)
    if claims is None:
        return None

    if _needs_refresh(claims):
        record = record or sessions.load(key)
        if record is None:
            return _sign_out(request, session, "its WorkOS session is no longer stored")
        if record.access_token != token:
            # Another request (maybe in another process) already refreshed: try
            # the token the row holds now before spending the refresh token.
            newer = _verified(request, session, record.access_token)
            if newer is None:
                return None
            token, claims = record.access_token, newer
        if _needs_refresh(claims):
            result = sessions.refresh(record)
            if result.outcome is sessions.Refresh.REFUSED or result.record is None:
                return _sign_out(request, session, "WorkOS ended the session")
            if result.outcome is sessions.Refresh.REFRESHED:
                record = result.record
                refreshed = _verified(request, session, record.access_token)
                if refreshed is None:
                    return None
                token, claims = record.access_token, refreshed
            elif tokens.expired(claims):
                return _sign_out(
                    request,
                    session,
                    "its token expired and WorkOS could not be reached to renew it",
                )
        sessions.remember_token(session, record)

    user = session.get(sessions.SESSION_USER)
    if not isinstance(user, dict) or user.get("id") != claims.get("sub"):
        return _sign_out(request, session, "its token belongs to another user")
    return _auth_from(user, token, claims, session.get(sessions.SESSION_IMPERSONATOR))


def _verified(
    request: HttpRequest, session: SessionBase, token: str
) -> dict[str, Any] | None:
    try:
        return tokens.verify(
            token,
            jwks_url=workos_client().user_management.get_jwks_url(),
            timeout=request_timeout(),
        )
    except tokens.InvalidToken as problem:
        _sign_out(request, session, f"its access token was refused ({problem})")
    except tokens.KeysUnavailable as problem:
        _sign_out(request, session, f"its access token cannot be checked ({problem})")
    return None


def _needs_refresh(claims: dict[str, Any]) -> bool:
    expires = float(claims["exp"])
    issued = claims.get("iat")
    lifetime = expires - float(issued) if isinstance(issued, (int, float)) else 300.0
    ahead = min(REFRESH_AHEAD_MAX_SECONDS, max(0.0, lifetime) * REFRESH_FRACTION)
    return expires - ahead <= time.time()


def _sign_out(request: HttpRequest, session: SessionBase, reason: str) -> None:
    logger.warning("WorkOS sign-in ended for this browser: %s", reason)
    ours = _django_login_is_ours(session)
    sessions.forget(session)
    if ours:
        auth.logout(request)  # flushes the session and sends user_logged_out
    return None


def _django_login_is_ours(session: SessionBase) -> bool:
    return (
        django_auth_enabled()
        and session.get(auth.BACKEND_SESSION_KEY) == BACKEND_PATH
        and session.get(auth.SESSION_KEY) is not None
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _auth_from(
    user: dict[str, Any], token: str, claims: dict[str, Any], impersonator: object
) -> AuthKitAuth:
    role = claims.get("role") if isinstance(claims.get("role"), str) else None
    roles = _strings(claims.get("roles")) or ([role] if role else [])
    session_id = claims.get("sid")
    organization_id = claims.get("org_id")
    return AuthKitAuth(
        user=user,
        session_id=session_id if isinstance(session_id, str) else None,
        organization_id=organization_id if isinstance(organization_id, str) else None,
        role=role,
        roles=roles,
        permissions=_strings(claims.get("permissions")),
        entitlements=_strings(claims.get("entitlements")),
        feature_flags=_strings(claims.get("feature_flags")),
        impersonator=impersonator if isinstance(impersonator, dict) else None,
        access_token=token,
        claims=claims,
    )
