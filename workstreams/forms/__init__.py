"""Forms for the work-stream pages. They parse and check input; the services decide and write."""

from .actions import ActionForm, ActionProgressForm
from .meetings import AgendaItemForm, AttendanceForm, MeetingForm, MeetingStatusForm, MinutesForm, PaperForm
from .workstreams import GroupMemberForm, HighlightReportForm, QuorumForm, RagForm, StatusForm, WorkStreamForm

__all__ = [
    "ActionForm",
    "ActionProgressForm",
    "AgendaItemForm",
    "AttendanceForm",
    "GroupMemberForm",
    "HighlightReportForm",
    "MeetingForm",
    "MeetingStatusForm",
    "MinutesForm",
    "PaperForm",
    "QuorumForm",
    "RagForm",
    "StatusForm",
    "WorkStreamForm",
]
