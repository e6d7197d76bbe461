"""The authkit app's sessions when WorkOS fails: refreshes answered 503 (the relay's
`POST /__authkit/authenticate?fail=503`), the JWKS down as well, and tokens naming key
ids nobody publishes. Real runserver workers on one sqlite file, the workos SDK of this
environment, WorkOS's emulator behind `authkit-django emulator --token-ttl N`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from session_helpers import (
    Browser,
    Relay,
    Site,
    no_server_errors,
    running_relay,
    running_site,
)

JWKS = "GET /sso/jwks/client_emulate"
AUTHENTICATE = "POST /user_management/authenticate"
# Refreshed when a quarter of its life (2 s) remains: after 6 s.
SHORT_TTL = 8
LONG_TTL = 600
# tokens.LEEWAY_SECONDS: an expired token is still used this long while WorkOS fails.
LEEWAY = 10
GAVE_UP = "its token expired and WorkOS could not be reached to renew it"
REFRESH_FAILED = "WorkOS could not refresh the session of"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("outages")


@pytest.fixture(scope="module")
def short_relay(folder: Path) -> Iterator[Relay]:
    yield from running_relay(SHORT_TTL, None, folder / "short")


@pytest.fixture(scope="module")
def long_relay(folder: Path) -> Iterator[Relay]:
    yield from running_relay(LONG_TTL, None, folder / "long")


@pytest.fixture
def short_site(
    request: pytest.FixtureRequest, folder: Path, short_relay: Relay
) -> Iterator[Site]:
    yield from running_site(folder / request.node.name, short_relay)


@pytest.fixture
def long_site(
    request: pytest.FixtureRequest, folder: Path, long_relay: Relay
) -> Iterator[Site]:
    yield from running_site(folder / request.node.name, long_relay)


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def refresh_due(exp: float) -> float:
    return exp - SHORT_TTL / 4 + 0.5


def records(site: Site) -> int:
    return int(site.query("SELECT count(*) FROM authkit_authkitsession")[0][0])


def test_workos_failing_keeps_a_valid_token_then_signs_out_after_expiry_and_leeway(
    short_site: Site, short_relay: Relay
) -> None:
    worker = short_site.start_worker()
    browser = Browser()
    browser.sign_in(worker)
    seen = browser.whoami(worker)["workos"]
    short_relay.refresh_fails(True)

    sleep_until(refresh_due(seen["exp"]))
    short_relay.reset_counts()
    page = browser.whoami(worker)
    # The refresh was tried, failed, and the token it meant to replace is still used.
    assert page["workos"] is not None
    assert page["workos"]["exp"] == seen["exp"]
    assert page["user"]["authenticated"] is True
    assert short_relay.counts() == {AUTHENTICATE: 1}
    assert REFRESH_FAILED in short_site.logs()
    # Requests in the next seconds (sessions.RETRY_SECONDS) do not wait on WorkOS
    # again: they use the same token.
    assert browser.whoami(worker)["workos"]["exp"] == seen["exp"]
    # Past exp, within the leeway: still signed in.
    sleep_until(seen["exp"] + 1)
    assert browser.whoami(worker)["workos"] is not None
    assert short_relay.counts() == {AUTHENTICATE: 1}
    assert GAVE_UP not in short_site.logs()

    sleep_until(seen["exp"] + LEEWAY + 1)
    assert browser.signed_out_of_workos(worker)
    assert GAVE_UP in short_site.logs()
    assert records(short_site) == 0
    assert browser.signed_out_of_workos(worker)

    # WorkOS is back: a new sign-in refreshes as usual.
    short_relay.refresh_fails(False)
    browser = Browser()
    browser.sign_in(worker)
    fresh = browser.whoami(worker)["workos"]
    sleep_until(refresh_due(fresh["exp"]))
    short_relay.reset_counts()
    renewed = browser.whoami(worker)["workos"]
    assert renewed is not None
    assert renewed["exp"] > fresh["exp"]
    assert short_relay.counts() == {AUTHENTICATE: 1}
    no_server_errors(short_site)


def test_jwks_down_past_expiry_with_workos_failing_signs_out_with_the_key_cached(
    short_site: Site, short_relay: Relay
) -> None:
    worker = short_site.start_worker()
    ending, renewing = Browser(), Browser()
    ending.sign_in(worker)
    renewing.sign_in(worker)
    first = ending.whoami(worker)["workos"]
    assert renewing.whoami(worker)["workos"] is not None
    short_relay.jwks_down(True)

    # The JWKS alone down: a refresh still works and its token (same signing key)
    # verifies with the cached key, without asking for the JWKS.
    sleep_until(refresh_due(first["exp"]) + 0.5)
    short_relay.reset_counts()
    renewed = renewing.whoami(worker)["workos"]
    assert renewed is not None
    assert short_relay.counts() == {AUTHENTICATE: 1}

    short_relay.refresh_fails(True)
    sleep_until(first["exp"] + LEEWAY + 1)
    short_relay.reset_counts()
    assert ending.signed_out_of_workos(worker)
    assert GAVE_UP in short_site.logs()
    # The other browser's token is still within its leeway: kept on the cached key.
    page = renewing.whoami(worker)
    assert page["workos"] is not None
    assert page["workos"]["exp"] == renewed["exp"]
    assert JWKS not in short_relay.counts()
    assert records(short_site) == 1
    no_server_errors(short_site)


def forge(site: Site, browser: Browser, kid: str) -> None:
    """Replace the browser's access token by one with the same claims, signed by a key
    nobody publishes, naming ``kid``."""
    key = browser.cookies["sessionid"]
    token = json.loads(site.tool("session-get", key))["authkit_access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": kid})
    site.tool("session-set", key, "authkit_access_token", json.dumps(forged))


def test_unknown_key_ids_fetch_the_jwks_at_most_once_per_30_seconds_per_process(
    long_site: Site, long_relay: Relay
) -> None:
    warm = long_site.start_worker()
    browsers = [Browser() for _ in range(3)]
    for number, browser in enumerate(browsers):
        browser.sign_in(warm)
        forge(long_site, browser, f"kid_unknown_{number}")
    cold = long_site.start_worker()
    long_relay.reset_counts()
    # A process that has no keys yet fetches them once; a second unknown key id a
    # moment later does not fetch again.
    assert browsers[0].signed_out_of_workos(cold)
    assert long_relay.counts() == {JWKS: 1}
    assert browsers[1].signed_out_of_workos(cold)
    # The worker that fetched at sign-in, seconds ago, does not fetch at all.
    assert browsers[2].signed_out_of_workos(warm)
    assert long_relay.counts() == {JWKS: 1}
    assert long_site.logs().count("its access token was refused") == 3
    no_server_errors(long_site)
