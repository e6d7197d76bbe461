"""The tables of WorkOS AuthKit sign-in (added by authkit-django).

``AuthKitSession`` keeps each signed-in browser's WorkOS tokens on the server: the
browser holds only the Django session cookie, whatever the session engine. The
refresh token is single-use, so ``refreshing_until`` is the lock that lets one
request at a time, in any worker process on any host, spend it.

``WorkOSUser`` links a WorkOS user to the Django user made for them. It exists only
where ``django.contrib.auth`` is installed.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models


class AuthKitSession(models.Model):
    # A random key, stored in the Django session; never derived from the tokens.
    key = models.CharField(max_length=64, primary_key=True)
    user_id = models.CharField(max_length=64, db_index=True)
    workos_session_id = models.CharField(max_length=64, blank=True)
    organization_id = models.CharField(max_length=64, blank=True)
    access_token = models.TextField()
    refresh_token = models.TextField()
    impersonator_email = models.CharField(max_length=254, blank=True)
    impersonator_reason = models.TextField(blank=True)
    # Set while one request refreshes the tokens; expires by itself if that request
    # dies, so a crashed worker cannot sign anybody out.
    refreshing_until = models.DateTimeField(null=True, blank=True)
    # Set when WorkOS failed to refresh: until then, requests use the current token
    # (while it is valid) instead of each waiting on WorkOS again.
    retry_refresh_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "AuthKit session"

    def __str__(self) -> str:
        return f"AuthKit session of {self.user_id}"


if apps.is_installed("django.contrib.auth"):

    class WorkOSUser(models.Model):
        user = models.OneToOneField(
            settings.AUTH_USER_MODEL,
            on_delete=models.CASCADE,
            related_name="workos_identity",
        )
        workos_id = models.CharField(max_length=64, unique=True)
        created_at = models.DateTimeField(auto_now_add=True)

        class Meta:
            verbose_name = "WorkOS user"

        def __str__(self) -> str:
            return self.workos_id
