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


def accepted_site(site_url, settings):
    """The site URL to print, on a host the project's ALLOWED_HOSTS accepts, and a note
    saying which host was assumed when it is not the one asked for."""
    from urllib.parse import urlsplit

    from django.http.request import validate_host

    parts = urlsplit(site_url)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    # The login check's test client adds "testserver" (setup_test_environment): not a
    # host the site runs on.
    allowed = [
        h for h in getattr(settings, "ALLOWED_HOSTS", None) or [] if h != "testserver"
    ]
    if not allowed and getattr(settings, "DEBUG", False):
        # What Django itself accepts in DEBUG with an empty ALLOWED_HOSTS.
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    if validate_host(host, allowed):
        return site_url, None
    # A loopback host first: that is where the site runs in development (and where
    # WorkOS's emulator and the flow run it); then exact host names; the bare domain
    # of a ".domain" wildcard only when nothing else is named.
    loopback = [
        h for h in allowed if h in ("127.0.0.1", "localhost", "[::1]", ".localhost")
    ]
    exact = [h for h in allowed if not h.startswith(".") and h not in loopback]
    wildcards = [h for h in allowed if h not in loopback and h not in exact]
    for entry in loopback + exact + wildcards:
        candidate = entry.lstrip(".")
        if candidate and "*" not in candidate and validate_host(candidate, allowed):
            return (
                f"{parts.scheme}://{candidate}{port}",
                f"ALLOWED_HOSTS does not accept {host}; these values assume the site "
                f"runs at {candidate}{port}",
            )
    return site_url, (
        "ALLOWED_HOSTS accepts no host these values can name; they assume "
        f"{host}{port}, "
        "which the project will refuse until ALLOWED_HOSTS lists it"
    )


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
    if configured:
        site, host_note = origin_of(configured), None
    else:
        site, host_note = accepted_site(ctx.site_url, ctx.settings)
    values = {
        "redirectUri": configured or site + ctx.url_paths["workos_callback"],
        "signInEndpoint": site + ctx.url_paths["workos_login"],
        "logoutRedirect": site + get_script_prefix(),
        "host": urlsplit(site).netloc,
        "hostNote": host_note,
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
