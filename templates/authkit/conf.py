"""The settings WorkOS AuthKit sign-in reads (added by authkit-django).

Read on every use, so per-environment settings and test overrides apply:

- ``WORKOS_API_KEY`` (starts with ``sk_``) and ``WORKOS_CLIENT_ID`` (``client_``).
- ``WORKOS_REDIRECT_URI`` (optional): the callback URL registered with WorkOS. Default:
  the absolute URL of ``workos_callback`` for the current request's host.
- ``WORKOS_LOGIN_REDIRECT_URL`` / ``WORKOS_LOGOUT_REDIRECT_URL`` (optional, default
  ``"/"``): where to go after signing in / out; a path or a URL name.
- ``WORKOS_REQUEST_TIMEOUT`` (optional, seconds, default 10): how long a call to WorkOS
  may take. The code exchange is never retried: a code works once.
- ``WORKOS_LINK_USERS_BY_EMAIL`` (optional, default ``False``): let a first sign-in
  take over an existing Django user with the same email, and then only when WorkOS
  says the email is verified. Off, a new Django user is made instead.

The WorkOS SDK reads ``WORKOS_BASE_URL`` from the environment itself (default
``https://api.workos.com``).

Django auth (``request.user`` is the WorkOS user's Django user) is on when
``django.contrib.auth`` is installed and ``AUTHENTICATION_BACKENDS`` lists this app's
``backends.WorkOSBackend``.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

BACKEND_PATH = f"{__package__}.backends.WorkOSBackend"
DEFAULT_REQUEST_TIMEOUT = 10
REQUIRED_SETTINGS = (("WORKOS_API_KEY", "sk_"), ("WORKOS_CLIENT_ID", "client_"))
SESSIONS_MISSING = (
    "Sessions are not enabled: add 'django.contrib.sessions' to INSTALLED_APPS and "
    "'django.contrib.sessions.middleware.SessionMiddleware' to MIDDLEWARE."
)


def configuration_problem() -> str | None:
    """What is wrong with the WorkOS settings, without ever echoing their values."""
    for name, prefix in REQUIRED_SETTINGS:
        value = getattr(settings, name, "")
        if not isinstance(value, str) or not value.strip():
            return f"{name} is not set. Add it to the environment or the .env file."
        if not value.startswith(prefix):
            return (
                f"{name} does not look right: it should start with {prefix!r}. "
                "Copy it again from the WorkOS dashboard."
            )
    return None


def request_timeout() -> int:
    value = getattr(settings, "WORKOS_REQUEST_TIMEOUT", DEFAULT_REQUEST_TIMEOUT)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return DEFAULT_REQUEST_TIMEOUT
    return max(1, int(value))


def django_auth_enabled() -> bool:
    backends = getattr(settings, "AUTHENTICATION_BACKENDS", ())
    return apps.is_installed("django.contrib.auth") and BACKEND_PATH in backends


def link_users_by_email() -> bool:
    return getattr(settings, "WORKOS_LINK_USERS_BY_EMAIL", False) is True


def tokens_in_cookie() -> bool:
    """True with the signed-cookie session engine: the session is in the browser."""
    engine = getattr(settings, "SESSION_ENGINE", "")
    return isinstance(engine, str) and engine.endswith(".signed_cookies")
