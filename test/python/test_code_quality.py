"""The generated Python passes ruff (lint and format) and pyright against this SDK."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED = [ROOT / "templates" / "authkit", ROOT / "templates" / "home_views.py"]
# The checks authkit-django runs inside the user's project (not generated, but shipped).
CHECKS_PACKAGE = ROOT / "python" / "authkit_django_checks"
LINTED = [*GENERATED, CHECKS_PACKAGE, Path(__file__).parent]
RUFF_CONFIG = Path(__file__).with_name("ruff.toml")
PYRIGHT_CONFIG = Path(__file__).with_name("pyrightconfig.json")


def tool(path: Path) -> str:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `node scripts/setup-test-env.mjs`")
    return str(path)


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        # Tools must not pick up anything from the environment under test.
        env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")},
    )


def test_ruff_check_is_clean() -> None:
    ruff = tool(ROOT / ".venvs" / "tools" / "bin" / "ruff")
    targets = [str(path) for path in LINTED]

    result = run([ruff, "check", "--no-cache", "--config", str(RUFF_CONFIG), *targets])

    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    ruff = tool(ROOT / ".venvs" / "tools" / "bin" / "ruff")
    targets = [str(path) for path in LINTED]

    result = run(
        [
            ruff,
            "format",
            "--no-cache",
            "--check",
            "--config",
            str(RUFF_CONFIG),
            *targets,
        ]
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_is_clean_against_the_installed_sdk() -> None:
    # sys.executable is this environment's Python: its Django and workos are
    # the ones pyright checks the generated code against.
    pyright = tool(ROOT / "node_modules" / ".bin" / "pyright")

    result = run(
        [
            pyright,
            "--project",
            str(PYRIGHT_CONFIG),
            "--pythonpath",
            sys.executable,
            *[str(path) for path in GENERATED],
        ]
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout
