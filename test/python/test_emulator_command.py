"""`authkit-django emulator --json`: its startup line; it never outlives its caller."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "dist" / "cli.js"
# Only a hang reaches these; they bound the test, they do not measure it.
STOP_TIMEOUT_SECONDS = 15


def start(*args: str) -> subprocess.Popen[str]:
    node = shutil.which("node")
    assert node is not None, "node is not on PATH"
    return subprocess.Popen(
        [node, str(CLI), "emulator", "--json", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def startup_line(process: subprocess.Popen[str]) -> dict[str, object]:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, process.stderr.read() if process.stderr else ""
    return json.loads(line)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def test_prints_one_json_line_and_stops_when_stdin_closes() -> None:
    process = start("--email", "someone@example.com")
    try:
        info = startup_line(process)
        assert set(info) == {
            "schemaVersion",
            "command",
            "url",
            "apiKey",
            "clientId",
            "port",
            "email",
        }
        assert info["schemaVersion"] == 1
        assert info["command"] == "emulator"
        assert info["url"] == f"http://127.0.0.1:{info['port']}"
        assert info["clientId"] == "client_emulate"
        assert info["email"] == "someone@example.com"
        assert str(info["apiKey"]).startswith("sk_")
        with socket.create_connection(("127.0.0.1", int(str(info["port"]))), 5):
            pass

        assert process.stdin is not None
        process.stdin.close()

        assert process.wait(timeout=STOP_TIMEOUT_SECONDS) == 0
    finally:
        stop(process)


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_stops_on_signal(signal_number: int) -> None:
    process = start()
    try:
        startup_line(process)

        process.send_signal(signal_number)

        assert process.wait(timeout=STOP_TIMEOUT_SECONDS) == 0
    finally:
        stop(process)


def test_a_busy_port_is_a_clear_error() -> None:
    with socket.socket() as busy:
        busy.bind(("", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = start("--port", str(port))
        try:
            _, stderr = process.communicate(timeout=60)
        finally:
            stop(process)

    assert process.returncode == 1
    assert f"port {port} is in use" in stderr


def test_a_bad_argument_is_a_clear_error() -> None:
    process = start("--port", "http")
    try:
        _, stderr = process.communicate(timeout=60)
    finally:
        stop(process)

    assert process.returncode == 2
    assert "--port must be a port number from 1 to 65535" in stderr
