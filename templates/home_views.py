"""The home page added by authkit-django: shows who is signed in with WorkOS."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


# never_cache: the page shows who is signed in, so the back button or a shared
# cache must not show it again after logout.
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    # WorkOS's callback stores the signed-in user under "user" as a plain dict.
    # The template gets it as workos_user: "user" belongs to django.contrib.auth's
    # context processor, which would hide it.
    session = getattr(request, "session", None)  # set by SessionMiddleware
    user = session.get("user") if session is not None else None
    return render(
        request,
        "home.html",
        {"workos_user": user if isinstance(user, dict) else None},
    )
