"""Checks that sessions are enabled and that their database table exists."""

import os

from .context import settings_file
from .report import FAIL, PASS, SKIP, WARN, describe_exception, result

DB_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


def check_sessions_setup(ctx):
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.utils.module_loading import import_string

    problems = []
    has_middleware = False
    for entry in getattr(ctx.settings, "MIDDLEWARE", None) or []:
        try:
            cls = import_string(entry)
        except Exception:  # noqa: S112
            # An entry that does not import: manage.py check reports it.
            continue
        if isinstance(cls, type) and issubclass(cls, SessionMiddleware):
            has_middleware = True
    if not has_middleware:
        problems.append(
            "django.contrib.sessions.middleware.SessionMiddleware is not in MIDDLEWARE"
        )
    from django.apps import apps

    engine = getattr(ctx.settings, "SESSION_ENGINE", "")
    if engine in DB_SESSION_ENGINES and not apps.is_installed(
        "django.contrib.sessions"
    ):
        problems.append(
            "django.contrib.sessions is not in INSTALLED_APPS (SESSION_ENGINE stores "
            "sessions in the database)"
        )
    if problems:
        return result(
            FAIL,
            "; ".join(problems)
            + ": the login view has nowhere to keep the state and the user",
            file=settings_file(ctx),
            fix="add the sessions app and SessionMiddleware to the settings",
        )
    return result(PASS, f"sessions are enabled ({engine})")


def is_memory_database(name):
    text = str(name or "")
    return text in ("", ":memory:") or "mode=memory" in text


def check_sessions_table(ctx):
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    engine = getattr(ctx.settings, "SESSION_ENGINE", "")
    if engine not in DB_SESSION_ENGINES:
        return result(
            SKIP, f"SESSION_ENGINE {engine} does not keep sessions in the database"
        )
    from django.apps import apps

    if not apps.is_installed("django.contrib.sessions"):
        return result(SKIP, "django.contrib.sessions is not installed")
    from django.contrib.sessions.models import Session
    from django.db import connections, router

    alias = router.db_for_write(Session) or "default"
    connection = connections[alias]
    table = Session._meta.db_table
    migrate = result(
        WARN,
        f"the {table} table does not exist in the {alias!r} database: run python "
        "manage.py migrate",
        fix="python manage.py migrate",
    )
    if connection.vendor == "sqlite":
        name = connection.settings_dict.get("NAME")
        if is_memory_database(name):
            return result(SKIP, f"the {alias!r} database is in memory")
        # Connecting would create an empty file: a check must not write to the project.
        if not os.path.exists(str(name)):
            return migrate
    try:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
    except Exception as exc:
        return result(
            WARN,
            f"could not open the {alias!r} database to look for {table}: "
            f"{describe_exception(exc)}",
            fix="start the database, then run python manage.py migrate",
        )
    finally:
        connection.close()
    if table not in tables:
        return migrate
    return result(PASS, f"the {table} table exists in the {alias!r} database")


def check_sessions_table_doctor(ctx):
    # The same verdict as init's: a missing table is a step for the user (migrate),
    # not a broken integration; both commands exit 3 for it.
    return check_sessions_table(ctx)
