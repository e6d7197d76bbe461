# Management commands of WorkOS AuthKit sign-in (added by authkit-django).
