from django.urls import path

from .views import challenges, decisions, evidence, interests, lifecycle, public, risk_settings, risks, signoffs

app_name = "governance"

urlpatterns = [
    # The decision register of a partnership
    path("partnerships/<str:code>/decisions/", decisions.decision_list, name="decision_list"),
    path("partnerships/<str:code>/decisions/export.csv", decisions.decision_export, name="decision_export"),
    path("partnerships/<str:code>/decisions/new/", decisions.decision_create, name="decision_create"),
    path("partnerships/<str:code>/decision-rule/", decisions.settings_update, name="settings_update"),
    # One decision
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/edit/", decisions.decision_update, name="decision_update"),
    path("decisions/<int:pk>/publication/", decisions.decision_publication, name="decision_publication"),
    path(
        "decisions/<int:pk>/open-for-challenge/",
        lifecycle.decision_open_for_challenge,
        name="decision_open_for_challenge",
    ),
    path("decisions/<int:pk>/open-sign-off/", lifecycle.decision_open_signoff, name="decision_open_signoff"),
    path("decisions/<int:pk>/extend-sign-off/", lifecycle.signoff_extend, name="signoff_extend"),
    path("decisions/<int:pk>/reopen/", lifecycle.decision_reopen, name="decision_reopen"),
    path("decisions/<int:pk>/defer/", lifecycle.decision_defer, name="decision_defer"),
    path("decisions/<int:pk>/withdraw/", lifecycle.decision_withdraw, name="decision_withdraw"),
    path("decisions/<int:pk>/supersede/", lifecycle.decision_supersede, name="decision_supersede"),
    path("decisions/<int:pk>/board-ratification/", lifecycle.decision_ratify_at_board, name="decision_ratify_at_board"),
    # Sign-off, challenge and declarations
    path("decisions/<int:pk>/sign/", signoffs.signoff_create, name="signoff_create"),
    path("decisions/<int:pk>/ratifications/new/", signoffs.ratification_create, name="ratification_create"),
    path("decisions/<int:pk>/challenges/new/", challenges.challenge_create, name="challenge_create"),
    path("challenges/<int:pk>/respond/", challenges.challenge_respond, name="challenge_respond"),
    path("decisions/<int:pk>/declare/", interests.decision_declare, name="decision_declare"),
    path(
        "decisions/<int:pk>/declare/withdraw-conflict/",
        interests.declaration_withdrawal_request,
        name="declaration_withdrawal_request",
    ),
    path(
        "declaration-withdrawals/<int:pk>/confirm/",
        interests.declaration_withdrawal_confirm,
        name="declaration_withdrawal_confirm",
    ),
    path(
        "declaration-withdrawals/<int:pk>/decline/",
        interests.declaration_withdrawal_decline,
        name="declaration_withdrawal_decline",
    ),
    path("my-sign-offs/", signoffs.my_signoffs_page, name="my_signoffs"),
    # Engagement evidence, linked from an activity's page
    path(
        "engagement/activities/<int:pk>/link-to-decision/",
        evidence.activity_link_decision,
        name="activity_link_decision",
    ),
    # Registers of interests
    path("partnerships/<str:code>/interests/", interests.interest_list, name="interest_list"),
    path("partnerships/<str:code>/interests/new/", interests.interest_create, name="interest_create"),
    path("interests/<int:pk>/edit/", interests.interest_update, name="interest_update"),
    # The risk register of a partnership, its heat map, the board's escalated risks, appetite and settings
    path("partnerships/<str:code>/risks/", risks.risk_list, name="risk_list"),
    path("partnerships/<str:code>/risks/export.csv", risks.risk_export, name="risk_export"),
    path("partnerships/<str:code>/risks/heat-map/", risks.risk_heat_map, name="risk_heat_map"),
    path("partnerships/<str:code>/risks/escalated/", risks.risk_escalated, name="risk_escalated"),
    path("partnerships/<str:code>/risks/new/", risks.risk_create, name="risk_create"),
    path("partnerships/<str:code>/risk-appetite/", risk_settings.risk_appetite, name="risk_appetite"),
    path(
        "partnerships/<str:code>/risk-appetite/<int:domain_pk>/",
        risk_settings.risk_appetite_update,
        name="risk_appetite_update",
    ),
    path("partnerships/<str:code>/risk-domains/new/", risk_settings.risk_domain_create, name="risk_domain_create"),
    path("partnerships/<str:code>/risk-settings/", risk_settings.risk_settings_update, name="risk_settings_update"),
    # One risk, and the decisions a rising risk puts in question
    path("risks/<int:pk>/", risks.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit/", risks.risk_update, name="risk_update"),
    path("risks/<int:pk>/review/", risks.risk_review, name="risk_review"),
    path("risks/<int:pk>/close/", risks.risk_close, name="risk_close"),
    path("decisions/<int:pk>/dismiss-review/", risks.decision_review_dismiss, name="decision_review_dismiss"),
    # The public page: no sign-in. The engagement app's "you said, we did" joins it.
    path("public/<str:code>/", public.public_partnership, name="public_partnership"),
    path("public/<str:code>/decisions.atom", public.published_decisions_feed, name="public_feed"),
    path("public/<str:code>/decisions/<str:reference>/", public.public_decision, name="public_decision"),
]
