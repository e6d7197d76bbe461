"""The home page added by authkit-django: shows who is signed in with WorkOS."""

from __future__ import annotations

from django.contrib.auth import decorators as auth_decorators
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

# The home page offers the sign-in link: it stays public under Django 5.1+'s
# LoginRequiredMiddleware (older Django has no such decorator, nor the need).
login_not_required = getattr(auth_decorators, "login_not_required", lambda view: view)


# never_cache: the page shows who is signed in, so the back button or a shared
# cache must not show it again after logout.
@login_not_required
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
