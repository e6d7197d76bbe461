"""The impersonation banner (added by authkit-django).

``{% load authkit %}`` then ``{% authkit_impersonation_banner %}``.

Shows, only while a WorkOS admin is impersonating the signed-in user, a banner
naming the impersonator, with a button that ends the impersonated session. Needs
``request`` in the template context (``django.template.context_processors.request``,
on in new projects).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def authkit_impersonation_banner(context: dict[str, Any]) -> SafeString | str:
    request = context.get("request")
    auth = getattr(request, "workos", None)
    impersonator = getattr(auth, "impersonator", None)
    if request is None or auth is None or not impersonator:
        return ""
    reason = impersonator.get("reason") or ""
    return format_html(
        '<div role="status" class="authkit-impersonation" style="padding:0.5rem 1rem;'
        'background:#fff3cd;color:#111;border-bottom:1px solid #d6b656">'
        "{} is signed in as {}{}."
        ' <form method="post" action="{}" style="display:inline">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit">Stop impersonating</button></form></div>',
        impersonator.get("email", ""),
        auth.user.get("email", ""),
        f" ({reason})" if reason else "",
        reverse("workos_logout"),
        get_token(request),
    )
