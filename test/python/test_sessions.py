"""The authkit app's sessions, end to end: real runserver workers of a Django site with
the app (middleware, backend, decorators, admin) sharing one sqlite file, the workos SDK
installed in this environment, and WorkOS's emulator behind the relay of
`authkit-django emulator --token-ttl N --seed FILE`, whose request counts
(/__authkit/requests) show every call the site made to WorkOS.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from session_helpers import (
    Browser,
    Relay,
    Site,
    no_server_errors,
    organizations_seed,
    running_relay,
    running_site,
)

JWKS = "GET /sso/jwks/client_emulate"
AUTHENTICATE = "POST /user_management/authenticate"
AUTHORIZE = "GET /user_management/authorize"
# Long enough that no token needs refreshing during a test that does not wait.
LONG_TTL = 600
# Refreshed when a quarter of its life (2 s) remains: after 6 s.
SHORT_TTL = 8

SEED = organizations_seed(
    [
        {"email": "unverified@example.com", "email_verified": False},
        {"email": "verified.off@example.com", "email_verified": True},
        {"email": "verified.on@example.com", "email_verified": True},
    ]
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sessions")


@pytest.fixture(scope="module")
def long_relay(folder: Path) -> Iterator[Relay]:
    yield from running_relay(LONG_TTL, SEED, folder)


@pytest.fixture(scope="module")
def short_relay(folder: Path) -> Iterator[Relay]:
    yield from running_relay(SHORT_TTL, None, folder / "short")


@pytest.fixture
def site(
    request: pytest.FixtureRequest, folder: Path, long_relay: Relay
) -> Iterator[Site]:
    yield from running_site(folder / request.node.name, long_relay)


@pytest.fixture
def short_site(
    request: pytest.FixtureRequest, folder: Path, short_relay: Relay
) -> Iterator[Site]:
    yield from running_site(folder / request.node.name, short_relay)


def wait_until_refresh_is_due(exp: float) -> None:
    # Refresh is due when less than a quarter of the lifetime remains.
    due = exp - SHORT_TTL / 4 + 0.5
    time.sleep(max(0.0, due - time.time()))


def test_a_valid_token_makes_100_page_loads_with_one_jwks_fetch_and_no_other_call(
    site: Site, long_relay: Relay
) -> None:
    worker = site.start_worker()
    browser = Browser()
    long_relay.reset_counts()
    browser.sign_in(worker)
    for _ in range(100):
        seen = browser.whoami(worker)
        assert seen["workos"]["email"] == long_relay.email
        assert seen["user"]["authenticated"] is True
    assert long_relay.counts() == {AUTHORIZE: 1, AUTHENTICATE: 1, JWKS: 1}
    no_server_errors(site)


def test_an_expired_token_is_refreshed_once_under_10_concurrent_requests_on_two_workers(
    short_site: Site, short_relay: Relay
) -> None:
    first, second = short_site.start_worker(), short_site.start_worker()
    browser = Browser()
    browser.sign_in(first)
    # Both workers have the key: what is counted below is refreshing only.
    before = browser.whoami(second)["workos"]
    assert before is not None
    wait_until_refresh_is_due(before["exp"])
    short_relay.reset_counts()

    def load(n: int) -> dict[str, Any]:
        # One Browser's cookies, shared: as a page's parallel requests.
        return browser.whoami(first if n % 2 else second)

    with ThreadPoolExecutor(max_workers=10) as pool:
        pages = list(pool.map(load, range(10)))
    assert all(page["workos"] is not None for page in pages), pages
    assert all(page["user"]["authenticated"] for page in pages), pages
    assert {page["workos"]["user_id"] for page in pages} == {before["user_id"]}
    assert short_relay.counts() == {AUTHENTICATE: 1}
    after = [browser.whoami(w)["workos"] for w in (first, second)]
    assert all(seen is not None and seen["exp"] > before["exp"] for seen in after)
    assert short_relay.counts() == {AUTHENTICATE: 1}
    no_server_errors(short_site)


def test_a_revoked_session_is_signed_out_at_the_next_request_after_expiry(
    short_site: Site, short_relay: Relay
) -> None:
    worker = short_site.start_worker()
    browser = Browser()
    browser.sign_in(worker)
    seen = browser.whoami(worker)["workos"]
    status, answer = short_relay.call(
        "POST", "/user_management/sessions/revoke", {"session_id": seen["session_id"]}
    )
    assert status == 200, answer
    # The token still verifies: no call to WorkOS, still signed in.
    assert browser.whoami(worker)["workos"] is not None
    wait_until_refresh_is_due(seen["exp"])
    short_relay.reset_counts()
    page = browser.whoami(worker)
    assert page["workos"] is None
    assert page["user"]["authenticated"] is False
    assert short_relay.counts() == {AUTHENTICATE: 1}
    assert short_site.query("SELECT count(*) FROM authkit_authkitsession") == [(0,)]
    assert browser.whoami(worker)["workos"] is None
    no_server_errors(short_site)


def test_permission_required_follows_the_role_of_the_organization_switched_to(
    site: Site, long_relay: Relay
) -> None:
    worker = site.start_worker()
    browser = Browser()
    browser.sign_in(worker)
    # Signed in without an organization: no role, no permissions.
    assert browser.get(worker, "/posts/write/")[0] == 403
    acme = long_relay.organization_id("Acme")
    status, headers, _ = browser.post(
        worker, "/auth/organization/", {"organization_id": acme}
    )
    assert status == 302, headers
    seen = browser.whoami(worker)["workos"]
    assert (seen["organization_id"], seen["role"]) == (acme, "editor")
    assert browser.get(worker, "/posts/write/")[0] == 200
    assert browser.get(worker, "/posts/read/")[0] == 200

    globex = long_relay.organization_id("Globex")
    assert (
        browser.post(worker, "/auth/organization/", {"organization_id": globex})[0]
        == 302
    )
    seen = browser.whoami(worker)["workos"]
    assert (seen["organization_id"], seen["role"]) == (globex, "viewer")
    assert seen["permissions"] == ["posts:read"]
    assert browser.get(worker, "/posts/write/")[0] == 403
    assert browser.get(worker, "/posts/read/")[0] == 200
    # A visitor who is not signed in is sent to sign in.
    status, headers, _ = Browser().get(worker, "/posts/read/")
    assert status == 302
    assert headers["location"][0].startswith("/auth/login/?next=")
    no_server_errors(site)


def test_request_user_is_the_mapped_user_and_a_second_login_makes_no_duplicate(
    site: Site, long_relay: Relay
) -> None:
    worker = site.start_worker()
    one, two = Browser(), Browser()
    one.sign_in(worker)
    two.sign_in(worker)
    first, second = one.whoami(worker), two.whoami(worker)
    assert first["user"]["authenticated"] is True
    assert first["user"]["email"] == long_relay.email
    assert first["user"]["pk"] == second["user"]["pk"]
    users = site.query("SELECT id FROM auth_user WHERE email = ?", long_relay.email)
    assert users == [(first["user"]["pk"],)]
    no_server_errors(site)


def test_an_existing_user_with_the_same_email_is_linked_only_when_verified_and_allowed(
    site: Site,
) -> None:
    plain = site.start_worker()
    linking = site.start_worker(link_by_email=True)
    for email, worker, linked in [
        ("unverified@example.com", linking, False),
        ("verified.off@example.com", plain, False),
        ("verified.on@example.com", linking, True),
    ]:
        existing = int(site.tool("create-user", email))
        browser = Browser()
        browser.sign_in(worker, login_hint=email)
        seen = browser.whoami(worker)["user"]
        assert seen["authenticated"] is True, email
        assert (seen["pk"] == existing) is linked, (email, seen, existing)
        count = site.query("SELECT count(*) FROM auth_user WHERE email = ?", email)
        assert count == [(1 if linked else 2,)], email
    no_server_errors(site)


def test_the_admin_lets_in_a_staff_mapped_user_only(
    site: Site, long_relay: Relay
) -> None:
    worker = site.start_worker()
    browser = Browser()
    browser.sign_in(worker)
    status, headers, _ = browser.get(worker, "/admin/")
    assert status == 302
    assert headers["location"][0].startswith("/admin/login/")
    site.query(
        "UPDATE auth_user SET is_staff = 1, is_superuser = 1 WHERE email = ?",
        long_relay.email,
    )
    status, _, page = browser.get(worker, "/admin/")
    assert status == 200, page[:500]
    assert b"Site administration" in page
    no_server_errors(site)


def session_cookie(browser: Browser) -> str:
    return browser.cookies["sessionid"]


def test_a_corrupted_session_cookie_or_stored_session_is_a_signed_out_page(
    site: Site,
) -> None:
    worker = site.start_worker()
    browser = Browser()
    browser.sign_in(worker)
    browser.cookies["sessionid"] = "not-a-session-key"
    assert browser.whoami(worker)["workos"] is None

    browser = Browser()
    browser.sign_in(worker)
    site.query(
        "UPDATE django_session SET session_data = 'garbage' WHERE session_key = ?",
        session_cookie(browser),
    )
    page = browser.whoami(worker)
    assert page["workos"] is None
    assert page["user"]["authenticated"] is False
    no_server_errors(site)


def test_a_foreign_session_is_signed_out(site: Site) -> None:
    worker = site.start_worker()
    # Its record is gone (another site's, or deleted), and no token is cached.
    browser = Browser()
    browser.sign_in(worker)
    key = session_cookie(browser)
    site.tool("session-set", key, "authkit_session", json.dumps("no-such-record"))
    site.tool("session-set", key, "authkit_access_token", "null")
    page = browser.whoami(worker)
    assert page["workos"] is None
    assert page["user"]["authenticated"] is False

    # The token is someone else's than the session's user.
    browser = Browser()
    browser.sign_in(worker)
    key = session_cookie(browser)
    user = json.loads(site.tool("session-get", key))["user"]
    site.tool("session-set", key, "user", json.dumps({**user, "id": "user_someone"}))
    page = browser.whoami(worker)
    assert page["workos"] is None
    assert page["user"]["authenticated"] is False
    no_server_errors(site)


def test_a_token_signed_by_an_unknown_key_is_signed_out(
    site: Site, long_relay: Relay
) -> None:
    worker = site.start_worker()
    browser = Browser()
    browser.sign_in(worker)
    key = session_cookie(browser)
    token = json.loads(site.tool("session-get", key))["authkit_access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for kid in (header["kid"], "kid_nobody_knows"):
        # The relay's own key id, and an unknown one: neither verifies.
        forged = jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": kid})
        site.tool("session-set", key, "authkit_access_token", json.dumps(forged))
        page = browser.whoami(worker)
        assert page["workos"] is None, kid
        assert page["user"]["authenticated"] is False
        browser = Browser()
        browser.sign_in(worker)
        key = session_cookie(browser)
    no_server_errors(site)


def test_jwks_down_without_a_cached_key_signs_out_and_with_one_keeps_the_user(
    site: Site, long_relay: Relay
) -> None:
    warm = site.start_worker()
    browser = Browser()
    browser.sign_in(warm)
    assert browser.whoami(warm)["workos"] is not None
    long_relay.jwks_down(True)
    try:
        long_relay.reset_counts()
        for _ in range(5):
            assert browser.whoami(warm)["workos"] is not None
        assert long_relay.counts() == {}
        # A worker that never had the key cannot check the token: signed out.
        cold = site.start_worker()
        page = browser.whoami(cold)
        assert page["workos"] is None
        assert page["user"]["authenticated"] is False
        assert long_relay.counts().get(JWKS, 0) >= 1
    finally:
        long_relay.jwks_down(False)
    no_server_errors(site)
