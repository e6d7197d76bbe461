"""Protect views with the WorkOS sign-in (added by authkit-django).

``authkit_login_required`` sends a visitor who is not signed in with WorkOS to the
sign-in, and back to the page afterwards. ``authkit_permission_required("posts:write")``
also requires that permission in the WorkOS access token (the permissions of the
user's role in the current organization); a signed-in user without it gets 403.
``AuthKitLoginRequiredMixin`` and ``AuthKitPermissionRequiredMixin`` do the same for
class-based views. They read ``request.workos``, set by ``AuthKitMiddleware``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

View = Callable[..., HttpResponse]


def sign_in_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """To the sign-in, coming back to this page (a path on this site) afterwards."""
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('workos_login')}?{query}")


def _signed_in(request: HttpRequest) -> bool:
    return getattr(request, "workos", None) is not None


def _missing(request: HttpRequest, permissions: Iterable[str]) -> list[str]:
    granted = set(getattr(request, "workos", None).permissions)  # type: ignore[union-attr]
    return [permission for permission in permissions if permission not in granted]


def authkit_login_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _signed_in(request):
            return sign_in_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def authkit_permission_required(*permissions: str) -> Callable[[View], View]:
    if not permissions or not all(isinstance(p, str) and p for p in permissions):
        raise TypeError("authkit_permission_required needs permission slugs")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _signed_in(request):
                return sign_in_redirect(request)
            if _missing(request, permissions):
                raise PermissionDenied("missing WorkOS permission")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class AuthKitLoginRequiredMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _signed_in(request):
            return sign_in_redirect(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class AuthKitPermissionRequiredMixin:
    # One slug or several, all required.
    permission_required: str | Iterable[str] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wanted = self.permission_required
        permissions = [wanted] if isinstance(wanted, str) else list(wanted)
        if not permissions:
            raise TypeError(f"{type(self).__name__} sets no permission_required")
        if not _signed_in(request):
            return sign_in_redirect(request)
        if _missing(request, permissions):
            raise PermissionDenied("missing WorkOS permission")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
