"""auth/me/: who is signed in, for a page's JavaScript. GET only, never cached, and the
CSRF cookie a frontend needs to sign out with a POST."""

from __future__ import annotations

import json

from django.test import Client

from flow_helpers import Emulator, sign_in

USER_KEYS = ["id", "email", "first_name", "last_name", "profile_picture_url"]


def test_nobody_signed_in_is_401_with_user_null(client: Client) -> None:
    response = client.get("/auth/me/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"user": None}


def test_signed_in_user_from_workos(client: Client, emulator: Emulator) -> None:
    sign_in(client)

    response = client.get("/auth/me/")

    assert response.status_code == 200
    user = json.loads(response.content)["user"]
    assert list(user) == USER_KEYS
    assert user["email"] == emulator.email
    assert user["id"] == client.session["user"]["id"]
    assert user["id"].startswith("user_")


def test_only_the_user_fields_leave_the_session(client: Client) -> None:
    sign_in(client)
    session = client.session
    session["user"] = {**session["user"], "internal_note": "not for the browser"}
    session.save()

    user = json.loads(client.get("/auth/me/").content)["user"]

    assert list(user) == USER_KEYS


def test_never_cached(client: Client) -> None:
    sign_in(client)

    for response in (client.get("/auth/me/"), Client().get("/auth/me/")):
        assert "no-cache" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_get_only(client: Client) -> None:
    sign_in(client)

    assert client.post("/auth/me/").status_code == 405
    assert client.put("/auth/me/").status_code == 405


def test_sets_the_csrf_cookie_a_frontend_signs_out_with(csrf_client: Client) -> None:
    sign_in(csrf_client)

    response = csrf_client.get("/auth/me/")
    token = response.cookies["csrftoken"].value
    logout = csrf_client.post("/auth/logout/", HTTP_X_CSRFTOKEN=token)

    assert logout.status_code == 302
    after = csrf_client.get("/auth/me/")
    assert after.status_code == 401
    assert json.loads(after.content) == {"user": None}
