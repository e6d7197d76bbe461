"""Logout: POST only, CSRF protected, and it ends the WorkOS session too."""

from __future__ import annotations

from django.test import Client, override_settings

from authkit.models import AuthKitSession
from flow_helpers import (
    ORIGIN,
    Emulator,
    csrf_token_from,
    query_of,
    session_exists,
    session_key,
    sign_in,
    visit_workos,
)


def test_logout_by_get_is_refused_and_keeps_the_user_signed_in(client: Client) -> None:
    sign_in(client)

    response = client.get("/auth/logout/")

    assert response.status_code == 405
    assert "user" in client.session


def test_logout_without_csrf_token_is_refused(csrf_client: Client) -> None:
    sign_in(csrf_client)

    response = csrf_client.post("/auth/logout/")

    assert response.status_code == 403
    assert "user" in csrf_client.session


def test_logout_ends_both_sessions(csrf_client: Client, emulator: Emulator) -> None:
    sign_in(csrf_client)
    record_key = csrf_client.session["authkit_session"]
    workos_session_id = AuthKitSession.objects.get(pk=record_key).workos_session_id
    key = session_key(csrf_client)
    token = csrf_token_from(csrf_client.get("/"))

    response = csrf_client.post("/auth/logout/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{emulator.url}/user_management/sessions/logout?")
    assert query_of(location) == {
        "session_id": workos_session_id,
        "return_to": f"{ORIGIN}/",
    }
    assert not session_exists(key)
    # The tokens are deleted with it.
    assert not AuthKitSession.objects.filter(pk=record_key).exists()
    assert "user" not in csrf_client.session
    assert b"Welcome," not in csrf_client.get("/").content
    # WorkOS (here its emulator) accepts the URL and sends the browser home.
    assert visit_workos(location) == f"{ORIGIN}/"


def test_logout_redirect_setting_is_sent_as_return_to(
    csrf_client: Client, emulator: Emulator
) -> None:
    sign_in(csrf_client)
    token = csrf_token_from(csrf_client.get("/"))

    with override_settings(WORKOS_LOGOUT_REDIRECT_URL="/goodbye/"):
        response = csrf_client.post("/auth/logout/", {"csrfmiddlewaretoken": token})

    assert query_of(response["Location"])["return_to"] == f"{ORIGIN}/goodbye/"


def test_logout_without_a_workos_session_goes_home(client: Client) -> None:
    response = client.post("/auth/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
