"""Each signed-in browser's WorkOS tokens, kept on the server (added by authkit-django).

The Django session holds the key of an ``AuthKitSession`` row and, except with the
signed-cookie engine, a copy of the current access token, so that a request whose
token is valid costs no query. The refresh token never leaves the table.

Refresh tokens are single-use: two requests spending the same one would sign the
user out. ``refresh`` therefore takes a lock in the database itself (a conditional
UPDATE, atomic on every backend Django supports), which holds across threads, worker
processes and hosts. The request that takes it calls WorkOS; the others wait for the
row to change and use the tokens it now holds.
"""

from __future__ import annotations

import enum
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Q
from django.utils import timezone

from .client import refused, workos_client
from .conf import request_timeout, tokens_in_cookie
from .models import AuthKitSession

logger = logging.getLogger(__name__)

# Django session keys. "user" is the one templates read.
SESSION_USER = "user"
SESSION_RECORD = "authkit_session"
SESSION_ACCESS_TOKEN = "authkit_access_token"  # noqa: S105 (a key name)
SESSION_IMPERSONATOR = "authkit_impersonator"
SESSION_KEYS = (
    SESSION_USER,
    SESSION_RECORD,
    SESSION_ACCESS_TOKEN,
    SESSION_IMPERSONATOR,
)

WAIT_STEP_SECONDS = 0.05
# After WorkOS failed to refresh a session, how long its requests go on with the
# current token before one tries again.
RETRY_SECONDS = 5


class Refresh(enum.Enum):
    REFRESHED = "refreshed"  # new tokens (by this request or another)
    REFUSED = "refused"  # WorkOS said no: the session is over
    UNAVAILABLE = "unavailable"  # WorkOS did not answer properly; nothing changed


@dataclass
class RefreshResult:
    outcome: Refresh
    # None when the session is over; kept after a refused organization switch.
    record: AuthKitSession | None


def user_fields(user: Any) -> dict[str, Any]:
    # Plain values only: the default session serializer is JSON, and the SDK's user
    # object (a dataclass or a pydantic model, depending on the SDK) is not.
    return {
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "profile_picture_url": user.profile_picture_url,
    }


def impersonator_of(authentication: Any) -> dict[str, str] | None:
    impersonator = getattr(authentication, "impersonator", None)
    email = getattr(impersonator, "email", None)
    if not isinstance(email, str) or not email:
        return None
    reason = getattr(impersonator, "reason", None)
    return {"email": email, "reason": reason if isinstance(reason, str) else ""}


def create(authentication: Any, workos_session_id: str) -> AuthKitSession:
    """A new row for an authentication WorkOS just answered with."""
    impersonator = impersonator_of(authentication) or {"email": "", "reason": ""}
    organization_id = getattr(authentication, "organization_id", None)
    return AuthKitSession.objects.create(
        key=secrets.token_urlsafe(32),
        user_id=authentication.user.id,
        workos_session_id=workos_session_id,
        organization_id=organization_id if isinstance(organization_id, str) else "",
        access_token=authentication.access_token,
        refresh_token=authentication.refresh_token,
        impersonator_email=impersonator["email"],
        impersonator_reason=impersonator["reason"],
    )


def remember(
    session: SessionBase, record: AuthKitSession, user: dict[str, Any]
) -> None:
    """Point the Django session at ``record``."""
    session[SESSION_USER] = user
    session[SESSION_RECORD] = record.key
    remember_token(session, record)


def remember_token(session: SessionBase, record: AuthKitSession) -> None:
    if tokens_in_cookie():
        # The session is in the browser: it keeps only the row's key.
        session.pop(SESSION_ACCESS_TOKEN, None)
    elif session.get(SESSION_ACCESS_TOKEN) != record.access_token:
        session[SESSION_ACCESS_TOKEN] = record.access_token
    impersonator = (
        {"email": record.impersonator_email, "reason": record.impersonator_reason}
        if record.impersonator_email
        else None
    )
    if session.get(SESSION_IMPERSONATOR) != impersonator:
        session[SESSION_IMPERSONATOR] = impersonator


def load(key: object) -> AuthKitSession | None:
    if not isinstance(key, str) or not key:
        return None
    return AuthKitSession.objects.filter(pk=key).first()


# Where sessions signed in before authkit became an app kept the WorkOS session id.
EARLIER_SESSION_ID = "workos_session_id"


