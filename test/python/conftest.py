"""A minimal Django site around the generated views, and WorkOS's emulator.

The generated files are imported straight from templates/ (the files the tool copies
into projects), so these tests prove exactly what users get. The WorkOS side is the
real emulator from the `workos` npm package, started once per test session by
`authkit-django emulator --json` (dist/cli.js, which `npm test` builds first); the
real workos SDK installed in this environment talks to it over HTTP.
scripts/run-tests.mjs runs this folder in .venvs/dj42, dj52 and workos5
($AUTHKIT_TEST_ENV names which).
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.test.utils import setup_test_environment

from flow_helpers import HOST, Emulator

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
sys.path.insert(0, str(TEMPLATES))

settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS=["localhost"],
    ROOT_URLCONF="authkit_test_urls",
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        # authkit-django's app, as init adds it.
        "authkit",
    ],
    # As `django-admin startproject` makes them, minus what these views never touch.
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "authkit.middleware.AuthKitMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    AUTHENTICATION_BACKENDS=[
        "django.contrib.auth.backends.ModelBackend",
        "authkit.backends.WorkOSBackend",
    ],
    LOGIN_URL="workos_login",
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(TEMPLATES)],
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    # Puts its own `user` in every template: the home page must
                    # still show the WorkOS user.
                    "django.contrib.auth.context_processors.auth",
                ],
            },
        }
    ],
    # Sessions in the database, as in a new project (the default session engine).
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    USE_TZ=True,
    WORKOS_API_KEY="",
    WORKOS_CLIENT_ID="",
)
django.setup()
setup_test_environment()
call_command("migrate", verbosity=0, interactive=False)

# Long enough for a cold `node` start on a busy CI machine; only a hang reaches it.
EMULATOR_START_TIMEOUT_SECONDS = 60


def _start_emulator() -> tuple[subprocess.Popen[str], Emulator]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: it runs WorkOS's emulator for these tests")
    process = subprocess.Popen(
        [node, str(ROOT / "dist" / "cli.js"), "emulator", "--json"],
        cwd=ROOT,
        stdin=subprocess.PIPE,  # the emulator stops when this closes
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=EMULATOR_START_TIMEOUT_SECONDS)
    line = process.stdout.readline() if ready else ""
    if not line:
        process.kill()
        _, stderr = process.communicate()
        pytest.fail(f"WorkOS's emulator did not start: {stderr.strip()}")
    info = json.loads(line)
    emulator = Emulator(
        url=info["url"],
        api_key=info["apiKey"],
        client_id=info["clientId"],
        email=info["email"],
    )
    return process, emulator


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """WorkOS's emulator, with the SDK (environment) and settings pointed at it."""
    process, running = _start_emulator()
    previous_base_url = os.environ.get("WORKOS_BASE_URL")
    os.environ["WORKOS_BASE_URL"] = running.url
    overrides = override_settings(
        WORKOS_API_KEY=running.api_key, WORKOS_CLIENT_ID=running.client_id
    )
    overrides.enable()
    try:
        yield running
    finally:
        overrides.disable()
        if previous_base_url is None:
            os.environ.pop("WORKOS_BASE_URL", None)
        else:
            os.environ["WORKOS_BASE_URL"] = previous_base_url
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()


@pytest.fixture
def client(emulator: Emulator) -> Client:
    # The emulator accepts only localhost redirect URIs, and the callback URL is
    # built from the request's host: "testserver" would be refused.
    return Client(HTTP_HOST=HOST)


@pytest.fixture
def csrf_client(emulator: Emulator) -> Client:
    """A client that, like a browser, gets no CSRF exemption."""
    return Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
