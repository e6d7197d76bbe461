"""Checks that sessions are enabled and that the tables a sign-in writes exist."""

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
    """The tables a sign-in writes exist: Django's sessions table (database sessions)
    and, where authkit-django's app is installed, its own, migrated."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    from django.apps import apps

    found = []
    missing = []
    problem = None
    engine = getattr(ctx.settings, "SESSION_ENGINE", "")
    skipped = None
    if engine not in DB_SESSION_ENGINES:
        skipped = f"SESSION_ENGINE {engine} does not keep sessions in the database"
    elif not apps.is_installed("django.contrib.sessions"):
        skipped = "django.contrib.sessions is not installed"
    else:
        from django.contrib.sessions.models import Session

        state = _table_state(Session)
        if isinstance(state, str) or state is None:
            problem = problem or state
        elif state:
            found.append(Session._meta.db_table)
        else:
            missing.append(f"the {Session._meta.db_table} table")
    app = _authkit_app(apps)
    if app is not None:
        state = _unapplied_migrations(app)
        if isinstance(state, str):
            problem = problem or state
        elif state:
            missing.append(
                f"{app.label}'s migration{'s' if len(state) > 1 else ''} "
                f"({', '.join(state)})"
            )
        else:
            found.append(f"{app.label}'s tables")
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        return result(
            WARN,
            f"{' and '.join(missing)} {verb} missing from the database: run python "
            "manage.py migrate",
            fix="python manage.py migrate",
        )
    if problem:
        return result(
            WARN, problem, fix="start the database, then run python manage.py migrate"
        )
    if not found:
        return result(SKIP, skipped or "no table to look for")
    return result(PASS, f"{' and '.join(found)} are in the database")


AUTHKIT_APP_LABEL = "authkit"


def _authkit_app(apps):
    """authkit-django's app, when installed (its label, and a module of ours)."""
    try:
        app = apps.get_app_config(AUTHKIT_APP_LABEL)
    except LookupError:
        return None
    return app if app.name.split(".")[-1] == AUTHKIT_APP_LABEL else None


def _database_for(model):
    from django.db import connections, router

    alias = router.db_for_write(model) or "default"
    return alias, connections[alias]


def _reachable(alias, connection):
    """None when the database can be opened without writing; else why not (or
    "absent" for a SQLite file that does not exist yet)."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict.get("NAME")
        if is_memory_database(name):
            return f"the {alias!r} database is in memory"
        # Connecting would create an empty file: a check must not write to the project.
        if not os.path.exists(str(name)):
            return "absent"
    return None


def _table_state(model):
    """True / False: the model's table is there or not; a string: could not tell."""
    alias, connection = _database_for(model)
    reach = _reachable(alias, connection)
    if reach == "absent":
        return False
    if reach:
        return None
    try:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
    except Exception as exc:
        return (
            f"could not open the {alias!r} database to look for "
            f"{model._meta.db_table}: {describe_exception(exc)}"
        )
    finally:
        connection.close()
    return model._meta.db_table in tables


def _unapplied_migrations(app):
    """The app's migrations not applied to its database; a string: could not tell."""
    from django.db.migrations.loader import MigrationLoader

    models = list(app.get_models())
    if not models:
        return []
    alias, connection = _database_for(models[0])
    reach = _reachable(alias, connection)
    try:
        on_disk = None
        loader = MigrationLoader(
            None if reach else connection, ignore_no_migrations=True
        )
        on_disk = sorted(
            name for label, name in loader.disk_migrations if label == app.label
        )
        if reach == "absent":
            return on_disk
        if reach:
            return []
        applied = {
            name for label, name in loader.applied_migrations if label == app.label
        }
    except Exception as exc:
        return (
            f"could not open the {alias!r} database to look for {app.label}'s "
            f"migrations: {describe_exception(exc)}"
        )
    finally:
        connection.close()
    return [name for name in on_disk if name not in applied]


def check_sessions_table_doctor(ctx):
    # The same verdict as init's: a missing table is a step for the user (migrate),
    # not a broken integration; both commands exit 3 for it.
    return check_sessions_table(ctx)
