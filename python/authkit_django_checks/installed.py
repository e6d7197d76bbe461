"""Checks that Django, the workos SDK and python-dotenv import in the project's
interpreter.
"""

import importlib
import sys

from .context import distribution_version
from .report import FAIL, PASS, SKIP, describe_exception, result

# Kept equal to MIN_DJANGO in src/discover/django-version.ts.
OLDEST_DJANGO = (4, 2)


def check_import_django(ctx):
    try:
        import django
    except ImportError as exc:
        return result(
            FAIL,
            f"Django is not importable by {sys.executable}: {describe_exception(exc)}",
            fix=(
                "use the interpreter of the project's virtualenv, or install Django "
                "into it"
            ),
        )
    ctx.django = django
    if tuple(django.VERSION[:2]) < OLDEST_DJANGO:
        # The generated views use what Django 4.2 brought; init refuses older ones.
        return result(
            FAIL,
            f"Django {django.get_version()} is older than 4.2, "
            "the oldest authkit-django supports",
            fix="upgrade Django to 4.2 or later",
        )
    return result(
        PASS, f"Django {django.get_version()} is importable by {sys.executable}"
    )


def check_import_package(module, distribution):
    def check(ctx):
        try:
            importlib.import_module(module)
        except ImportError as exc:
            installed = distribution_version(distribution)
            why = (
                f"installed ({distribution} {installed}) but fails to import"
                if installed
                else "not installed"
            )
            return result(
                FAIL,
                f"{module} is {why} for {sys.executable}: {describe_exception(exc)}",
                fix=(
                    f"install {distribution} into the project's environment (the "
                    "interpreter above)"
                ),
            )
        version = distribution_version(distribution) or "(version unknown)"
        return result(
            PASS, f"{distribution} {version} is importable by {sys.executable}"
        )

    return check


def _settings_use_dotenv():
    """Whether the settings module (or a file of its package) mentions dotenv.

    Projects that read .env with django-environ, python-decouple or environs do not
    need python-dotenv, and authkit-django does not add it there.
    """
    import importlib.util
    import os

    name = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    try:
        spec = importlib.util.find_spec(name) if name else None
    except (ImportError, ValueError):
        spec = None
    origin = getattr(spec, "origin", None)
    if not origin or not os.path.isfile(origin):
        return True  # cannot tell: keep the check
    folder = os.path.dirname(origin)
    files = [origin]
    if os.path.isfile(os.path.join(folder, "__init__.py")):
        files += [
            os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".py")
        ]
    for path in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                if "dotenv" in handle.read():
                    return True
        except OSError:
            continue
    return False


def check_import_dotenv(ctx):
    if not _settings_use_dotenv():
        return result(
            SKIP, "python-dotenv is not needed: the settings read .env another way"
        )
    return check_import_package("dotenv", "python-dotenv")(ctx)
