"""Login and callback: the happy path and the checks that guard it."""

from __future__ import annotations

import json

from django.test import Client, override_settings

from authkit.models import AuthKitSession, WorkOSUser
from flow_helpers import (
    CALLBACK_URL,
    Emulator,
    create_workos_user,
    follow_to_django,
    load_session,
    query_of,
    session_exists,
    session_key,
    sign_in,
    start_login,
    visit_workos,
)


def test_login_redirects_to_workos_authorize_with_state(
    client: Client, emulator: Emulator
) -> None:
    response = client.get("/auth/login/")

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{emulator.url}/user_management/authorize?")
    query = query_of(location)
    assert query["client_id"] == emulator.client_id
    assert query["redirect_uri"] == CALLBACK_URL
    assert query["provider"] == "authkit"
    assert query["response_type"] == "code"
    pending = client.session["workos_pending_login"]
    assert query["state"] == pending["state"]
    assert len(query["state"]) >= 32
    assert "no-store" in response["Cache-Control"]


def test_each_login_gets_a_new_state(client: Client) -> None:
    first = query_of(start_login(client))["state"]
    second = query_of(start_login(client))["state"]

    assert first != second
    assert client.session["workos_pending_login"]["state"] == second


def test_configured_redirect_uri_is_sent_to_workos(client: Client) -> None:
    fixed = "http://localhost:9999/sso/done/"
    with override_settings(WORKOS_REDIRECT_URI=fixed):
        location = start_login(client)

    assert query_of(location)["redirect_uri"] == fixed


def test_full_sign_in_stores_the_user_and_rotates_the_session(
    client: Client, emulator: Emulator
) -> None:
    start_login(client)
    key_before = session_key(client)
    callback_url = visit_workos(start_login(client))

    response = follow_to_django(client, callback_url)

    assert response.status_code == 302
    assert response["Location"] == "/"
    key_after = session_key(client)
    assert key_after != key_before
    assert not session_exists(key_before)
    stored = load_session(key_after)
    user = stored["user"]
    assert user["email"] == emulator.email
    assert user["first_name"] == "Test"
    assert user["last_name"] == "User"
    assert user["id"].startswith("user_")
    assert "profile_picture_url" in user
    assert set(user) == {
        "id",
        "email",
        "first_name",
        "last_name",
        "profile_picture_url",
    }
    assert json.loads(json.dumps(user)) == user
    assert "workos_pending_login" not in stored
    # The tokens stay on the server, in authkit's table; the session holds its key.
    record = AuthKitSession.objects.get(pk=stored["authkit_session"])
    assert record.user_id == user["id"]
    assert record.workos_session_id.startswith("session_")
    assert record.refresh_token
    assert "refresh_token" not in json.dumps(dict(stored))
    assert record.refresh_token not in json.dumps(dict(stored))
    # Django auth: request.user is the Django user made for this WorkOS user.
    assert stored["_auth_user_backend"] == "authkit.backends.WorkOSBackend"
    django_user = WorkOSUser.objects.get(workos_id=user["id"]).user
    assert str(django_user.pk) == stored["_auth_user_id"]
    assert django_user.email == emulator.email
    assert not django_user.has_usable_password()


def test_home_shows_the_signed_in_user_and_a_logout_form(
    client: Client, emulator: Emulator
) -> None:
    sign_in(client)

    page = client.get("/")

    assert page.status_code == 200
    html = page.content.decode()
    assert f"Welcome, {emulator.email}" in html
    assert 'method="post" action="/auth/logout/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert ">Log out</button>" in html
    assert "Log in" not in html


def test_home_shows_a_login_link_when_signed_out(client: Client) -> None:
    page = client.get("/")

    assert page.status_code == 200
    html = page.content.decode()
    assert '<a class="button" href="/auth/login/">Log in</a>' in html
    assert "Welcome," not in html
    assert "Log out" not in html


def test_forged_state_is_refused_and_nobody_is_signed_in(client: Client) -> None:
    callback_url = visit_workos(start_login(client))
    forged = callback_url.replace("state=", "state=forged")

    response = follow_to_django(client, forged)

    assert response.status_code == 400
    assert b"does not match this browser session" in response.content
    assert "user" not in client.session
    assert b"Welcome," not in client.get("/").content


def test_state_with_non_ascii_characters_is_a_400_not_a_crash(client: Client) -> None:
    start_login(client)

    response = client.get("/auth/callback/", {"code": "abc", "state": "\u00e9t\u00e9"})

    assert response.status_code == 400
    assert "user" not in client.session


def test_state_is_single_use(client: Client) -> None:
    callback_url = visit_workos(start_login(client))
    assert follow_to_django(client, callback_url).status_code == 302

    replay = follow_to_django(client, callback_url)

    assert replay.status_code == 400
    assert b"does not match this browser session" in replay.content


def test_callback_without_a_login_in_this_session_is_refused(client: Client) -> None:
    other_browser = Client(HTTP_HOST=client.defaults["HTTP_HOST"])
    callback_url = visit_workos(start_login(other_browser))

    response = follow_to_django(client, callback_url)

    assert response.status_code == 400
    assert "user" not in client.session


def test_missing_code_is_refused(client: Client) -> None:
    state = query_of(start_login(client))["state"]

    response = client.get("/auth/callback/", {"state": state})

    assert response.status_code == 400
    assert b"needs the code and state" in response.content
    assert "user" not in client.session


def test_missing_state_is_refused(client: Client) -> None:
    callback_url = visit_workos(start_login(client))
    code = query_of(callback_url)["code"]

    response = client.get("/auth/callback/", {"code": code})

    assert response.status_code == 400
    assert "user" not in client.session


def test_next_to_another_site_is_ignored(client: Client) -> None:
    for target in (
        "https://evil.example/",
        "//evil.example/path",
        "javascript:alert(1)",
    ):
        response = sign_in(client, next=target)

        assert response.status_code == 302, target
        assert response["Location"] == "/", target


def test_next_on_this_site_is_honoured(client: Client) -> None:
    response = sign_in(client, next="/inside/?tab=1")

    assert response.status_code == 302
    assert response["Location"] == "/inside/?tab=1"


def test_login_redirect_setting_is_honoured(client: Client) -> None:
    with override_settings(WORKOS_LOGIN_REDIRECT_URL="/dashboard/"):
        response = sign_in(client)

    assert response["Location"] == "/dashboard/"


def test_signing_in_again_keeps_the_session_data_of_the_same_user(
    client: Client,
) -> None:
    sign_in(client)
    session = client.session
    session["cart"] = ["book"]
    session.save()

    sign_in(client)

    assert client.session["cart"] == ["book"]


def test_a_different_user_signing_in_gets_a_fresh_session(
    client: Client, emulator: Emulator
) -> None:
    second_email = "second.user@example.com"
    create_workos_user(emulator, second_email)
    sign_in(client)
    session = client.session
    session["cart"] = ["book"]
    session.save()

    sign_in(client, login_hint=second_email)

    assert client.session["user"]["email"] == second_email
    assert "cart" not in client.session


def test_head_on_the_callback_does_not_spend_the_state(client: Client) -> None:
    callback_url = visit_workos(start_login(client))
    path = callback_url.removeprefix("http://localhost:8000")

    assert client.head(path).status_code == 405
    assert "workos_pending_login" in client.session
    assert follow_to_django(client, callback_url).status_code == 302
