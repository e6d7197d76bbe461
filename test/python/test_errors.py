"""What can go wrong on the way back from WorkOS: a clear page, never a 500."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest
from django.test import Client, override_settings

from authkit import client as authkit_client
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


class MisbehavingWorkOS:
    """A stand-in for a WorkOS that misbehaves: the emulator always answers properly,
    so a local server plays the two failures seen in production, counting requests.

    ``answer=None`` accepts each connection, reads the request and never answers;
    otherwise it answers every request with status 200 and ``answer`` as the body.
    """

    def __init__(self, answer: bytes | None) -> None:
        self.answer = answer
        self.requests = 0
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            connection.recv(65536)
            self.requests += 1
            if self.answer is None:
                self._held.append(connection)  # open, silent
                continue
            head = (
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                f"Content-Length: {len(self.answer)}\r\nConnection: close\r\n\r\n"
            )
            connection.sendall(head.encode() + self.answer)
            connection.close()

    def close(self) -> None:
        self._server.close()
        for connection in self._held:
            connection.close()


@pytest.fixture
def misbehaving(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[[bytes | None], MisbehavingWorkOS]]:
    servers: list[MisbehavingWorkOS] = []

    def start(answer: bytes | None) -> MisbehavingWorkOS:
        server = MisbehavingWorkOS(answer)
        servers.append(server)
        monkeypatch.setenv("WORKOS_BASE_URL", server.url)
        return server

    yield start
    for server in servers:
        server.close()


Misbehaving = Callable[[bytes | None], MisbehavingWorkOS]


def test_an_answer_that_is_not_json_is_a_502_that_shows_nothing_of_the_request(
    client: Client, emulator: Emulator, misbehaving: Misbehaving
) -> None:
    state = query_of(start_login(client))["state"]
    server = misbehaving(b"<html><body>Proxy error</body></html>")

    response = client.get("/auth/callback/", {"code": "any-code", "state": state})

    assert response.status_code == 502
    assert_plain_error_page(response.content)
    assert emulator.api_key.encode() not in response.content
    assert b"any-code" not in response.content
    assert server.requests == 1


@override_settings(WORKOS_REQUEST_TIMEOUT=1)
def test_a_workos_that_never_answers_is_asked_once_and_given_up_on(
    client: Client, misbehaving: Misbehaving
) -> None:
    state = query_of(start_login(client))["state"]
    server = misbehaving(None)

    response = client.get("/auth/callback/", {"code": "any-code", "state": state})

    assert response.status_code == 502
    assert b"WorkOS could not be reached" in response.content
    # A code works once: it is never sent again after a timeout.
    assert server.requests == 1


def test_one_client_per_configuration_is_reused_across_requests(
    emulator: Emulator,
) -> None:
    first = authkit_client.workos_client()
    assert authkit_client.workos_client() is first
    with override_settings(WORKOS_REQUEST_TIMEOUT=3):
        assert authkit_client.workos_client() is not first
    with override_settings(WORKOS_CLIENT_ID="client_other"):
        other = authkit_client.workos_client()
        assert other is not first
        assert other.client_id == "client_other"
