"""Secrets kept out of the report: credentials are shown by their well-known prefix
only, and every known secret value is masked before anything is printed.
"""

import os
import re


def mask_key(value):
    """What may be shown of a credential: its known prefix, never its secret part."""
    if not isinstance(value, str) or not value:
        return "(absent)"
    for prefix in ("sk_test_", "sk_live_", "sk_", "client_"):
        if value.startswith(prefix):
            return prefix + "\u2026"
    return f"({len(value)} characters, no known prefix)"


SECRET_PATTERN = re.compile(r"sk_(?:test|live)_[A-Za-z0-9_\-]+")
SENSITIVE_ENV_NAME = re.compile(r"(KEY|SECRET|PASSWORD|PASSWD|TOKEN)", re.IGNORECASE)


class Secrets:
    """Values that must never reach the output, collected as they become known."""

    def __init__(self):
        self.values = {}

    def add_from_environment(self):
        # Read again just before printing: settings may have put .env in os.environ.
        for name, value in os.environ.items():
            if SENSITIVE_ENV_NAME.search(name):
                self.add(value, mask_key(value) if value.startswith("sk_") else None)

    def add(self, value, shown=None):
        # Very short values would mask ordinary words; they are not real secrets anyway.
        if isinstance(value, str) and len(value) >= 8:
            self.values[value] = shown or "[redacted]"

    def add_from_settings(self, settings):
        for name in ("WORKOS_API_KEY", "SECRET_KEY"):
            value = getattr(settings, name, None)
            self.add(value, mask_key(value) if name == "WORKOS_API_KEY" else None)
        for db in (getattr(settings, "DATABASES", None) or {}).values():
            if isinstance(db, dict):
                self.add(db.get("PASSWORD"))

    def scrub(self, data):
        if isinstance(data, str):
            # Longest first, so a secret that contains another is masked whole.
            for value in sorted(self.values, key=len, reverse=True):
                data = data.replace(value, self.values[value])
            return SECRET_PATTERN.sub(lambda m: mask_key(m.group(0)), data)
        if isinstance(data, dict):
            return {key: self.scrub(value) for key, value in data.items()}
        if isinstance(data, list):
            return [self.scrub(value) for value in data]
        return data
