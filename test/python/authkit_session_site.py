"""Settings of the Django site the session tests run as real worker processes.

Each worker (``python -m django runserver --noreload``) imports this module; the test
passes what differs per run in the environment: the shared sqlite file, the secret key,
the emulator's keys, and whether users are linked by email. The app is imported from
templates/ (the files init copies into projects), with its middleware and backend
placed as init places them, and the admin, to sign in to it as a staff user.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

# Where the app is imported from (templates/, or what PYTHONPATH put first) also holds
# the generated home.html.
_APP_SPEC = find_spec("authkit")
if _APP_SPEC is None or _APP_SPEC.origin is None:
    raise RuntimeError("the authkit app is not importable: check PYTHONPATH")
GENERATED_TEMPLATES = str(Path(_APP_SPEC.origin).resolve().parents[1])

DEBUG = False
SECRET_KEY = os.environ["AUTHKIT_SITE_SECRET_KEY"]
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
ROOT_URLCONF = "authkit_session_urls"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "authkit",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "authkit.middleware.AuthKitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "authkit.backends.WorkOSBackend",
]
LOGIN_URL = "workos_login"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [GENERATED_TEMPLATES],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]
# One file for every worker: the refresh lock must hold across processes. The file is
# in WAL mode (set by the test), and a writer waits for another instead of failing.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["AUTHKIT_SITE_DB"],
        "OPTIONS": {"timeout": 30},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
STATIC_URL = "/static/"
WORKOS_API_KEY = os.environ.get("WORKOS_API_KEY", "")
WORKOS_CLIENT_ID = os.environ.get("WORKOS_CLIENT_ID", "")
WORKOS_REQUEST_TIMEOUT = 5
WORKOS_LINK_USERS_BY_EMAIL = os.environ.get("AUTHKIT_SITE_LINK_BY_EMAIL") == "1"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"authkit": {"handlers": ["stderr"], "level": "INFO"}},
}
