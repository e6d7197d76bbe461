"""The authkit app's organizations and impersonation, end to end: the impersonation
banner of the generated home page, the organization picker WorkOS's
`organization_selection_required` leads to, and a switch WorkOS refuses. Real runserver
workers, the workos SDK of this environment, WorkOS's emulator behind
`authkit-django emulator --seed FILE`, whose relay simulates the organization selection
the emulator cannot produce and refuses switches into organizations the user is not a
member of (src/flow/relay-organizations.ts).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest

from session_helpers import (
    Browser,
    Relay,
    Site,
    no_server_errors,
    organizations_seed,
    running_relay,
    running_site,
)

LONG_TTL = 600
IMPERSONATED = "impersonated@example.com"
IMPERSONATOR = {"email": "admin@example.com", "reason": "Looking into ticket <42>"}

SEED = organizations_seed(
    [{"email": IMPERSONATED, "email_verified": True, "impersonator": IMPERSONATOR}],
    # The test user is not a member.
    [{"name": "Initech"}],
)


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Relay]:
    yield from running_relay(LONG_TTL, SEED, tmp_path_factory.mktemp("organizations"))


@pytest.fixture
def site(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    relay: Relay,
) -> Iterator[Site]:
    place = tmp_path_factory.mktemp(request.node.name[:40]) / "site"
    yield from running_site(place, relay)


def forms(page: bytes) -> list[dict[str, Any]]:
    """The page's forms: method, action, hidden inputs and the buttons' values."""
    found = []
    for attributes, body in re.findall(
        r"<form([^>]*)>(.*?)</form>", page.decode(), re.S
    ):
        found.append(
            {
                "method": re.search(r'method="([^"]*)"', attributes).group(1),  # type: ignore[union-attr]
                "action": unescape(re.search(r'action="([^"]*)"', attributes).group(1)),  # type: ignore[union-attr]
                "hidden": dict(
                    re.findall(
                        r'<input type="hidden" name="([^"]*)" value="([^"]*)"', body
                    )
                ),
                "buttons": {
                    unescape(value): unescape(label)
                    for value, label in re.findall(
                        r'<button type="submit" name="organization_id" '
                        r'value="([^"]*)">(.*?)</button>',
                        body,
                    )
                },
            }
        )
    return found


def post_form(
    browser: Browser, site: Site, form: dict[str, Any], extra: dict[str, str]
) -> tuple[int, dict[str, list[str]], bytes]:
    """Submit a form of the page as a browser does: its own fields, no CSRF header."""
    fields = {**form["hidden"], **extra}
    return browser.request(
        site.workers[0], "POST", form["action"], fields, csrf_header=False
    )


def test_an_impersonated_user_sees_the_banner_naming_the_impersonator_others_do_not(
    site: Site,
) -> None:
    worker = site.start_worker()
    impersonated = Browser()
    impersonated.sign_in(worker, login_hint=IMPERSONATED)
    assert impersonated.whoami(worker)["workos"]["impersonator"] == IMPERSONATOR
    status, _, page = impersonated.get(worker, "/home/")
    assert status == 200, page[:2000]
    text = page.decode()
    assert 'class="authkit-impersonation"' in text
    assert (
        "admin@example.com is signed in as impersonated@example.com "
        "(Looking into ticket &lt;42&gt;)."
    ) in text
    banner = forms(page)[0]
    assert (banner["method"], banner["action"]) == ("post", "/auth/logout/")
    assert banner["hidden"]["csrfmiddlewaretoken"]
    # The banner's button ends the impersonated session.
    status, headers, _ = post_form(impersonated, site, banner, {})
    assert status == 302, headers
    assert "/user_management/sessions/logout" in headers["location"][0]
    assert impersonated.signed_out_of_workos(worker)

    plain = Browser()
    plain.sign_in(worker)
    assert plain.whoami(worker)["workos"]["impersonator"] is None
    status, _, page = plain.get(worker, "/home/")
    assert status == 200
    assert b"authkit-impersonation" not in page
    assert b"Welcome, test.user@example.com" in page
    no_server_errors(site)


def test_organization_selection_required_shows_the_picker_and_signs_in_to_the_choice(
    site: Site, relay: Relay
) -> None:
    worker = site.start_worker()
    relay.organization_selection(True)
    browser = Browser()
    status, _, page = browser.start_sign_in(worker)
    assert status == 200, page[:2000]
    assert b"Choose an organization" in page
    assert browser.whoami(worker)["workos"] is None
    acme, globex = relay.organization_id("Acme"), relay.organization_id("Globex")
    (picker,) = forms(page)
    assert (picker["method"], picker["action"]) == ("post", "/auth/organization/")
    assert picker["buttons"] == {acme: "Acme", globex: "Globex"}
    assert picker["hidden"]["csrfmiddlewaretoken"]

    status, headers, _ = post_form(browser, site, picker, {"organization_id": globex})
    assert status == 302, headers
    assert headers["location"][0] == "/"
    seen = browser.whoami(worker)
    assert seen["user"]["authenticated"] is True
    assert seen["workos"]["email"] == relay.email
    assert (seen["workos"]["organization_id"], seen["workos"]["role"]) == (
        globex,
        "viewer",
    )
    assert browser.get(worker, "/posts/read/")[0] == 200
    assert browser.get(worker, "/posts/write/")[0] == 403
    # Signing in rotated the CSRF token: the picker's form is not valid any more.
    assert post_form(browser, site, picker, {"organization_id": acme})[0] == 403
    # The pending sign-in is used up: the same POST now switches the session.
    status, _, _ = browser.post(
        worker, "/auth/organization/", {"organization_id": acme}
    )
    assert status == 302
    assert browser.whoami(worker)["workos"]["role"] == "editor"
    no_server_errors(site)


def test_a_switch_refused_by_workos_keeps_the_session_in_its_organization(
    site: Site, relay: Relay
) -> None:
    worker = site.start_worker()
    browser = Browser()
    browser.sign_in(worker)
    acme = relay.organization_id("Acme")
    assert (
        browser.post(worker, "/auth/organization/", {"organization_id": acme})[0] == 302
    )
    before = browser.whoami(worker)["workos"]
    assert (before["organization_id"], before["role"]) == (acme, "editor")

    initech = relay.organization_id("Initech")
    relay.reset_counts()
    status, _, page = browser.post(
        worker, "/auth/organization/", {"organization_id": initech}
    )
    assert status == 403, page[:2000]
    assert b"Organization not available" in page
    assert relay.counts() == {"POST /user_management/authenticate": 1}
    after = browser.whoami(worker)
    assert after["user"]["authenticated"] is True
    assert after["workos"] == before
    assert browser.get(worker, "/posts/write/")[0] == 200
    # The refresh token was not spent: the next switch works.
    globex = relay.organization_id("Globex")
    assert (
        browser.post(worker, "/auth/organization/", {"organization_id": globex})[0]
        == 302
    )
    assert browser.whoami(worker)["workos"]["organization_id"] == globex
    no_server_errors(site)
