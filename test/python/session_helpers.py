"""Real worker processes of a Django site with the authkit app, a browser that talks
to them over HTTP, and WorkOS's emulator with its relay's test aids (request counts,
revocation, the JWKS outage switch): what the session tests are made of.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import selectors
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TEMPLATES = ROOT / "templates"
START_TIMEOUT_SECONDS = 60
HTTP_TIMEOUT_SECONDS = 30


@dataclass
class Relay:
    """WorkOS's emulator behind the relay, started by `authkit-django emulator`."""

    url: str
    client_id: str
    email: str
    token_ttl: int
    api_key: str = field(repr=False)
    process: subprocess.Popen[str] | None = field(default=None, repr=False)

    def call(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.api_key}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        status, _, payload = http_request(self.url, method, path, headers, data)
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, payload

    def counts(self) -> dict[str, int]:
        status, data = self.call("GET", "/__authkit/requests")
        assert status == 200, data
        return dict(data["requests"])

    def reset_counts(self) -> None:
        assert self.call("POST", "/__authkit/requests/reset")[0] == 200

    def jwks_down(self, down: bool) -> None:
        status, data = self.call("POST", f"/__authkit/jwks?down={int(down)}")
        assert status == 200, data

    def refresh_fails(self, failing: bool) -> None:
        """While on, WorkOS answers 503 to every refresh (sign-ins still work)."""
        status, data = self.call(
            "POST", f"/__authkit/authenticate?fail={503 if failing else 0}"
        )
        assert status == 200, data

    def organization_selection(self, required: bool) -> None:
        """While on, a code exchange asks the user to choose an organization."""
        status, data = self.call(
            "POST", f"/__authkit/organization-selection?required={int(required)}"
        )
        assert status == 200, data

    def organization_id(self, name: str) -> str:
        status, data = self.call("GET", "/organizations?limit=100")
        assert status == 200, data
        return next(org["id"] for org in data["data"] if org["name"] == name)

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def start_relay(token_ttl: int, seed: dict[str, Any] | None, folder: Path) -> Relay:
    node = shutil.which("node")
    assert node is not None, "node is not on PATH"
    command = [node, str(ROOT / "dist" / "cli.js"), "emulator", "--json"]
    command += ["--token-ttl", str(token_ttl)]
    if seed is not None:
        seed_file = folder / "seed.json"
        seed_file.write_text(json.dumps(seed))
        command += ["--seed", str(seed_file)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=START_TIMEOUT_SECONDS)
    line = process.stdout.readline() if ready else ""
    if not line:
        process.kill()
        _, stderr = process.communicate()
        raise AssertionError(f"the emulator did not start: {stderr.strip()}")
    info = json.loads(line)
    assert info["tokenTtl"] == token_ttl
    return Relay(
        url=info["url"],
        client_id=info["clientId"],
        email=info["email"],
        token_ttl=token_ttl,
        api_key=info["apiKey"],
        process=process,
    )


def http_request(
    base: str,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, dict[str, list[str]], bytes]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(
        parts.hostname or "", parts.port, timeout=HTTP_TIMEOUT_SECONDS
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        payload = response.read()
        answer_headers: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            answer_headers.setdefault(name.lower(), []).append(value)
        return response.status, answer_headers, payload
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Worker:
    port: int
    process: subprocess.Popen[bytes] = field(repr=False)
    log: Path

    @property
    def origin(self) -> str:
        # The emulator redirects only to localhost.
        return f"http://localhost:{self.port}"

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.log.read_text(errors="replace")


class Site:
    """One database file, migrated, and the workers that serve it."""

    def __init__(self, folder: Path, relay: Relay) -> None:
        self.folder = folder
        self.relay = relay
        self.db = folder / "site.sqlite3"
        self.secret_key = secrets.token_urlsafe(50)
        self.workers: list[Worker] = []
        self._run_tool_env = self.env()
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--verbosity", "0"],
            env=self._run_tool_env,
            check=True,
            timeout=120,
        )
        with sqlite3.connect(self.db) as connection:
            # Readers do not block the writer, across processes.
            connection.execute("PRAGMA journal_mode=WAL")

    def env(self, link_by_email: bool = False) -> dict[str, str]:
        env = dict(os.environ)
        paths = [str(HERE), str(TEMPLATES)]
        if env.get("PYTHONPATH"):
            # What the caller put there first (another checkout's templates, say).
            paths.insert(0, env["PYTHONPATH"])
        env.update(
            PYTHONPATH=os.pathsep.join(paths),
            DJANGO_SETTINGS_MODULE="authkit_session_site",
            AUTHKIT_SITE_DB=str(self.db),
            AUTHKIT_SITE_SECRET_KEY=self.secret_key,
            AUTHKIT_SITE_LINK_BY_EMAIL="1" if link_by_email else "0",
            WORKOS_BASE_URL=self.relay.url,
            WORKOS_API_KEY=self.relay.api_key,
            WORKOS_CLIENT_ID=self.relay.client_id,
        )
        return env

    def start_worker(self, link_by_email: bool = False) -> Worker:
        port = free_port()
        log = self.folder / f"worker-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "django",
                    "runserver",
                    "--noreload",
                    f"127.0.0.1:{port}",
                ],
                env=self.env(link_by_email),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(port=port, process=process, log=log)
        self.workers.append(worker)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return worker
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"runserver did not start: {log.read_text()}"
                    ) from None
                time.sleep(0.1)

    def tool(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(HERE / "session_site_tool.py"), *args],
            env=self._run_tool_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db, timeout=30) as connection:
            return list(connection.execute(sql, params))

    def logs(self) -> str:
        return "\n".join(w.log.read_text(errors="replace") for w in self.workers)

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []


