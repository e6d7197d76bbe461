"""WorkOS AuthKit sign-in for this Django project, added by authkit-django.

Everything authkit-django generates lives in this app; read it top-down:

- ``views.py``: the routes ``workos_login``, ``workos_callback``, ``workos_logout``,
  ``workos_me`` and ``workos_organization`` (wired in the root urlconf);
- ``middleware.py``: checks the WorkOS access token of every signed-in request and
  refreshes it, then sets ``request.workos`` (``None`` when nobody is signed in);
- ``sessions.py``: the server-side token store and its refresh lock;
- ``tokens.py``: access-token verification against WorkOS's published keys;
- ``backends.py``: maps the WorkOS user to a Django user, so that ``request.user``,
  ``@login_required`` and the admin know who signed in;
- ``decorators.py``: ``authkit_login_required``, ``authkit_permission_required`` and
  their class-based mixins;
- ``templatetags/authkit.py``: ``{% authkit_impersonation_banner %}``;
- ``models.py`` and ``migrations/``: the tables (run ``manage.py migrate``);
- ``conf.py`` and ``client.py``: settings and the WorkOS client.
"""
