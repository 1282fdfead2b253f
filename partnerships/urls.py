from django.urls import path

from . import views, views_import

app_name = "partnerships"

urlpatterns = [
    # Pages (views.py)
    path("partnerships/", views.mine, name="mine"),
    path("partnerships/<str:code>/", views.overview, name="overview"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
    # The lead's forms (views.py)
    path("partnerships/<str:code>/details/", views.partnership_update, name="partnership_update"),
    path("partnerships/<str:code>/organisations/new/", views.organisation_create, name="organisation_create"),
    path(
        "partnerships/<str:code>/organisations/<int:pk>/change/",
        views.organisation_update,
        name="organisation_update",
    ),
    path("partnerships/<str:code>/members/add/", views.membership_add, name="membership_add"),
    path("memberships/<int:pk>/change/", views.membership_update, name="membership_update"),
    path("partnerships/<str:code>/people/invite/", views.person_invite, name="person_invite"),
    path("partnerships/<str:code>/people/<int:pk>/change/", views.person_update, name="person_update"),
    path("partnerships/<str:code>/people/<int:pk>/remove/", views.person_remove, name="person_remove"),
    path("partnerships/<str:code>/delegations/new/", views.delegation_create, name="delegation_create"),
    path("delegations/<int:pk>/change/", views.delegation_update, name="delegation_update"),
    path("partnerships/<str:code>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/change/", views.agreement_update, name="agreement_update"),
    # Import of NHS reference data (views_import.py)
    path(
        "partnerships/<str:code>/organisations/import/",
        views_import.organisation_import,
        name="organisation_import",
    ),
]
