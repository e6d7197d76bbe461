"""URLs of the session test site: the app's routes, the admin, the generated home page,
and pages that say who the request is signed in as (what request.user and
request.workos hold)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.urls import path

import home_views
from authkit import views as authkit_views
from authkit.decorators import authkit_permission_required


def whoami(request: HttpRequest) -> JsonResponse:
    user = request.user
    workos = getattr(request, "workos", None)
    return JsonResponse(
        {
            "user": {
                "authenticated": user.is_authenticated,
                "pk": user.pk,
                "username": getattr(user, "username", ""),
                "email": getattr(user, "email", ""),
            },
            "workos": None
            if workos is None
            else {
                "user_id": workos.user.get("id"),
                "email": workos.user.get("email"),
                "session_id": workos.session_id,
                "organization_id": workos.organization_id,
                "role": workos.role,
                "permissions": workos.permissions,
                "exp": workos.claims.get("exp"),
                "impersonator": workos.impersonator,
            },
        }
    )


def csrf(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"token": get_token(request)})


@authkit_permission_required("posts:write")
def write_posts(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": "write"})


@authkit_permission_required("posts:read")
def read_posts(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": "read"})


urlpatterns = [
    path("", whoami, name="home"),
    # The home page init generates (templates/home_views.py and home.html).
    path("home/", home_views.home),
    path("csrf/", csrf),
    path("posts/write/", write_posts),
    path("posts/read/", read_posts),
    path("admin/", admin.site.urls),
    path("auth/login/", authkit_views.login, name="workos_login"),
    path("auth/callback/", authkit_views.callback, name="workos_callback"),
    path("auth/logout/", authkit_views.logout, name="workos_logout"),
    path("auth/me/", authkit_views.me, name="workos_me"),
    path(
        "auth/organization/",
        authkit_views.organization,
        name="workos_organization",
    ),
]
