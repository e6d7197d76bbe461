"""The checks' Django import says when the project's Django is older than supported.

The real Django of each test environment (4.2 or 5.2) passes. For the older case a
module named ``django`` with an old VERSION stands in: Django 3.2 is not installed in
any test environment (it predates the Python these run on), and the check reads only
VERSION and get_version().
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))

from authkit_django_checks.installed import check_import_django


def test_the_installed_django_passes() -> None:
    outcome = check_import_django(types.SimpleNamespace())
    assert outcome["status"] == "pass", outcome


def test_django_older_than_4_2_fails_naming_its_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = types.ModuleType("django")
    vars(old).update(VERSION=(3, 2, 25, "final", 0), get_version=lambda: "3.2.25")
    monkeypatch.setitem(sys.modules, "django", old)

    outcome = check_import_django(types.SimpleNamespace())

    assert outcome["status"] == "fail"
    assert outcome["message"] == (
        "Django 3.2.25 is older than 4.2, the oldest authkit-django supports"
    )
    assert outcome["fix"] == "upgrade Django to 4.2 or later"
