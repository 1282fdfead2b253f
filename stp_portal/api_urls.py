"""The REST API under /api/v1/: each app's `api.py` exposes `urlpatterns` (usually a DRF router's), included here."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    path("", include("partnerships.api")),
]
