from django.urls import path

from .views import dashboard, digests, exports, organisation_business

app_name = "reporting"

urlpatterns = [
    # The partnership dashboard, and the lists behind those of its figures that no register offers
    path("partnerships/<str:code>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("partnerships/<str:code>/dashboard/actions/", dashboard.dashboard_actions, name="dashboard_actions"),
    path("partnerships/<str:code>/dashboard/attendance/", dashboard.dashboard_attendance, name="dashboard_attendance"),
    path("partnerships/<str:code>/dashboard/agenda/", dashboard.dashboard_agenda, name="dashboard_agenda"),
    # Board digests: a partnership's history and schedule, one digest and its PDF
    path("partnerships/<str:code>/digests/", digests.digest_list, name="digest_list"),
    path("partnerships/<str:code>/digests/build/", digests.digest_build_now, name="digest_build_now"),
    path("partnerships/<str:code>/digest-schedule/", digests.digest_schedule_update, name="digest_schedule_update"),
    path("digests/<int:pk>/", digests.digest_detail, name="digest_detail"),
    path("digests/<int:pk>/pdf/", digests.digest_pdf, name="digest_pdf"),
    # A lead's "Download everything": the partnership's complete record as one archive, built by the worker
    path("partnerships/<str:code>/download-everything/", exports.export_list, name="export_list"),
    path("partnerships/<str:code>/download-everything/prepare/", exports.export_request, name="export_request"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    # What one organisation must sign, ratify or act on, across every partnership that lists it
    path(
        "organisations/<int:pk>/business/",
        organisation_business.organisation_business,
        name="organisation_business",
    ),
]
