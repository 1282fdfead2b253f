"""The REST API under /api/v1/: each app's `api/urls.py` exposes a DRF router's `urlpatterns`, included here."""

from django.urls import include, path

from core.api.tokens import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("", include("partnerships.api.urls")),
    path("", include("workstreams.api.urls")),
    path("", include("engagement.api.urls")),
    path("", include("governance.api.urls")),
    path("", include("reporting.api.urls")),
]
