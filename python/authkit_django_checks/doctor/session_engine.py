"""The check that the session engine and cookie settings can carry a sign-in."""

from ..context import settings_file
from ..report import FAIL, PASS, SKIP, WARN, result
from ..site_requests import SIGNED_COOKIE_ENGINE

COOKIE_LIMIT = 4096


def check_session_engine(ctx):
    """Sessions live where a sign-in fits, and the cookie comes back to the callback."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    engine = str(getattr(ctx.settings, "SESSION_ENGINE", ""))
    samesite = getattr(ctx.settings, "SESSION_COOKIE_SAMESITE", "Lax")
    where = settings_file(ctx)
    if isinstance(samesite, str) and samesite.lower() == "strict":
        return result(
            FAIL,
            'SESSION_COOKIE_SAMESITE is "Strict": the browser does not send the '
            "session cookie when WorkOS redirects back, so the callback never finds "
            "the sign-in it started",
            file=where,
            fix='use "Lax" (Django\'s default)',
        )
    if engine.endswith(".cache"):
        from django.core.cache import caches

        alias = getattr(ctx.settings, "SESSION_CACHE_ALIAS", "default")
        if type(caches[alias]).__name__ == "DummyCache":
            return result(
                FAIL,
                f"SESSION_ENGINE keeps sessions in the {alias!r} cache, which is a "
                "DummyCache: nothing is stored, so no sign-in can complete",
                file=where,
                fix="use a real cache backend, or django.contrib.sessions.backends.db",
            )
    if engine == SIGNED_COOKIE_ENGINE:
        size = signed_cookie_size(ctx)
        return result(
            WARN,
            "SESSION_ENGINE keeps the whole session in a signed cookie: the sign-in "
            f"alone takes about {size} of the {COOKIE_LIMIT} bytes a browser keeps "
            "per cookie; more session data can push it over, and then the browser "
            "drops it silently (and its content is readable, only signed; the "
            "authkit app keeps the WorkOS tokens in its table, never in the cookie)",
            file=where,
            fix=(
                "keep sessions server-side (django.contrib.sessions.backends.db or "
                "cache)"
            ),
        )
    return result(PASS, f"sessions are kept by {engine}")


def signed_cookie_size(ctx):
    """Bytes of a signed-cookie session holding what the sign-in views store."""
    from importlib import import_module

    store = import_module(SIGNED_COOKIE_ENGINE).SessionStore()
    store["user"] = {
        "id": "user_01HZZZZZZZZZZZZZZZZZZZZZZZ",
        "email": "firstname.lastname@example-company.com",
        "first_name": "Firstname",
        "last_name": "Lastname",
        "profile_picture_url": "https://workoscdn.com/images/v1/" + "x" * 64,
    }
    # The authkit app's keys: its row's key, the impersonator; tokens stay server-side.
    store["authkit_session"] = "k" * 43
    store["authkit_impersonator"] = None
    store["_auth_user_id"] = "1"
    store["_auth_user_backend"] = "mysite.authkit.backends.WorkOSBackend"
    store["_auth_user_hash"] = "h" * 64
    store["workos_pending_login"] = {"state": "s" * 43, "next": "/"}
    try:
        return len(store._get_session_key() or "")
    except Exception:
        return "several hundred bytes"
