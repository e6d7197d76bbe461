"""Requests to the project's own views through Django's test client: no server, no
network, and sessions kept in a signed cookie so an unmigrated database does not matter.
"""

import re

from .network import NetworkBlocked, NoNetwork
from .report import describe_exception

# The test client's default host; setup_test_environment() adds it to ALLOWED_HOSTS.
TEST_HOST = "testserver"
SIGNED_COOKIE_ENGINE = "django.contrib.sessions.backends.signed_cookies"


def page_text(response, limit=300):
    """The visible text of a small HTML answer, to say why the view did not redirect."""
    try:
        body = response.content.decode("utf-8", "replace")
    except Exception:
        return ""
    body = re.sub(r"<head[^>]*>.*?</head>", " ", body, flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(
        r"<(script|style)[^>]*>.*?</\1>|<[^>]+>",
        " ",
        body,
        flags=re.DOTALL | re.IGNORECASE,
    )
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit] + ("\u2026" if len(text) > limit else "")


def login_request(ctx):
    """GET the login view through Django's test client, sessions kept in a signed cookie
    so that a database that has not been migrated yet does not matter here."""
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    if not ctx.test_environment:
        setup_test_environment()
        ctx.test_environment = True
    login_path = ctx.url_paths["workos_login"]
    with override_settings(SESSION_ENGINE=SIGNED_COOKIE_ENGINE), NoNetwork():
        secure = False
        client = Client()
        response = client.get(login_path)
        location = response.get("Location", "")
        # A project that forces HTTPS redirects the plain request to itself.
        if response.status_code in (301, 302) and location.startswith(
            f"https://{TEST_HOST}{login_path}"
        ):
            secure = True
            client = Client()
            response = client.get(login_path, secure=True)
        session = dict(client.session.items())
    return response, session, secure


def client_get(ctx, path, **extra):
    """GET a path through Django's test client: no network, sessions in a signed cookie
    (an unmigrated database does not matter), errors answered as 500 pages."""
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    if not ctx.test_environment:
        setup_test_environment()
        ctx.test_environment = True
    with override_settings(SESSION_ENGINE=SIGNED_COOKIE_ENGINE), NoNetwork():
        client = Client(raise_request_exception=False)
        return client.get(path, **extra)


def raised(response):
    """(ExceptionName: message) for a test-client answer made from an exception."""
    info = getattr(response, "exc_info", None)
    if not info or not info[1]:
        return ""
    if isinstance(info[1], NetworkBlocked):
        return " (it calls WorkOS even without a code)"
    return f" ({describe_exception(info[1])[:160]})"