def forget(session: SessionBase) -> str | None:
    """Delete this session's row and our keys; the WorkOS session id it had, if any."""
    record = load(session.get(SESSION_RECORD))
    earlier = session.pop(EARLIER_SESSION_ID, None)
    for name in SESSION_KEYS:
        session.pop(name, None)
    if record is None:
        return earlier if isinstance(earlier, str) and earlier else None
    AuthKitSession.objects.filter(pk=record.pk).delete()
    return record.workos_session_id or None


def refresh(
    record: AuthKitSession, organization_id: str | None = None
) -> RefreshResult:
    """New tokens for ``record``, from WorkOS or from whichever request got them first.

    ``organization_id`` switches the session into that organization; without it the
    current organization is carried forward.
    """
    spent = record.refresh_token
    lock_seconds = request_timeout() + 5
    now = timezone.now()
    if (
        organization_id is None
        and record.retry_refresh_at
        and record.retry_refresh_at > now
    ):
        # WorkOS failed moments ago: no request waits on it again before then.
        return RefreshResult(Refresh.UNAVAILABLE, record)
    taken = (
        AuthKitSession.objects.filter(pk=record.pk, refresh_token=spent)
        .filter(Q(refreshing_until__isnull=True) | Q(refreshing_until__lt=now))
        .update(refreshing_until=now + timedelta(seconds=lock_seconds))
    )
    if not taken:
        return _wait_for_refresh(record, spent, lock_seconds)
    target = organization_id or record.organization_id or None
    try:
        answer = workos_client().user_management.authenticate_with_refresh_token(
            refresh_token=spent, organization_id=target
        )
    except Exception as error:
        if refused(error) and organization_id is not None:
            # A switch WorkOS refused (not a member): the session stays as it was.
            logger.info("WorkOS refused the switch to organization %s", organization_id)
            _release(record, spent)
            return RefreshResult(Refresh.REFUSED, record)
        if refused(error):
            # Revoked, expired, or the user is gone: nothing can renew this session.
            logger.info(
                "WorkOS refused to refresh the session of %s; signed out",
                record.user_id,
            )
            AuthKitSession.objects.filter(pk=record.pk).delete()
            return RefreshResult(Refresh.REFUSED, None)
        logger.warning(
            "WorkOS could not refresh the session of %s: %s",
            record.user_id,
            type(error).__name__,
        )
        _release(record, spent, retry=True)
        return RefreshResult(Refresh.UNAVAILABLE, record)
    access_token = getattr(answer, "access_token", None)
    refresh_token = getattr(answer, "refresh_token", None)
    if not isinstance(access_token, str) or not isinstance(refresh_token, str):
        logger.warning("WorkOS's refresh answer held no tokens")
        _release(record, spent, retry=True)
        return RefreshResult(Refresh.UNAVAILABLE, record)
    organization = getattr(answer, "organization_id", None)
    impersonator = impersonator_of(answer) or {"email": "", "reason": ""}
    changes = {
        "access_token": access_token,
        "refresh_token": refresh_token,
        "organization_id": organization if isinstance(organization, str) else "",
        "impersonator_email": impersonator["email"],
        "impersonator_reason": impersonator["reason"],
        "refreshing_until": None,
        "retry_refresh_at": None,
        "updated_at": timezone.now(),
    }
    AuthKitSession.objects.filter(pk=record.pk, refresh_token=spent).update(**changes)
    for name, value in changes.items():
        setattr(record, name, value)
    return RefreshResult(Refresh.REFRESHED, record)


def _release(record: AuthKitSession, spent: str, *, retry: bool = False) -> None:
    retry_at = timezone.now() + timedelta(seconds=RETRY_SECONDS) if retry else None
    AuthKitSession.objects.filter(pk=record.pk, refresh_token=spent).update(
        refreshing_until=None, retry_refresh_at=retry_at
    )
    record.retry_refresh_at = retry_at


def _wait_for_refresh(
    record: AuthKitSession, spent: str, lock_seconds: int
) -> RefreshResult:
    """Another request is refreshing ``record``: wait for its result."""
    deadline = time.monotonic() + lock_seconds
    while True:
        current = load(record.pk)
        if current is None:
            return RefreshResult(Refresh.REFUSED, None)
        if current.refresh_token != spent:
            return RefreshResult(Refresh.REFRESHED, current)
        if current.refreshing_until is None or time.monotonic() >= deadline:
            # That request gave up (WorkOS failed) or died: do not pile on.
            return RefreshResult(Refresh.UNAVAILABLE, current)
        time.sleep(WAIT_STEP_SECONDS)
