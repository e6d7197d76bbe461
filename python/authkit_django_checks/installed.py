"""Checks that Django, the workos SDK and python-dotenv import in the project's
interpreter.
"""

import importlib
import sys

from .context import distribution_version
from .report import FAIL, PASS, describe_exception, result


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
