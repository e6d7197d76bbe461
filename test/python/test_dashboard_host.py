"""The dashboard values name a host the project accepts: a loopback one first, an exact
name next, never the bare domain of a ".domain" wildcard."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))

from authkit_django_checks.dashboard import accepted_site


@pytest.mark.parametrize(
    ("allowed", "expected"),
    [
        ([".railway.app", ".pythonanywhere.com", "127.0.0.1"], "http://127.0.0.1:8000"),
        ([".example.com", "www.example.com"], "http://www.example.com:8000"),
        ([".example.test"], "http://example.test:8000"),
        (["app.example.com", "localhost"], "http://localhost:8000"),
    ],
)
def test_the_assumed_host(allowed: list[str], expected: str) -> None:
    settings = types.SimpleNamespace(ALLOWED_HOSTS=allowed, DEBUG=False)

    site, note = accepted_site("http://testhost:8000", settings)

    assert site == expected
    assert note is not None
    assert expected.split("//")[1] in note


def test_an_accepted_host_is_kept() -> None:
    settings = types.SimpleNamespace(ALLOWED_HOSTS=["localhost"], DEBUG=False)

    assert accepted_site("http://localhost:8000", settings) == (
        "http://localhost:8000",
        None,
    )
