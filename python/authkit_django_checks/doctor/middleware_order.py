"""The check that middleware reading the session comes after SessionMiddleware."""

from ..context import settings_file
from ..report import FAIL, PASS, SKIP, result


def import_class(path):
    from django.utils.module_loading import import_string

    try:
        value = import_string(path)
    except Exception:
        return None
    return value if isinstance(value, type) else None


def check_middleware_order(ctx):
    """Middleware that reads the session must come after SessionMiddleware."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    from django.contrib.sessions.middleware import SessionMiddleware

    entries = list(getattr(ctx.settings, "MIDDLEWARE", None) or [])
    classes = [import_class(entry) for entry in entries]
    session_at = next(
        (
            i
            for i, cls in enumerate(classes)
            if cls is not None and issubclass(cls, SessionMiddleware)
        ),
        None,
    )
    if session_at is None:
        return result(SKIP, "SessionMiddleware is not in MIDDLEWARE")
    needs = [
        (
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "reads the signed-in user from the session",
        )
    ]
    storage = str(getattr(ctx.settings, "MESSAGE_STORAGE", ""))
    if storage.endswith(("FallbackStorage", "SessionStorage")):
        needs.append(
            (
                "django.contrib.messages.middleware.MessageMiddleware",
                "keeps messages in the session",
            )
        )
    if getattr(ctx.settings, "CSRF_USE_SESSIONS", False):
        needs.append(
            (
                "django.middleware.csrf.CsrfViewMiddleware",
                "keeps the CSRF token in the session (CSRF_USE_SESSIONS)",
            )
        )
    early = []
    for path, why in needs:
        needed = import_class(path)
        if needed is None:
            continue
        for i, cls in enumerate(classes[:session_at]):
            if cls is not None and issubclass(cls, needed):
                early.append(f"{entries[i]} ({why})")
    if early:
        return result(
            FAIL,
            f"SessionMiddleware comes after {', '.join(early)} in MIDDLEWARE: every "
            "request then fails before reaching a view",
            file=settings_file(ctx),
            fix=(
                "move 'django.contrib.sessions.middleware.SessionMiddleware' above "
                "them (right after SecurityMiddleware)"
            ),
        )
    return result(
        PASS, "SessionMiddleware comes before the middleware that read the session"
    )
