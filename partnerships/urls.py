from django.urls import path

from . import views_import

app_name = "partnerships"

urlpatterns = [
    # Import of NHS reference data (views_import.py)
    path(
        "partnerships/<str:code>/organisations/import/",
        views_import.organisation_import,
        name="organisation_import",
    ),
]
