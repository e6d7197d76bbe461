"""The check that runs Django's own system checks (python manage.py check)."""

import io
import re

from .report import FAIL, PASS, SKIP, WARN, failure_from_exception, result


def check_django_check(ctx):
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    output = io.StringIO()
    try:
        call_command("check", no_color=True, stdout=output, stderr=output)
    except SystemCheckError as exc:
        return check_errors_result(exc, output)
    except Exception as exc:
        # The checks import the URL configuration and every app: their errors are the
        # project's, not a bug of this check.
        return failure_from_exception("python manage.py check could not run", exc)
    text = output.getvalue().strip()
    if "identified some issues" in text or "WARNINGS:" in text:
        return result(WARN, "python manage.py check reports warnings", detail=text)
    return result(PASS, "python manage.py check: no issues")


def check_errors_result(exc, output):
    """Django's own report, with its first error line in the message."""
    text = "\n".join(
        part for part in (str(exc).strip(), output.getvalue().strip()) if part
    )
    first = next(
        (
            ln.strip()
            for ln in text.splitlines()
            if re.search(r": \(\w+\.[EW]\d+\)", ln)
        ),
        "",
    )
    return result(
        FAIL,
        "python manage.py check reports errors" + (f": {first}" if first else ""),
        detail=text,
        fix="fix the errors Django lists",
    )
