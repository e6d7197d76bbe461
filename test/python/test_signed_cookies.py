"""With the signed-cookie session engine the session is in the browser: the authkit app
keeps only its row's key there, never a WorkOS token, and every request then reads the
tokens from its table. The real emulator, the real SDK, Django's test client."""

from __future__ import annotations

import base64
import json
import zlib

from django.conf import settings
from django.core import signing
from django.test import Client, override_settings

from authkit.models import AuthKitSession
from flow_helpers import HOST, Emulator, sign_in

SIGNED_COOKIES = "django.contrib.sessions.backends.signed_cookies"


def cookie_payload(client: Client) -> str:
    """What the browser holds: the session cookie's signed payload, decoded."""
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    data = signing.loads(
        value,
        salt="django.contrib.sessions.backends.signed_cookies",
        serializer=signing.JSONSerializer,
    )
    return json.dumps(data)


def raw_cookie(client: Client) -> str:
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    payload = value.split(":", 1)[0]
    compressed = payload.startswith(".")
    raw = base64.urlsafe_b64decode(payload.lstrip(".") + "==")
    return (zlib.decompress(raw) if compressed else raw).decode()


def test_the_cookie_holds_no_token_and_the_sign_in_works(emulator: Emulator) -> None:
    with override_settings(SESSION_ENGINE=SIGNED_COOKIES):
        client = Client(HTTP_HOST=HOST)
        sign_in(client)

        stored = json.loads(cookie_payload(client))
        record = AuthKitSession.objects.get(pk=stored["authkit_session"])
        # Readable by anyone holding the cookie: no token of any kind in it.
        cookie = raw_cookie(client)
        assert record.access_token not in cookie
        assert record.refresh_token not in cookie
        assert "authkit_access_token" not in stored
        assert stored["user"]["email"] == emulator.email

        # Each request reads the token from the table and is signed in.
        me = client.get("/auth/me/")
        assert me.status_code == 200
        assert me.json()["user"]["email"] == emulator.email
        assert record.access_token not in raw_cookie(client)

        # Signing out deletes the row: the same cookie, replayed, signs nobody in.
        replayed = Client(HTTP_HOST=HOST)
        replayed.cookies = client.cookies.__class__(client.cookies)
        token = client.get("/").cookies.get("csrftoken") or client.cookies["csrftoken"]
        client.post("/auth/logout/", {"csrfmiddlewaretoken": token.value})
        assert not AuthKitSession.objects.filter(pk=record.pk).exists()
        assert replayed.get("/auth/me/").status_code == 401
