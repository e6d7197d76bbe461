"""The app configuration of WorkOS AuthKit sign-in (added by authkit-django)."""

from __future__ import annotations

from django.apps import AppConfig


class AuthKitConfig(AppConfig):
    # The dotted path this package is imported under, whatever folder it sits in.
    name = __name__.rpartition(".")[0]
    label = "authkit"
    verbose_name = "WorkOS AuthKit"
    # Fixed here, not taken from DEFAULT_AUTO_FIELD, so the shipped migration always
    # matches the models.
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals

        signals.connect()
