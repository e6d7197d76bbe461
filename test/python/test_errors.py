"""What can go wrong on the way back from WorkOS: a clear page, never a 500."""

from __future__ import annotations

import socket

import pytest
from django.test import Client, override_settings

from flow_helpers import (
    Emulator,
    follow_to_django,
    query_of,
    start_login,
    visit_workos,
)


def assert_plain_error_page(content: bytes) -> None:
    assert content.startswith(b"<!doctype html>")
    assert b"Traceback" not in content


def test_code_refused_by_workos_is_a_400(client: Client) -> None:
    state = query_of(start_login(client))["state"]

    response = client.get(
        "/auth/callback/", {"code": "not-a-real-code", "state": state}
    )

    assert response.status_code == 400
    assert b"WorkOS refused the sign-in: Invalid code" in response.content
    assert_plain_error_page(response.content)
    assert "user" not in client.session


def test_code_used_twice_is_a_400(client: Client) -> None:
    callback_url = visit_workos(start_login(client))
    code = query_of(callback_url)["code"]
    assert follow_to_django(client, callback_url).status_code == 302
    state = query_of(start_login(client))["state"]

    response = client.get("/auth/callback/", {"code": code, "state": state})

    assert response.status_code == 400
    assert b"WorkOS refused the sign-in" in response.content


def closed_local_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_workos_unreachable_is_a_502(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens there once the probe socket is closed. workos 6+ retries a
    # refused connection three times with backoff first, so this takes seconds.
    monkeypatch.setenv("WORKOS_BASE_URL", f"http://127.0.0.1:{closed_local_port()}")
    state = query_of(start_login(client))["state"]

    response = client.get("/auth/callback/", {"code": "any-code", "state": state})

    assert response.status_code == 502
    assert b"WorkOS could not be reached" in response.content
    assert_plain_error_page(response.content)
    assert "user" not in client.session


def test_user_who_cancelled_gets_a_400_with_the_reason(client: Client) -> None:
    state = query_of(start_login(client))["state"]

    response = client.get(
        "/auth/callback/",
        {
            "error": "access_denied",
            "error_description": "The user <b>cancelled</b> the sign-in",
            "state": state,
        },
    )

    assert response.status_code == 400
    assert b"The user &lt;b&gt;cancelled&lt;/b&gt; the sign-in" in response.content
    assert b"<b>" not in response.content
    assert "user" not in client.session


def test_cancel_without_description_names_the_error(client: Client) -> None:
    response = client.get("/auth/callback/", {"error": "access_denied"})

    assert response.status_code == 400
    assert b"WorkOS reported: access_denied" in response.content


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("WORKOS_API_KEY", ""),
        ("WORKOS_API_KEY", "pk_live_0123456789abcdef"),
        ("WORKOS_CLIENT_ID", ""),
        ("WORKOS_CLIENT_ID", "cl1ent_0123456789abcdef"),
    ],
)
@pytest.mark.parametrize("path", ["/auth/login/", "/auth/callback/?code=c&state=s"])
def test_missing_or_wrong_keys_are_a_503_naming_the_setting(
    client: Client, setting: str, value: str, path: str
) -> None:
    with override_settings(**{setting: value}):
        response = client.get(path)

    assert response.status_code == 503
    assert setting.encode() in response.content
    if value:
        assert value.encode() not in response.content
    assert_plain_error_page(response.content)


def test_missing_sessions_are_a_503_naming_the_middleware(emulator: Emulator) -> None:
    from django.conf import settings

    middleware = [
        name for name in settings.MIDDLEWARE if "SessionMiddleware" not in name
    ]
    middleware = [name for name in middleware if "AuthenticationMiddleware" not in name]
    with override_settings(MIDDLEWARE=middleware):
        response = Client(HTTP_HOST="localhost:8000").get("/auth/login/")

    assert response.status_code == 503
    assert b"SessionMiddleware" in response.content
