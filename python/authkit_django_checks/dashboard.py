"""The values to register in the WorkOS dashboard, and the check that the configured
redirect URI leads to the callback view.
"""

from .context import settings_file
from .report import FAIL, PASS, SKIP, result
from .url_names import URL_NAMES


def origin_of(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def dashboard_values(ctx):
    """What to register in the WorkOS dashboard, and whether the redirect URI lands on
    the callback route."""
    if ctx.settings is None:
        return result(SKIP, "settings did not load"), None
    missing = [name for name in URL_NAMES if name not in ctx.url_paths]
    if missing:
        return result(SKIP, f"needs the URL names {', '.join(missing)}"), None
    from urllib.parse import urlsplit

    from django.urls import Resolver404, get_script_prefix, resolve

    configured = getattr(ctx.settings, "WORKOS_REDIRECT_URI", None) or ""
    callback_path = ctx.url_paths["workos_callback"]
    site = origin_of(configured) if configured else ctx.site_url
    values = {
        "redirectUri": configured or site + ctx.url_paths["workos_callback"],
        "signInEndpoint": site + ctx.url_paths["workos_login"],
        "logoutRedirect": site + get_script_prefix(),
    }
    if configured:
        path = urlsplit(configured).path or "/"
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or match.url_name != "workos_callback":
            return (
                result(
                    FAIL,
                    f"settings.WORKOS_REDIRECT_URI {configured} does not lead to the "
                    f"callback view ({callback_path})",
                    file=settings_file(ctx),
                    fix=f"make WORKOS_REDIRECT_URI end with {callback_path}",
                ),
                values,
            )
    return result(
        PASS, f"the redirect URI {values['redirectUri']} leads to the callback view"
    ), values
