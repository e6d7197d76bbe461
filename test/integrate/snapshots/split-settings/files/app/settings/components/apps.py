import os
from pathlib import Path

from dotenv import load_dotenv

# include() runs this file in app/settings/__init__.py: __file__ is that file.
load_dotenv(Path(__file__).resolve().parents[2] / ".env")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]

# WorkOS AuthKit: credentials come from the environment (the .env file in development).
WORKOS_API_KEY = os.environ.get("WORKOS_API_KEY", "")
WORKOS_CLIENT_ID = os.environ.get("WORKOS_CLIENT_ID", "")
