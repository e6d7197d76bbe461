"""Django users for WorkOS users (added by authkit-django).

``WorkOSBackend`` finds the Django user linked to a WorkOS user id (``WorkOSUser``)
or makes one on the first sign-in, and keeps its email and names as WorkOS has them.
It never takes over an existing account because the email matches: that would let
whoever controls an email at WorkOS sign in as the Django user who has it. With
``WORKOS_LINK_USERS_BY_EMAIL = True`` it links such an account, and then only when
WorkOS has verified the email and exactly one unlinked user has it.

It extends Django's ``ModelBackend``, so permissions, groups and ``is_active`` work
as for any Django user. Password sign-in is not offered by this backend.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from .conf import link_users_by_email

logger = logging.getLogger(__name__)


class AccountConflict(Exception):
    """A Django account already has this email and may not be linked to it."""


class WorkOSBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        workos_user: dict[str, Any] | None = None,
        **credentials: Any,
    ) -> Any:
        # Called by authkit's callback with the user WorkOS just authenticated;
        # any other call (a username and password) is not for this backend.
        if not isinstance(workos_user, dict) or not workos_user.get("id"):
            return None
        user = user_for(workos_user)
        return user if self.user_can_authenticate(user) else None


def user_for(workos_user: dict[str, Any]) -> Any:
    """The Django user linked to ``workos_user``, made or linked on first sign-in."""
    from .models import WorkOSUser  # only defined with django.contrib.auth

    workos_id = str(workos_user["id"])
    link = WorkOSUser.objects.select_related("user").filter(workos_id=workos_id).first()
    if link is not None:
        _sync(link.user, workos_user)
        return link.user
    try:
        with transaction.atomic():
            user = _existing_by_email(workos_user) or _new_user(workos_user)
            WorkOSUser.objects.create(user=user, workos_id=workos_id)
    except IntegrityError:
        # The same person signing in twice at once: the other request linked first.
        link = (
            WorkOSUser.objects.select_related("user")
            .filter(workos_id=workos_id)
            .first()
        )
        if link is None:
            raise AccountConflict("the Django user could not be created") from None
        return link.user
    return user


def _email_field() -> str:
    return get_user_model().get_email_field_name()


def _existing_by_email(workos_user: dict[str, Any]) -> Any:
    email = workos_user.get("email")
    if not link_users_by_email() or not isinstance(email, str) or not email:
        return None
    if workos_user.get("email_verified") is not True:
        logger.warning(
            "WorkOS user %s not linked by email: unverified", workos_user["id"]
        )
        return None
    from .models import WorkOSUser

    model = get_user_model()
    candidates = list(
        model._default_manager.filter(**{f"{_email_field()}__iexact": email}).exclude(
            pk__in=WorkOSUser.objects.values("user_id")
        )[:2]
    )
    return candidates[0] if len(candidates) == 1 else None


def _new_user(workos_user: dict[str, Any]) -> Any:
    model: Any = get_user_model()
    username_field = model.USERNAME_FIELD
    email = workos_user.get("email") or ""
    fields = _profile(model, workos_user)
    if username_field != _email_field():
        fields[username_field] = _free_username(
            model, username_field, email, workos_user
        )
    elif model._default_manager.filter(**{f"{username_field}__iexact": email}).exists():
        # Email is the username here and another account has it: never merged.
        raise AccountConflict("a Django user with this email already exists")
    user = model(**fields)
    user.set_unusable_password()  # signs in through WorkOS only
    user.save()
    return user


def _free_username(
    model: Any, field: str, email: str, workos_user: dict[str, Any]
) -> str:
    """The email as username when it fits and is free, else the WorkOS user id."""
    max_length = model._meta.get_field(field).max_length or 150
    taken = model._default_manager.filter(**{f"{field}__iexact": email}).exists
    if email and len(email) <= max_length and not taken():
        return email
    return str(workos_user["id"])[:max_length]


def _profile(model: Any, workos_user: dict[str, Any]) -> dict[str, Any]:
    """Email and names, for the fields this user model has."""
    names = {field.name for field in model._meta.get_fields()}
    values = {
        _email_field(): workos_user.get("email") or "",
        "first_name": workos_user.get("first_name") or "",
        "last_name": workos_user.get("last_name") or "",
    }
    return {name: value for name, value in values.items() if name in names}


def _sync(user: Any, workos_user: dict[str, Any]) -> None:
    """Email and names as WorkOS has them now."""
    changed = [
        name
        for name, value in _profile(type(user), workos_user).items()
        if getattr(user, name) != value
    ]
    if not changed:
        return
    for name in changed:
        setattr(user, name, _profile(type(user), workos_user)[name])
    try:
        with transaction.atomic():
            user.save(update_fields=changed)
    except IntegrityError:
        # An email that is a unique username elsewhere: keep the old one.
        logger.warning("Django user %s not updated from WorkOS: conflict", user.pk)
        user.refresh_from_db(fields=changed)
