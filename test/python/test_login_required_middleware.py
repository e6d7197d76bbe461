"""LoginRequiredMiddleware (Django 5.1+) leaves the sign-in views and home public."""

from __future__ import annotations

import django
import pytest
from django.conf import settings
from django.test import Client, override_settings

from flow_helpers import Emulator


@pytest.mark.skipif(
    django.VERSION < (5, 1), reason="LoginRequiredMiddleware is Django 5.1+"
)
def test_views_stay_reachable_when_login_is_required_everywhere(
    client: Client, emulator: Emulator
) -> None:
    middleware = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
    with override_settings(MIDDLEWARE=middleware):
        home = client.get("/")
        assert home.status_code == 200
        login = client.get("/auth/login/")
        assert login.status_code == 302
        assert login["Location"].startswith(f"{emulator.url}/user_management/authorize")
