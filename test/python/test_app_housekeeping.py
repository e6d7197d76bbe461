"""What the authkit app does around the sign-in itself: another Django logout deletes
the stored tokens too, `manage.py authkit_clearsessions` deletes unused ones, and a
sign-in that could only go round in circles says why instead. The real emulator, the
real SDK, Django's test client."""

from __future__ import annotations

import io
from datetime import timedelta

from django.contrib.auth import get_user, logout
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from authkit.models import AuthKitSession
from flow_helpers import HOST, Emulator, sign_in


def test_a_django_logout_that_is_not_ours_deletes_the_stored_tokens(
    emulator: Emulator,
) -> None:
    client = Client(HTTP_HOST=HOST)
    sign_in(client)
    key = client.session["authkit_session"]
    assert AuthKitSession.objects.filter(pk=key).exists()

    # As LogoutView, the admin's or allauth's logout do: django.contrib.auth's logout().
    request: HttpRequest = RequestFactory().get("/")
    request.session = client.session
    request.user = get_user(request)
    assert request.user.is_authenticated
    logout(request)

    assert not AuthKitSession.objects.filter(pk=key).exists()


def test_clearsessions_deletes_only_tokens_unused_for_the_session_age(
    emulator: Emulator,
) -> None:
    fresh, stale = Client(HTTP_HOST=HOST), Client(HTTP_HOST=HOST)
    sign_in(fresh)
    sign_in(stale)
    old = timezone.now() - timedelta(days=15)
    AuthKitSession.objects.filter(pk=stale.session["authkit_session"]).update(
        updated_at=old
    )
    out = io.StringIO()

    with override_settings(SESSION_COOKIE_AGE=14 * 24 * 3600):
        call_command("authkit_clearsessions", stdout=out)

    assert "1 stored WorkOS sign-in(s) deleted" in out.getvalue()
    assert AuthKitSession.objects.filter(pk=fresh.session["authkit_session"]).exists()
    assert not AuthKitSession.objects.filter(
        pk=stale.session["authkit_session"]
    ).exists()


def test_a_sign_in_that_would_loop_says_why_instead(emulator: Emulator) -> None:
    client = Client(HTTP_HOST=HOST)
    sign_in(client)
    assert client.get("/auth/me/").status_code == 200

    # The backend is gone from the loaded settings (say, reassigned under an if): the
    # WorkOS sign-in stands, but Django's login does not.
    with override_settings(
        AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend"]
    ):
        page = client.get("/auth/login/?next=/private/")

    assert page.status_code == 503
    assert b"AUTHENTICATION_BACKENDS" in page.content
    assert b"authkit.backends.WorkOSBackend" in page.content
    # With the backend in place, the same request goes to WorkOS as usual.
    assert client.get("/auth/login/?next=/private/").status_code == 302
