from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.start, name="start"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.live, name="live"),
]
