from django.urls import path

from . import auth_views

urlpatterns = [path('auth/login/', auth_views.login, name='workos_login'), path('auth/callback/', auth_views.callback, name='workos_callback'), path('auth/logout/', auth_views.logout, name='workos_logout')]
