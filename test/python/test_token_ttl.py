"""`authkit-django emulator --token-ttl`: short-lived access tokens, seen by the SDK.

The emulator signs every access token for an hour. With --token-ttl the relay in front
of it re-signs them with its own key; here the workos SDK installed in this environment
(10.x, or 5.x in .venvs/workos5 and sdkmin) authenticates a code and a refresh token
through that relay, and PyJWT verifies each token against the JWKS at the SDK's own
JWKS URL: the relay's key, the same claims, `exp - iat` equal to the lifetime. Then the
generated views sign in against it, unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from django.test import Client, override_settings
from workos import WorkOSClient

from authkit.models import AuthKitSession
from flow_helpers import HOST, Emulator, query_of, sign_in, visit_workos

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "dist" / "cli.js"
TTL_SECONDS = 45
# Only a hang reaches this; it bounds the test, it does not measure it.
STOP_TIMEOUT_SECONDS = 15


@pytest.fixture(scope="module")
def short_lived() -> Iterator[Emulator]:
    node = shutil.which("node")
    assert node is not None, "node is not on PATH"
    process = subprocess.Popen(
        [node, str(CLI), "emulator", "--json", "--token-ttl", str(TTL_SECONDS)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else ""
        info = json.loads(line)
        assert info["tokenTtl"] == TTL_SECONDS
        yield Emulator(
            url=info["url"],
            api_key=info["apiKey"],
            client_id=info["clientId"],
            email=info["email"],
        )
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def sdk_client(emulator: Emulator) -> WorkOSClient:
    return WorkOSClient(
        api_key=emulator.api_key,
        client_id=emulator.client_id,
        base_url=f"{emulator.url}/",
    )


def code_from(client: WorkOSClient) -> str:
    """authorize -> the code in the redirect, as a browser gets it."""
    authorize = client.user_management.get_authorization_url(
        provider="authkit",
        redirect_uri=f"http://{HOST}/auth/callback/",
        state="ttl-test",
    )
    query = query_of(visit_workos(authorize))
    assert query["state"] == "ttl-test"
    return query["code"]


def verified_claims(
    client: WorkOSClient, emulator: Emulator, token: str
) -> dict[str, Any]:
    """The token's claims, its signature checked against the SDK's JWKS URL."""
    jwks_url = client.user_management.get_jwks_url()
    assert jwks_url == f"{emulator.url}/sso/jwks/{emulator.client_id}"
    signing_key = jwt.PyJWKClient(jwks_url).get_signing_key_from_jwt(token)
    claims: dict[str, Any] = jwt.decode(
        token, signing_key.key, algorithms=["RS256"], audience=emulator.client_id
    )
    return claims


def relay_kid(emulator: Emulator) -> str:
    keys = (
        jwt.PyJWKClient(f"{emulator.url}/sso/jwks/{emulator.client_id}")
        .get_jwk_set()
        .keys
    )
    # The relay's key comes first; the emulator's own stays after it.
    assert len(keys) == 2
    assert keys[1].key_id is not None
    assert keys[1].key_id.startswith("workos_emulate_")
    kid = keys[0].key_id
    assert kid is not None
    assert kid.startswith("authkit_django_relay_")
    return kid


def test_code_and_refresh_token_grants_get_tokens_that_expire_after_the_ttl(
    short_lived: Emulator,
) -> None:
    client = sdk_client(short_lived)
    kid = relay_kid(short_lived)
    before = int(time.time())

    signed_in = client.user_management.authenticate_with_code(code=code_from(client))
    assert signed_in.user.email == short_lived.email
    assert jwt.get_unverified_header(signed_in.access_token)["kid"] == kid
    claims = verified_claims(client, short_lived, signed_in.access_token)
    assert claims["exp"] - claims["iat"] == TTL_SECONDS
    assert before <= claims["iat"] <= int(time.time())
    # The emulator's claims survive re-signing.
    assert claims["sub"] == signed_in.user.id
    assert isinstance(claims["sid"], str)
    assert claims["sid"].startswith("session_")
    assert claims["aud"] == short_lived.client_id
    assert "iss" in claims

    refreshed = client.user_management.authenticate_with_refresh_token(
        refresh_token=signed_in.refresh_token
    )
    assert refreshed.access_token != signed_in.access_token
    assert jwt.get_unverified_header(refreshed.access_token)["kid"] == kid
    again = verified_claims(client, short_lived, refreshed.access_token)
    assert again["exp"] - again["iat"] == TTL_SECONDS
    assert again["sub"] == signed_in.user.id
    close = getattr(client, "close", None)
    if callable(close):
        close()


def test_the_generated_views_sign_in_with_re_signed_tokens(
    short_lived: Emulator,
) -> None:
    previous = os.environ.get("WORKOS_BASE_URL")
    os.environ["WORKOS_BASE_URL"] = short_lived.url
    try:
        with override_settings(
            WORKOS_API_KEY=short_lived.api_key, WORKOS_CLIENT_ID=short_lived.client_id
        ):
            browser = Client(HTTP_HOST=HOST)
            sign_in(browser)
            assert browser.session["user"]["email"] == short_lived.email
            # The views read `sid` from the re-signed token to end that session later.
            record_key = browser.session["authkit_session"]
            session_id = AuthKitSession.objects.get(pk=record_key).workos_session_id
            assert isinstance(session_id, str)
            assert session_id.startswith("session_")
    finally:
        if previous is None:
            os.environ.pop("WORKOS_BASE_URL", None)
        else:
            os.environ["WORKOS_BASE_URL"] = previous
