"""The check that authkit-django's URL names reverse in the project's urlconf."""

import os
import sys

from .report import FAIL, PASS, SKIP, failure_from_exception, result

URL_NAMES = ("workos_login", "workos_callback", "workos_logout")


def check_url_names(ctx):
    if ctx.settings is None:
        return result(SKIP, "settings did not load")
    from django.urls import NoReverseMatch, reverse

    missing = []
    urlconf = getattr(ctx.settings, "ROOT_URLCONF", None)
    for name in URL_NAMES:
        try:
            ctx.url_paths[name] = reverse(name)
        except NoReverseMatch:
            missing.append(name)
        except Exception as exc:
            return failure_from_exception(
                f"the URL configuration {urlconf} does not load", exc
            )
    module = sys.modules.get(urlconf or "")
    urls_file = (
        os.path.realpath(module.__file__) if getattr(module, "__file__", None) else None
    )
    found = ", ".join(f"{name} -> {path}" for name, path in ctx.url_paths.items())
    if missing:
        return result(
            FAIL,
            f"URL name{'s' if len(missing) > 1 else ''} {', '.join(missing)} not "
            f"found in ROOT_URLCONF {urlconf}"
            + (f" (found: {found})" if found else ""),
            file=urls_file,
            fix=(
                "add the auth/login/, auth/callback/ and auth/logout/ paths with "
                "these names to the urlpatterns"
            ),
        )
    return result(PASS, f"URL names reverse: {found}")
