# The migrations of WorkOS AuthKit sign-in (added by authkit-django).
