import os
from pathlib import Path

from dotenv import load_dotenv

load_dotenv(Path(__file__).resolve().parents[1] / ".env")

PROJECT = "dyn"
SECRET_KEY = "fixture-only"


def plugin_apps():
    return [name for name in os.environ.get("PLUGINS", "").split(",") if name]


INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]
INSTALLED_APPS += plugin_apps()

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    os.environ.get("EXTRA_MIDDLEWARE", "django.middleware.common.CommonMiddleware"),
]

ROOT_URLCONF = f"{PROJECT}.urls"

# WorkOS AuthKit: credentials come from the environment (the .env file in development).
WORKOS_API_KEY = os.environ.get("WORKOS_API_KEY", "")
WORKOS_CLIENT_ID = os.environ.get("WORKOS_CLIENT_ID", "")
