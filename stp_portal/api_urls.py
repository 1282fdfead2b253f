"""The REST API under /api/v1/: each app's `api.py` exposes `urlpatterns` (usually a DRF router's), included here."""

from django.urls import include, path

from core.api_views import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("", include("partnerships.api")),
    path("", include("workstreams.api")),
    path("", include("engagement.api")),
    path("", include("governance.api")),
]
