"""The app's shipped migration matches its models, in every Django the tests run."""

from __future__ import annotations

import io

from django.core.management import call_command


def test_the_shipped_migration_matches_the_models() -> None:
    out = io.StringIO()

    # --check exits non-zero (SystemExit) when the models need a new migration.
    call_command(
        "makemigrations", "authkit", check=True, dry_run=True, stdout=out, stderr=out
    )

    assert "No changes detected" in out.getvalue()


def test_the_migration_made_both_tables() -> None:
    from django.db import connection

    tables = set(connection.introspection.table_names())

    assert {"authkit_authkitsession", "authkit_workosuser"} <= tables
