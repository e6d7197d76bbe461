"""The checks only `authkit-django doctor` runs.

Doctor runs the package with AUTHKIT_DJANGO_DOCTOR=1. These checks then run too, and
the login checks judge the way doctor must: an integration written by hand (its own
URL names, its own views anywhere in the project) is as good as authkit-django's, and
the redirect URI may name any host. Default runs (init, verify) are unchanged.
"""
