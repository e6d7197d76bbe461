# The tables of WorkOS AuthKit sign-in (added by authkit-django).
# WorkOSUser, the link to Django's users, exists only where django.contrib.auth is
# installed, as in models.py.

from __future__ import annotations

import django.db.models.deletion
from django.apps import apps
from django.conf import settings
from django.db import migrations, models

WITH_DJANGO_AUTH = apps.is_installed("django.contrib.auth")


class Migration(migrations.Migration):
    initial = True

    dependencies = (
        [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]
        if WITH_DJANGO_AUTH
        else []
    )

    operations = [  # noqa: RUF012 (Django reads it as a class attribute)
        migrations.CreateModel(
            name="AuthKitSession",
            fields=[
                (
                    "key",
                    models.CharField(max_length=64, primary_key=True, serialize=False),
                ),
                ("user_id", models.CharField(db_index=True, max_length=64)),
                ("workos_session_id", models.CharField(blank=True, max_length=64)),
                ("organization_id", models.CharField(blank=True, max_length=64)),
                ("access_token", models.TextField()),
                ("refresh_token", models.TextField()),
                ("impersonator_email", models.CharField(blank=True, max_length=254)),
                ("impersonator_reason", models.TextField(blank=True)),
                ("refreshing_until", models.DateTimeField(blank=True, null=True)),
                ("retry_refresh_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"verbose_name": "AuthKit session"},
        ),
    ]

    if WITH_DJANGO_AUTH:
        operations.append(
            migrations.CreateModel(
                name="WorkOSUser",
                fields=[
                    (
                        "id",
                        models.BigAutoField(
                            auto_created=True,
                            primary_key=True,
                            serialize=False,
                            verbose_name="ID",
                        ),
                    ),
                    ("workos_id", models.CharField(max_length=64, unique=True)),
                    ("created_at", models.DateTimeField(auto_now_add=True)),
                    (
                        "user",
                        models.OneToOneField(
                            on_delete=django.db.models.deletion.CASCADE,
                            related_name="workos_identity",
                            to=settings.AUTH_USER_MODEL,
                        ),
                    ),
                ],
                options={"verbose_name": "WorkOS user"},
            )
        )
