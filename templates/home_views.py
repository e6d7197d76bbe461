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
    # request.workos is set by authkit's middleware: None when nobody is signed in.
    # The template gets the user as workos_user: "user" belongs to
    # django.contrib.auth's context processor, which would hide it.
    signed_in = getattr(request, "workos", None)
    return render(
        request,
        "home.html",
        {"workos_user": signed_in.user if signed_in is not None else None},
    )
