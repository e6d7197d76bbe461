"""The cost of AuthKitMiddleware on a protected page (run by bench/middleware.mjs).

A Django 5.2 site in this process (Django's test client, an in-memory SQLite database,
database sessions as in a new project) signs in through WorkOS's emulator, then times
GET requests of one small view two ways, interleaved in rounds so that machine load
hits both alike:

- "with": the generated app's middleware in MIDDLEWARE (the token verified on every
  request);
- "without": the same MIDDLEWARE minus ours.

The view is the same both times: a page behind Django's ``login_required``, which works
either way because the sign-in made a Django user (the session loads, and the user,
in both).

Prints one JSON line: per-request p50/p90 of each, the overhead at p50, and how many
requests reached the relay in front of WorkOS during the timed loop (from its request
counter when the relay has one; null otherwise).
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "templates"))
sys.path.insert(0, str(ROOT / "test" / "python"))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

BASE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
WITH_MIDDLEWARE = [*BASE_MIDDLEWARE]
WITH_MIDDLEWARE.insert(5, "authkit.middleware.AuthKitMiddleware")

settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS=["localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "authkit",
    ],
    MIDDLEWARE=WITH_MIDDLEWARE,
    AUTHENTICATION_BACKENDS=[
        "django.contrib.auth.backends.ModelBackend",
        "authkit.backends.WorkOSBackend",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    USE_TZ=True,
    WORKOS_API_KEY=os.environ["BENCH_WORKOS_API_KEY"],
    WORKOS_CLIENT_ID=os.environ["BENCH_WORKOS_CLIENT_ID"],
)
django.setup()

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from authkit import views  # noqa: E402
from flow_helpers import HOST, sign_in  # noqa: E402


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok")


urlpatterns = [
    path("auth/login/", views.login, name="workos_login"),
    path("auth/callback/", views.callback, name="workos_callback"),
    path("auth/logout/", views.logout, name="workos_logout"),
    path("protected/", login_required(page)),
]


def relay_count(base_url: str) -> int | None:
    try:
        url = f"{base_url}/__authkit/requests"  # the local relay
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310
            counts = json.loads(r.read())
    except OSError:
        return None
    values = counts.get("requests", counts) if isinstance(counts, dict) else {}
    total = 0
    for value in values.values() if isinstance(values, dict) else []:
        if isinstance(value, int):
            total += value
    return total


def timed(client: Client, url: str, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return samples


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    rounds = int(os.environ.get("BENCH_ROUNDS", "10"))
    per_round = int(os.environ.get("BENCH_REQUESTS", "200"))
    base_url = os.environ["WORKOS_BASE_URL"]

    signed_in = Client(HTTP_HOST=HOST)
    sign_in(signed_in)
    with override_settings(MIDDLEWARE=BASE_MIDDLEWARE):
        plain = Client(HTTP_HOST=HOST)
        plain.cookies = signed_in.cookies
        timed(plain, "/protected/", 20)  # warm-up: middleware chain built
    timed(signed_in, "/protected/", 20)  # warm-up: keys fetched

    before = relay_count(base_url)
    with_samples: list[float] = []
    without_samples: list[float] = []
    for _ in range(rounds):
        with_samples += timed(signed_in, "/protected/", per_round)
        with override_settings(MIDDLEWARE=BASE_MIDDLEWARE):
            without_samples += timed(plain, "/protected/", per_round)
    after = relay_count(base_url)

    def ms(values: list[float], q: int) -> float:
        return round(statistics.quantiles(values, n=100)[q - 1] * 1000, 3)

    p50_with, p50_without = ms(with_samples, 50), ms(without_samples, 50)
    print(
        json.dumps(
            {
                "requests": len(with_samples),
                "with_p50_ms": p50_with,
                "with_p90_ms": ms(with_samples, 90),
                "without_p50_ms": p50_without,
                "without_p90_ms": ms(without_samples, 90),
                "overhead_p50_percent": round((p50_with / p50_without - 1) * 100, 1),
                "workos_requests_during_loop": None
                if before is None or after is None
                else after - before,
            }
        )
    )


if __name__ == "__main__":
    main()
