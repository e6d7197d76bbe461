"""Verification checks for a WorkOS AuthKit integration, run by authkit-django.

authkit-django runs this package inside the Django project's own interpreter (so it
sees the packages, settings and URL configuration the project really has) as
`python -m authkit_django_checks`, from the folder that holds manage.py, with
DJANGO_SETTINGS_MODULE set and this package's parent folder first on PYTHONPATH. It
uses only the standard library, Django and the workos SDK, never calls WorkOS or
anything else over the network (it opens only the project's own database, to look for
the sessions table), writes nothing into the project, and prints exactly one JSON
object on stdout:

    {"version": 1, "python": ..., "checks": [{"id", "status", ...}], "dashboard": ...}

Each check runs on its own: a check that crashes is reported as that check failing,
and the others still run. Secrets (the API key, SECRET_KEY, database passwords) are
masked before anything is printed.

Every module lives inside this package and imports its neighbours relatively, so
nothing here takes a top-level name the project or the standard library could use.
"""
