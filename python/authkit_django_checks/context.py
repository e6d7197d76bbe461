"""What the checks share as they run: the context earlier checks fill in for later ones,
and where the settings and URL modules live.
"""

import os
import sys

from .masking import Secrets

DOCTOR_VARIABLE = "AUTHKIT_DJANGO_DOCTOR"


class Context:
    """What earlier checks learned and later ones need."""

    def __init__(self, site_url):
        self.site_url = site_url.rstrip("/")
        self.secrets = Secrets()
        self.django = None
        self.settings = None
        self.url_paths = {}
        self.test_environment = False
        # `authkit-django doctor` sets AUTHKIT_DJANGO_DOCTOR=1: more checks run, and the
        # login checks accept hand-written integrations (see the doctor package).
        self.doctor = os.environ.get(DOCTOR_VARIABLE) == "1"
        # role ("login", "callback", "logout") -> Role, found by URL name or by code.
        self.roles = {}
        # Where the login view redirected (doctor mode), for the redirect URI check.
        self.login_location = None


def settings_file(ctx):
    module = sys.modules.get(getattr(ctx.settings, "SETTINGS_MODULE", None) or "")
    path = getattr(module, "__file__", None)
    return os.path.realpath(path) if path else None


def urls_module_file(ctx):
    urlconf = getattr(ctx.settings, "ROOT_URLCONF", None)
    module = sys.modules.get(urlconf or "")
    path = getattr(module, "__file__", None)
    return os.path.realpath(path) if path else None


def distribution_version(name):
    try:
        from importlib import metadata
    except ImportError:  # Python < 3.8 has no importlib.metadata
        return None
    try:
        return metadata.version(name)
    except Exception:
        return None
