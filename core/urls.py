from django.urls import path, re_path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.start, name="start"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("help/", views.help_index, name="help_index"),
    # Only lower-case letters, digits and hyphens reach the view: no dots or slashes, so no path to elsewhere.
    re_path(r"^help/(?P<slug>[a-z0-9-]+)/$", views.help_page, name="help_page"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.live, name="live"),
]
