import os
from pathlib import Path

from dotenv import load_dotenv

load_dotenv(Path(__file__).resolve().parents[1] / '.env')

SECRET_KEY = "fixture-only"

INSTALLED_APPS = (
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'blog',
)

MIDDLEWARE = (
    'django.middleware.common.CommonMiddleware',
    'blog.middleware.TrackingSessionMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
)

ROOT_URLCONF = 'blog.urls'

TEMPLATES = [
    dict(
        BACKEND='django.template.backends.django.DjangoTemplates',
        DIRS=[Path(__file__).resolve().parents[1] / 'templates'],
        APP_DIRS=False,
    ),
]

# WorkOS AuthKit: credentials come from the environment (the .env file in development).
WORKOS_API_KEY = os.environ.get('WORKOS_API_KEY', '')
WORKOS_CLIENT_ID = os.environ.get('WORKOS_CLIENT_ID', '')
