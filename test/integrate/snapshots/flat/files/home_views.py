@template home_views.py
