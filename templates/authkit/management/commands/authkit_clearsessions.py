"""``manage.py authkit_clearsessions`` (added by authkit-django).

Deletes the stored WorkOS tokens of sign-ins nobody used for longer than
``SESSION_COOKIE_AGE``: their Django session has expired (a session in use refreshes
its access token every few minutes). Run it beside Django's ``clearsessions``, from
cron or a scheduler.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from ...models import AuthKitSession


class Command(BaseCommand):
    help = "Delete the stored WorkOS tokens of sign-ins unused for SESSION_COOKIE_AGE."

    def handle(self, *args: Any, **options: Any) -> None:
        age = timedelta(seconds=int(settings.SESSION_COOKIE_AGE))
        stale = AuthKitSession.objects.filter(updated_at__lt=timezone.now() - age)
        deleted, _ = stale.delete()
        self.stdout.write(f"{deleted} stored WorkOS sign-in(s) deleted")
