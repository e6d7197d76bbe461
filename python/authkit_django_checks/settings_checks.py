"""Checks that the settings module loads (and Django starts with it) and that the
WorkOS credentials in it look right.
"""

import importlib
import os

from .context import settings_file
from .masking import mask_key
from .report import FAIL, PASS, SKIP, failure_from_exception, relative, result


def check_settings(ctx):
    if ctx.django is None:
        return result(SKIP, "Django is not importable")
    module = os.environ.get("DJANGO_SETTINGS_MODULE")
    if not module:
        return result(
            FAIL, "DJANGO_SETTINGS_MODULE is not set, so the settings module is unknown"
        )
    # Imported by hand first so that a settings file that fails is told apart from an
    # app that fails while Django starts.
    try:
        settings_module = importlib.import_module(module)
    except BaseException as exc:  # settings files may even call sys.exit()
        if isinstance(exc, KeyboardInterrupt):
            raise
        return failure_from_exception(
            f"the settings module {module} does not import", exc
        )
    # Known before Django starts, so an error while starting cannot show them.
    ctx.secrets.add_from_settings(settings_module)
    from django.conf import settings

    try:
        ctx.django.setup()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return failure_from_exception(f"Django does not start with {module}", exc)
    ctx.settings = settings
    path = settings_file(ctx)
    where = f" ({relative(path)})" if path else ""
    return result(PASS, f"settings module {module} loads{where}", file=path)


def credential_check(setting, prefix, kind, wrong_kind_prefix, wrong_kind):
    def check(ctx):
        if ctx.settings is None:
            return result(SKIP, "settings did not load")
        where = settings_file(ctx)
        if not hasattr(ctx.settings, setting):
            return result(
                FAIL,
                f"settings.{setting} is not defined",
                file=where,
                fix=f'add {setting} = os.environ.get("{setting}", "") to the settings',
            )
        value = getattr(ctx.settings, setting)
        if not isinstance(value, str):
            return result(
                FAIL,
                f"settings.{setting} is a {type(value).__name__}, not a string",
                file=where,
            )
        if not value:
            return result(
                FAIL,
                f"settings.{setting} is empty: set {setting} in .env or the "
                "environment",
                file=where,
                fix=(
                    f"add {setting}={prefix}... (the {kind} from the WorkOS "
                    "dashboard) to .env"
                ),
            )
        if value != value.strip():
            return result(
                FAIL,
                f"settings.{setting} has spaces or a line break around it",
                file=where,
            )
        if not value.startswith(prefix):
            hint = (
                f" (it looks like the {wrong_kind})"
                if value.startswith(wrong_kind_prefix)
                else ""
            )
            return result(
                FAIL,
                f"settings.{setting} does not start with {prefix}{hint}: it must be "
                f"the {kind}",
                file=where,
                fix=f"copy the {kind} from the WorkOS dashboard into {setting} in .env",
            )
        shown = mask_key(value) if prefix == "sk_" else value
        return result(PASS, f"settings.{setting} is set ({shown})")

    return check
