"""Work-streams and their leadership groups, meetings (of a work-stream or of the partnership board), actions,
highlight reports and calendar feeds."""

from .actions import Action, ActionNote, ActionQuerySet, ActionStatus
from .calendar import CalendarFeed
from .meetings import (
    AgendaItem,
    AgendaPurpose,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingQuerySet,
    MeetingStatus,
    MinutesVersion,
    Paper,
)
from .reports import HighlightReport
from .workstreams import (
    GroupMember,
    GroupRole,
    PartnershipBoard,
    QuorumRule,
    Rag,
    WorkStream,
    WorkStreamRole,
    WorkStreamStatus,
    WorkStreamStatusChange,
)

__all__ = [
    "Action",
    "ActionNote",
    "ActionQuerySet",
    "ActionStatus",
    "AgendaItem",
    "AgendaPurpose",
    "Attendance",
    "AttendanceStatus",
    "CalendarFeed",
    "GroupMember",
    "GroupRole",
    "HighlightReport",
    "Meeting",
    "MeetingQuerySet",
    "MeetingStatus",
    "MinutesVersion",
    "Paper",
    "PartnershipBoard",
    "QuorumRule",
    "Rag",
    "WorkStream",
    "WorkStreamRole",
    "WorkStreamStatus",
    "WorkStreamStatusChange",
]
