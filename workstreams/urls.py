from django.urls import path

from . import views_actions, views_calendar, views_meetings, views_minutes, views_workstreams

app_name = "workstreams"

urlpatterns = [
    # Work-streams and their groups (views_workstreams.py)
    path("partnerships/<str:code>/workstreams/", views_workstreams.workstream_list, name="workstream_list"),
    path("partnerships/<str:code>/workstreams/propose/", views_workstreams.workstream_create, name="workstream_create"),
    path("workstreams/<int:pk>/", views_workstreams.workstream_detail, name="workstream_detail"),
    path("workstreams/<int:pk>/edit/", views_workstreams.workstream_update, name="workstream_update"),
    path("workstreams/<int:pk>/status/", views_workstreams.workstream_status, name="workstream_status"),
    path("workstreams/<int:pk>/rag/", views_workstreams.workstream_rag, name="workstream_rag"),
    path("workstreams/<int:pk>/group/", views_workstreams.group, name="group"),
    path("workstreams/<int:pk>/group/add/", views_workstreams.group_member_create, name="group_member_create"),
    path("workstreams/<int:pk>/quorum/", views_workstreams.workstream_quorum, name="workstream_quorum"),
    path("group-members/<int:pk>/edit/", views_workstreams.group_member_update, name="group_member_update"),
    path("group-members/<int:pk>/remove/", views_workstreams.group_member_remove, name="group_member_remove"),
    path(
        "workstreams/<int:pk>/highlight-reports/new/",
        views_workstreams.highlight_report_create,
        name="highlight_report_create",
    ),
    path("highlight-reports/<int:pk>/", views_workstreams.highlight_report_detail, name="highlight_report_detail"),
    path("highlight-reports/<int:pk>/edit/", views_workstreams.highlight_report_update, name="highlight_report_update"),
    # Meetings, agenda, papers and attendance (views_meetings.py)
    path("workstreams/<int:pk>/meetings/", views_meetings.meeting_list, name="meeting_list"),
    path("workstreams/<int:pk>/meetings/new/", views_meetings.meeting_create, name="meeting_create"),
    path("partnerships/<str:code>/board/", views_meetings.board_meeting_list, name="board_meeting_list"),
    path(
        "partnerships/<str:code>/board/meetings/new/", views_meetings.board_meeting_create, name="board_meeting_create"
    ),
    path("partnerships/<str:code>/board/quorum/", views_meetings.board_quorum, name="board_quorum"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views_meetings.meeting_update, name="meeting_update"),
    path("meetings/<int:pk>/status/", views_meetings.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/agenda/add/", views_meetings.agenda_item_create, name="agenda_item_create"),
    path("agenda-items/<int:pk>/edit/", views_meetings.agenda_item_update, name="agenda_item_update"),
    path("agenda-items/<int:pk>/papers/add/", views_meetings.paper_create, name="paper_create"),
    path("papers/<int:pk>/", views_meetings.paper_download, name="paper_download"),
    path("meetings/<int:pk>/attendance/", views_meetings.attendance, name="attendance"),
    # Minutes (views_minutes.py)
    path("meetings/<int:pk>/minutes/", views_minutes.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/approve/", views_minutes.minutes_approve, name="minutes_approve"),
    path("meetings/<int:pk>/minutes/versions/<int:number>/", views_minutes.minutes_version, name="minutes_version"),
    # Actions (views_actions.py)
    path("my-actions/", views_actions.my_actions, name="my_actions"),
    path("workstreams/<int:pk>/actions/", views_actions.action_log, name="action_log"),
    path("workstreams/<int:pk>/actions/export.csv", views_actions.action_log_export, name="action_log_export"),
    path("workstreams/<int:pk>/actions/new/", views_actions.action_create, name="action_create"),
    path("partnerships/<str:code>/board/actions/", views_actions.board_action_log, name="board_action_log"),
    path(
        "partnerships/<str:code>/board/actions/export.csv",
        views_actions.board_action_log_export,
        name="board_action_log_export",
    ),
    path("meetings/<int:pk>/actions/new/", views_actions.meeting_action_create, name="meeting_action_create"),
    path("actions/<int:pk>/", views_actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views_actions.action_update, name="action_update"),
    path("actions/<int:pk>/progress/", views_actions.action_progress, name="action_progress"),
    # Calendar feed (views_calendar.py)
    path("calendar/", views_calendar.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
]
