from django.urls import path

from .views import actions, calendar, meetings, minutes, workstreams

app_name = "workstreams"

urlpatterns = [
    # Work-streams and their groups (workstreams.py)
    path("partnerships/<str:code>/workstreams/", workstreams.workstream_list, name="workstream_list"),
    path("partnerships/<str:code>/workstreams/propose/", workstreams.workstream_create, name="workstream_create"),
    path("workstreams/<int:pk>/", workstreams.workstream_detail, name="workstream_detail"),
    path("workstreams/<int:pk>/edit/", workstreams.workstream_update, name="workstream_update"),
    path("workstreams/<int:pk>/status/", workstreams.workstream_status, name="workstream_status"),
    path("workstreams/<int:pk>/rag/", workstreams.workstream_rag, name="workstream_rag"),
    path("workstreams/<int:pk>/group/", workstreams.group, name="group"),
    path("workstreams/<int:pk>/group/add/", workstreams.group_member_create, name="group_member_create"),
    path("workstreams/<int:pk>/quorum/", workstreams.workstream_quorum, name="workstream_quorum"),
    path("group-members/<int:pk>/edit/", workstreams.group_member_update, name="group_member_update"),
    path("group-members/<int:pk>/remove/", workstreams.group_member_remove, name="group_member_remove"),
    path(
        "workstreams/<int:pk>/highlight-reports/new/",
        workstreams.highlight_report_create,
        name="highlight_report_create",
    ),
    path("highlight-reports/<int:pk>/", workstreams.highlight_report_detail, name="highlight_report_detail"),
    path("highlight-reports/<int:pk>/edit/", workstreams.highlight_report_update, name="highlight_report_update"),
    # Meetings, agenda, papers and attendance (meetings.py)
    path("workstreams/<int:pk>/meetings/", meetings.meeting_list, name="meeting_list"),
    path("workstreams/<int:pk>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("partnerships/<str:code>/board/", meetings.board_meeting_list, name="board_meeting_list"),
    path("partnerships/<str:code>/board/meetings/new/", meetings.board_meeting_create, name="board_meeting_create"),
    path("partnerships/<str:code>/board/quorum/", meetings.board_quorum, name="board_quorum"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_update, name="meeting_update"),
    path("meetings/<int:pk>/status/", meetings.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/agenda/add/", meetings.agenda_item_create, name="agenda_item_create"),
    path("agenda-items/<int:pk>/edit/", meetings.agenda_item_update, name="agenda_item_update"),
    path("agenda-items/<int:pk>/papers/add/", meetings.paper_create, name="paper_create"),
    path("papers/<int:pk>/", meetings.paper_download, name="paper_download"),
    path("meetings/<int:pk>/attendance/", meetings.attendance, name="attendance"),
    # Minutes (minutes.py)
    path("meetings/<int:pk>/minutes/", minutes.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/approve/", minutes.minutes_approve, name="minutes_approve"),
    path("meetings/<int:pk>/minutes/versions/<int:number>/", minutes.minutes_version, name="minutes_version"),
    # Actions (actions.py)
    path("my-actions/", actions.my_actions, name="my_actions"),
    path("workstreams/<int:pk>/actions/", actions.action_log, name="action_log"),
    path("workstreams/<int:pk>/actions/export.csv", actions.action_log_export, name="action_log_export"),
    path("workstreams/<int:pk>/actions/new/", actions.action_create, name="action_create"),
    path("partnerships/<str:code>/board/actions/", actions.board_action_log, name="board_action_log"),
    path(
        "partnerships/<str:code>/board/actions/export.csv",
        actions.board_action_log_export,
        name="board_action_log_export",
    ),
    path("meetings/<int:pk>/actions/new/", actions.meeting_action_create, name="meeting_action_create"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", actions.action_update, name="action_update"),
    path("actions/<int:pk>/progress/", actions.action_progress, name="action_progress"),
    # Calendar feed (calendar.py)
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
