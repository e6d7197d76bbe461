"""Signals of WorkOS AuthKit sign-in (added by authkit-django).

A Django logout that is not ours (LogoutView, the admin's, allauth's) also deletes the
WorkOS tokens this browser's session held, so that no refresh token outlives the
session it belongs to.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest


def connect() -> None:
    if apps.is_installed("django.contrib.auth"):
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(forget_tokens, dispatch_uid="authkit.forget_tokens")


def forget_tokens(
    sender: Any, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    from .sessions import SESSION_RECORD, AuthKitSession

    session = getattr(request, "session", None)
    key = session.get(SESSION_RECORD) if session is not None else None
    if isinstance(key, str) and key:
        AuthKitSession.objects.filter(pk=key).delete()
