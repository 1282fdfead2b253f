from django.urls import path

from . import views, views_coverage, views_feedback

app_name = "engagement"

urlpatterns = [
    # The engagement log and activities (views.py)
    path("partnerships/<str:code>/engagement/", views.activity_list, name="activity_list"),
    path("partnerships/<str:code>/engagement/export.csv", views.activity_export, name="activity_export"),
    path("partnerships/<str:code>/engagement/new/", views.activity_create, name="activity_create"),
    path("engagement/activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("engagement/activities/<int:pk>/change/", views.activity_edit, name="activity_edit"),
    path("engagement/activities/<int:pk>/documents/", views.attachment_add, name="attachment_add"),
    path("engagement/documents/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("engagement/documents/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    # "You said, we did" (views_feedback.py)
    path("engagement/activities/<int:pk>/feedback/new/", views_feedback.feedback_create, name="feedback_create"),
    path("engagement/feedback/<int:pk>/respond/", views_feedback.feedback_respond, name="feedback_respond"),
    path("partnerships/<str:code>/you-said-we-did/", views_feedback.feedback_list, name="feedback_list"),
    path("partnerships/<str:code>/you-said-we-did/export.csv", views_feedback.feedback_export, name="feedback_export"),
    # Coverage, expectations and stakeholder groups (views_coverage.py)
    path("partnerships/<str:code>/engagement/coverage/", views_coverage.coverage, name="coverage"),
    path("partnerships/<str:code>/engagement/expectations/", views_coverage.expectation_list, name="expectation_list"),
    path("engagement/expectations/<int:pk>/remove/", views_coverage.expectation_remove, name="expectation_remove"),
    path("partnerships/<str:code>/engagement/groups/", views_coverage.group_list, name="group_list"),
]
