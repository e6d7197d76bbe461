from django.contrib import admin
from django.urls import include, path

from . import auth_views, home_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("users/", include("my_site.users.urls", namespace="users")),
    path("accounts/", include("allauth.urls")),
    path("auth/login/", auth_views.login, name="workos_login"),
    path("auth/callback/", auth_views.callback, name="workos_callback"),
    path("auth/logout/", auth_views.logout, name="workos_logout"),
    path("", home_views.home, name="home"),
]
