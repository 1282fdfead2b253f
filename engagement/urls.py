from django.urls import path

from .views import activities, coverage, feedback

app_name = "engagement"

urlpatterns = [
    # The engagement log and activities
    path("partnerships/<str:code>/engagement/", activities.activity_list, name="activity_list"),
    path("partnerships/<str:code>/engagement/export.csv", activities.activity_export, name="activity_export"),
    path("partnerships/<str:code>/engagement/new/", activities.activity_create, name="activity_create"),
    path("engagement/activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("engagement/activities/<int:pk>/change/", activities.activity_edit, name="activity_edit"),
    path("engagement/activities/<int:pk>/documents/", activities.attachment_add, name="attachment_add"),
    path("engagement/documents/<int:pk>/", activities.attachment_download, name="attachment_download"),
    path("engagement/documents/<int:pk>/remove/", activities.attachment_remove, name="attachment_remove"),
    # "You said, we did" (feedback.py)
    path("engagement/activities/<int:pk>/feedback/new/", feedback.feedback_create, name="feedback_create"),
    path("engagement/feedback/<int:pk>/respond/", feedback.feedback_respond, name="feedback_respond"),
    path("partnerships/<str:code>/you-said-we-did/", feedback.feedback_list, name="feedback_list"),
    path("partnerships/<str:code>/you-said-we-did/export.csv", feedback.feedback_export, name="feedback_export"),
    # Coverage, expectations and stakeholder groups (coverage.py)
    path("partnerships/<str:code>/engagement/coverage/", coverage.coverage, name="coverage"),
    path("partnerships/<str:code>/engagement/expectations/", coverage.expectation_list, name="expectation_list"),
    path("engagement/expectations/<int:pk>/remove/", coverage.expectation_remove, name="expectation_remove"),
    path("partnerships/<str:code>/engagement/groups/", coverage.group_list, name="group_list"),
]