def no_server_errors(site: Site) -> None:
    logs = site.logs()
    assert '" 500 ' not in logs, logs
    assert "Traceback" not in logs, logs


@contextmanager
def site_running(folder: Path, relay: Relay) -> Iterator[Site]:
    site = Site(folder, relay)
    try:
        yield site
    finally:
        site.stop()


class Browser:
    """Cookies for localhost (every port, as a browser keeps them) and requests."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self,
        worker: Worker,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        csrf_header: bool = True,
    ) -> tuple[int, dict[str, list[str]], bytes]:
        """``csrf_header=False``: the form's own csrfmiddlewaretoken is what counts,
        as when a browser submits an HTML form."""
        headers = {"Host": f"localhost:{worker.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if csrf_header and "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        status, answer, payload = http_request(
            f"http://127.0.0.1:{worker.port}", method, path, headers, body
        )
        for header in answer.get("set-cookie", []):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return status, answer, payload

    def get(self, worker: Worker, path: str) -> tuple[int, dict[str, list[str]], bytes]:
        return self.request(worker, "GET", path)

    def post(
        self, worker: Worker, path: str, form: dict[str, str]
    ) -> tuple[int, dict[str, list[str]], bytes]:
        if "csrftoken" not in self.cookies:
            status, _, _ = self.get(worker, "/csrf/")
            assert status == 200
        return self.request(worker, "POST", path, form)

    def signed_out_of_workos(self, worker: Worker) -> bool:
        page = self.whoami(worker)
        return page["workos"] is None and page["user"]["authenticated"] is False

    def whoami(self, worker: Worker) -> dict[str, Any]:
        status, _, payload = self.get(worker, "/")
        assert status == 200, payload[:2000]
        data: dict[str, Any] = json.loads(payload)
        return data

    def sign_in(self, worker: Worker, login_hint: str | None = None) -> None:
        """Login view -> the emulator's authorize -> the callback, as a browser."""
        status, _, payload = self.start_sign_in(worker, login_hint)
        assert status == 302, payload[:2000]
        assert self.whoami(worker)["workos"] is not None

    def start_sign_in(
        self, worker: Worker, login_hint: str | None = None
    ) -> tuple[int, dict[str, list[str]], bytes]:
        """As sign_in, up to the callback's answer (returned)."""
        status, headers, payload = self.get(worker, "/auth/login/")
        assert status == 302, payload[:2000]
        authorize = headers["location"][0]
        if login_hint is not None:
            authorize += "&" + urlencode({"login_hint": login_hint})
        parts = urlsplit(authorize)
        status, headers, payload = http_request(
            f"{parts.scheme}://{parts.netloc}", "GET", f"{parts.path}?{parts.query}"
        )
        assert status == 302, payload
        back = urlsplit(headers["location"][0])
        assert back.netloc == f"localhost:{worker.port}", back
        return self.get(worker, f"{back.path}?{back.query}")


# The permissions, roles and organizations the session tests sign in to: the test user
# is an editor of Acme and a viewer of Globex.
PERMISSIONS = [
    {"slug": "posts:read", "name": "Read posts"},
    {"slug": "posts:write", "name": "Write posts"},
]
ROLES = [
    {"slug": "editor", "name": "Editor", "permissions": ["posts:read", "posts:write"]},
    {"slug": "viewer", "name": "Viewer", "permissions": ["posts:read"]},
]
ORGANIZATIONS = [
    {
        "name": "Acme",
        "memberships": [{"user_email": "test.user@example.com", "role": "editor"}],
    },
    {
        "name": "Globex",
        "memberships": [{"user_email": "test.user@example.com", "role": "viewer"}],
    },
]


def organizations_seed(
    users: list[dict[str, Any]], more_organizations: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """An emulator seed: these users besides the test user, and the organizations."""
    return {
        "users": users,
        "permissions": PERMISSIONS,
        "roles": ROLES,
        "organizations": [*ORGANIZATIONS, *(more_organizations or [])],
    }


def running_relay(
    ttl: int, seed: dict[str, Any] | None, place: Path
) -> Iterator[Relay]:
    """A fixture body: the relay for as long as the fixture lives, then stopped."""
    place.mkdir(parents=True, exist_ok=True)
    relay = start_relay(ttl, seed, place)
    try:
        yield relay
    finally:
        relay.stop()


def running_site(place: Path, relay: Relay) -> Iterator[Site]:
    """A fixture body: a site in `place` (made here), stopped afterwards, and whatever
    the test switched at the relay switched back for the next one."""
    place.mkdir(parents=True)
    site = Site(place, relay)
    try:
        yield site
    finally:
        site.stop()
        relay.refresh_fails(False)
        relay.jwks_down(False)
        relay.organization_selection(False)
