"""Runs the checks and prints the report: `python -m authkit_django_checks`.

Usage: python -m authkit_django_checks [--site-url http://localhost:8000]
"""

import argparse
import json
import os
import sys

from .check_lists import CHECKS, DOCTOR_CHECKS
from .context import Context, distribution_version
from .dashboard import dashboard_values
from .doctor.redirect_uri import check_redirect_uri_doctor
from .flow_facts import flow_facts
from .report import failure_from_exception

SCHEMA_VERSION = 1
DEFAULT_SITE_URL = "http://localhost:8000"


def run_all(site_url):
    ctx = Context(site_url)
    checks = []
    for check_id, check in DOCTOR_CHECKS if ctx.doctor else CHECKS:
        try:
            outcome = check(ctx)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # project code may even call sys.exit()
            outcome = failure_from_exception(f"the {check_id} check crashed", exc)
        checks.append(dict(id=check_id, **outcome))
    dashboard = None
    try:
        outcome, dashboard = (
            check_redirect_uri_doctor(ctx) if ctx.doctor else dashboard_values(ctx)
        )
    except Exception as exc:
        outcome = failure_from_exception("the redirect-uri check crashed", exc)
    checks.append(dict(id="redirect-uri", **outcome))
    try:
        facts = flow_facts(ctx)
    except Exception as exc:
        facts = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    report = {
        "version": SCHEMA_VERSION,
        "python": sys.executable,
        "pythonVersion": ".".join(str(part) for part in sys.version_info[:3]),
        "django": ctx.django.get_version() if ctx.django else None,
        "workos": distribution_version("workos"),
        "checks": checks,
        "dashboard": dashboard,
        "flowFacts": facts,
    }
    ctx.secrets.add_from_environment()
    return ctx.secrets.scrub(report)


def main():
    parser = argparse.ArgumentParser(description="authkit-django verification checks")
    parser.add_argument("--site-url", default=DEFAULT_SITE_URL)
    args = parser.parse_args()

    # Whatever the project prints (settings with print(), Django's check output) goes to
    # stderr, so stdout carries the report and nothing else.
    sys.stdout.flush()
    report_stream = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    # The project's modules are found from the folder of manage.py, as manage.py does.
    sys.path.insert(0, os.getcwd())
    report = run_all(args.site_url)
    report_stream.write(json.dumps(report))
    report_stream.write("\n")
    report_stream.flush()


if __name__ == "__main__":
    main()
