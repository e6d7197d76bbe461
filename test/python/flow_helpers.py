"""Steps of the sign-in flow shared by the tests: the browser's part, done by hand."""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpResponse
from django.test import Client

# The host the Django test client claims to be; the emulator only redirects to
# localhost. Nothing listens on this port: the test client never opens a socket.
HOST = "localhost:8000"
ORIGIN = f"http://{HOST}"
CALLBACK_URL = f"{ORIGIN}/auth/callback/"


@dataclass(frozen=True)
class Emulator:
    url: str
    client_id: str
    email: str
    # Kept out of repr so no assertion message or log ever shows it.
    api_key: str = field(repr=False)


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def start_login(client: Client, **query: str) -> str:
    """GET the login view; return the WorkOS authorize URL it redirects to."""
    suffix = f"?{urlencode(query)}" if query else ""
    response = client.get(f"/auth/login/{suffix}")
    assert response.status_code == 302, response.content
    return response["Location"]


def visit_workos(url: str, login_hint: str | None = None) -> str:
    """What the browser does at WorkOS: a real GET; return where WorkOS redirects.

    For an authorize URL that is the callback URL with code and state; `login_hint`
    picks one of the emulator's users, as a person would on the sign-in page.
    """
    if login_hint is not None:
        url = f"{url}&{urlencode({'login_hint': login_hint})}"
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname or "", parts.port, timeout=30
    )
    try:
        connection.request("GET", f"{parts.path}?{parts.query}")
        response = connection.getresponse()
        body = response.read()
        location = response.getheader("Location")
    finally:
        connection.close()
    assert response.status == 302, body
    assert location is not None
    return location


def follow_to_django(client: Client, url: str) -> HttpResponse:
    """GET a URL on this Django site (as the browser follows WorkOS's redirect)."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == ORIGIN, url
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(
    client: Client, login_hint: str | None = None, **query: str
) -> HttpResponse:
    """The whole sign-in: login view, WorkOS's authorize, the callback view.

    Asserts it worked, so a test that signs in first cannot pass without it.
    """
    callback_url = visit_workos(start_login(client, **query), login_hint)
    response = follow_to_django(client, callback_url)
    assert response.status_code == 302, response.content
    assert "user" in client.session
    return response


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def load_session(key: str) -> SessionBase:
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    return store_class(session_key=key)


def session_exists(key: str) -> bool:
    return bool(load_session(key).exists(key))


def csrf_token_from(page: HttpResponse) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    assert match is not None, page.content
    return match.group(1).decode()


def create_workos_user(emulator: Emulator, email: str) -> None:
    """Adds a user at the emulator through its API (POST /user_management/users)."""
    # The emulator URL from its startup line: plain http on the loopback.
    request = urllib.request.Request(  # noqa: S310
        f"{emulator.url}/user_management/users",
        data=json.dumps(
            {"email": email, "first_name": "Second", "email_verified": True}
        ).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {emulator.api_key}",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 201
    except urllib.error.HTTPError as error:
        # Already there from an earlier test in this session: fine.
        if error.code != 409:
            raise
