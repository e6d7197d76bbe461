@template auth_views.py
