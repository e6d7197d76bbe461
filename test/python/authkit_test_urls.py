"""Routes as authkit-django writes them into a project's root urlconf."""

from django.urls import path

from authkit.views import callback, login, logout, me, organization
from home_views import home

urlpatterns = [
    path("", home, name="home"),
    path("auth/login/", login, name="workos_login"),
    path("auth/callback/", callback, name="workos_callback"),
    path("auth/logout/", logout, name="workos_logout"),
    path("auth/me/", me, name="workos_me"),
    path("auth/organization/", organization, name="workos_organization"),
]
