from django.urls import path

from .views import administration, agreements, history, imports, organisations, partnerships, people

app_name = "partnerships"

urlpatterns = [
    # Pages
    path("partnerships/", partnerships.mine, name="mine"),
    path("partnerships/<str:code>/", partnerships.overview, name="overview"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/document/", agreements.agreement_document, name="agreement_document"),
    # The audit trail: a partnership's history for its lead, an organisation's for its administrators
    path("partnerships/<str:code>/history/", history.partnership_history, name="history"),
    path("partnerships/<str:code>/history.csv", history.partnership_history_export, name="history_export"),
    path("organisations/<int:pk>/history/", history.organisation_history, name="organisation_history"),
    # The lead's forms
    path("partnerships/<str:code>/details/", partnerships.partnership_update, name="partnership_update"),
    path("partnerships/<str:code>/organisations/new/", organisations.organisation_create, name="organisation_create"),
    path(
        "partnerships/<str:code>/organisations/<int:pk>/change/",
        organisations.organisation_update,
        name="organisation_update",
    ),
    path(
        "partnerships/<str:code>/organisations/<int:pk>/correct/",
        organisations.correction_propose,
        name="correction_propose",
    ),
    path("partnerships/<str:code>/members/add/", organisations.membership_add, name="membership_add"),
    path("memberships/<int:pk>/change/", organisations.membership_update, name="membership_update"),
    path("partnerships/<str:code>/people/invite/", people.person_invite, name="person_invite"),
    path("partnerships/<str:code>/people/<int:pk>/change/", people.person_update, name="person_update"),
    path("partnerships/<str:code>/people/<int:pk>/remove/", people.person_remove, name="person_remove"),
    path(
        "partnerships/<str:code>/people/<int:pk>/second-factor/reset/",
        people.person_second_factor_reset,
        name="person_second_factor_reset",
    ),
    path("partnerships/<str:code>/delegations/new/", people.delegation_create, name="delegation_create"),
    path("delegations/<int:pk>/change/", people.delegation_update, name="delegation_update"),
    path("partnerships/<str:code>/agreements/new/", agreements.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/change/", agreements.agreement_update, name="agreement_update"),
    # An organisation's administrators
    path("organisations/<int:pk>/change/", administration.organisation_change, name="organisation_change"),
    path(
        "organisations/<int:pk>/administrators/appoint/",
        administration.administrator_appoint,
        name="administrator_appoint",
    ),
    path(
        "organisations/<int:pk>/administrators/<int:user_pk>/remove/",
        administration.administrator_remove,
        name="administrator_remove",
    ),
    path("delegations/<int:pk>/confirm/", administration.delegation_confirm, name="delegation_confirm"),
    path(
        "organisations/<int:pk>/affiliations/<str:code>/<int:user_pk>/confirm/",
        administration.affiliation_confirm,
        name="affiliation_confirm",
    ),
    path(
        "organisations/<int:pk>/affiliations/<str:code>/<int:user_pk>/decline/",
        administration.affiliation_decline,
        name="affiliation_decline",
    ),
    path("corrections/<int:pk>/accept/", administration.correction_accept, name="correction_accept"),
    path("corrections/<int:pk>/decline/", administration.correction_decline, name="correction_decline"),
    # Import of NHS reference data
    path(
        "partnerships/<str:code>/organisations/import/",
        imports.organisation_import,
        name="organisation_import",
    ),
]
