"""Every write to the work-streams app: pages, the API, the demo data and later apps all come through here.

Each service checks the actor's right to act (workstreams.access), validates, writes in one transaction with its
audit record, and queues side effects for after the commit.
"""

from .actions import (
    ACTION_TRANSITIONS,
    action_change_status,
    action_complete,
    action_create,
    action_note_add,
    action_update,
    next_action_statuses,
)
from .attendance import AttendanceLine, attendance_record
from .calendar import calendar_feed_reset
from .groups import group_member_add, group_member_remove, group_member_update
from .meetings import (
    MEETING_TRANSITIONS,
    agenda_item_add,
    agenda_item_update,
    meeting_change_status,
    meeting_create,
    meeting_update,
    paper_add,
)
from .minutes import minutes_approve, minutes_record
from .reports import highlight_report_create, highlight_report_update
from .workstreams import (
    STATUS_TRANSITIONS,
    board_quorum_update,
    next_statuses,
    workstream_accept,
    workstream_change_status,
    workstream_propose,
    workstream_quorum_update,
    workstream_set_rag,
    workstream_update,
)

__all__ = [
    "ACTION_TRANSITIONS",
    "MEETING_TRANSITIONS",
    "STATUS_TRANSITIONS",
    "AttendanceLine",
    "action_change_status",
    "action_complete",
    "action_create",
    "action_note_add",
    "action_update",
    "agenda_item_add",
    "agenda_item_update",
    "attendance_record",
    "board_quorum_update",
    "calendar_feed_reset",
    "group_member_add",
    "group_member_remove",
    "group_member_update",
    "highlight_report_create",
    "highlight_report_update",
    "meeting_change_status",
    "meeting_create",
    "meeting_update",
    "minutes_approve",
    "minutes_record",
    "next_action_statuses",
    "next_statuses",
    "paper_add",
    "workstream_accept",
    "workstream_change_status",
    "workstream_propose",
    "workstream_quorum_update",
    "workstream_set_rag",
    "workstream_update",
]
