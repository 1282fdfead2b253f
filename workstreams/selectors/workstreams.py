"""Reads for the pages, exports and API: each a fixed number of queries, however many rows there are."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.utils import timezone

from core.history import Shown, shown_records
from partnerships.models import Membership, Organisation, Partnership
from partnerships.selectors.people import person_prefetch

from ..access import actions_visible_to, seat_grants_nothing
from ..models import (
    Action,
    ActionNote,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    GroupMember,
    Meeting,
    MinutesVersion,
    Paper,
    WorkStream,
)
from ..models.actions import OPEN_STATUSES
from .quorum import ROLE_ORDER, Seat, expected_seats

User = get_user_model()

ACTION_STATES = {
    "open": "Open",
    "overdue": "Overdue",
    "closed": "Closed",
    "all": "All",
}


def filter_actions(actions: QuerySet[Action], state: str, day=None) -> QuerySet[Action]:
    """Open (open or in progress), overdue (open past due), closed (done or cancelled), or all."""
    if state == "open":
        return actions.open()
    if state == "overdue":
        return actions.overdue(day)
    if state == "closed":
        return actions.closed()
    return actions


def action_state_counts(actions: QuerySet[Action], day=None) -> dict[str, int]:
    """How many actions are in each state, in one query."""
    day = day or timezone.localdate()
    is_open = Q(status__in=OPEN_STATUSES)
    counts = actions.order_by().aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(due_on__lt=day)),
        closed=Count("pk", filter=~is_open),
        all=Count("pk"),
    )
    return counts


def action_list(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Actions with what a list shows beside each: owner, organisation, work-stream, meeting. The owner and who raised
    it come in a query each (`person_prefetch`): joined in as well, they took My actions' query to eight tables, with
    five times as long planning it as running it."""
    return (
        actions.select_related("owner_organisation", "workstream", "meeting")
        .prefetch_related(person_prefetch("owner"), person_prefetch("raised_by"))
        .order_by("due_on", "id")
    )


def my_actions(user, which: str) -> QuerySet[Action]:
    """Actions assigned to the person, or raised by them, in partnerships where they still hold a role."""
    visible = actions_visible_to(user)
    return visible.filter(raised_by=user) if which == "raised" else visible.filter(owner=user)


def action_with_notes(action: Action) -> list[ActionNote]:
    return list(action.notes.select_related("author"))


def people_in(partnership: Partnership) -> QuerySet:
    """Everyone holding a role in the partnership, for choosing owners, leads and presenters."""
    return (
        User.objects.filter(partnershiprole__content_object=partnership)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def member_organisations(partnership: Partnership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=Membership.objects.current().filter(partnership=partnership).values("organisation_id")
    ).order_by("name")


def current_group(workstream: WorkStream) -> list[GroupMember]:
    """The group today: lead first, then deputies, members and observers, each by surname. `grants_nothing` marks a
    seat whose holder's partnership role no longer lets them write."""
    members = (
        GroupMember.objects.current()
        .filter(workstream=workstream)
        .select_related("user", "organisation", "deputy_for__user")
        .annotate(grants_nothing=Case(When(seat_grants_nothing(), then=True), default=False))
        .order_by("user__last_name", "user__first_name", "pk")
    )
    return sorted(members, key=lambda member: ROLE_ORDER[member.role])


@dataclass
class AttendanceRow:
    """One line of a meeting's attendance table: an expected person (or a deputy) and what was recorded."""

    user: object
    role_label: str
    organisation: object | None
    record: Attendance | None

    @property
    def status_label(self) -> str:
        return self.record.get_status_display() if self.record else "Not recorded"

    @property
    def deputy_for(self):
        return self.record.deputy_for if self.record else None


def attendance_rows(meeting: Meeting, seats: list[Seat]) -> list[AttendanceRow]:
    """Every expected person with their recorded attendance, then anyone recorded who was not expected."""
    records = {
        record.user_id: record for record in meeting.attendance.select_related("user", "deputy_for", "organisation")
    }
    rows = [
        AttendanceRow(seat.user, seat.role_label, seat.organisation, records.pop(seat.user.pk, None)) for seat in seats
    ]
    rows += [AttendanceRow(record.user, "Deputy", record.organisation, record) for record in records.values()]
    return rows


@dataclass
class MeetingPage:
    agenda: list[AgendaItem]
    seats: list[Seat]
    attendance: list[AttendanceRow]
    actions: list[Action]
    versions: list
    present_count: int


def meeting_page(meeting: Meeting) -> MeetingPage:
    """What the meeting page shows, in a fixed number of queries whatever the size of the group or agenda."""
    agenda = list(
        meeting.agenda_items.select_related("presenter").prefetch_related(
            Prefetch("papers", queryset=Paper.objects.order_by("title", "id"))
        )
    )
    seats = expected_seats(meeting)
    rows = attendance_rows(meeting, seats)
    actions = list(action_list(meeting.actions.all()).select_related("agenda_item"))
    versions = list(meeting.minutes_versions.select_related("approved_by"))
    present = sum(1 for row in rows if row.record and row.record.status == AttendanceStatus.PRESENT)
    return MeetingPage(agenda, seats, rows, actions, versions, present)


@dataclass
class WorkStreamPage:
    group: list[GroupMember]
    upcoming: list[Meeting]
    recent: list[Meeting]
    action_counts: dict[str, int]
    reports: list
    status_changes: list


def workstream_page(workstream: WorkStream, reader) -> WorkStreamPage:
    now = timezone.now()
    meetings = workstream.meetings.all()
    return WorkStreamPage(
        group=current_group(workstream),
        upcoming=list(meetings.upcoming(now).order_by("starts_at")[:3]),
        recent=list(meetings.past(now).order_by("-starts_at")[:5]),
        action_counts=action_state_counts(workstream.actions.all()),
        reports=list(workstream.highlight_reports.select_related("author")[:3]),
        status_changes=status_history(workstream, reader),
    )


def status_history(workstream: WorkStream, reader) -> list:
    """The work-stream's status changes, newest first, each made on a board decision given `decision_shown`: the
    decision's reference and title with its link, or its reference alone for a reader who may not read it (two
    queries more, for every such change at once)."""
    changes = list(workstream.status_changes.select_related("changed_by"))
    ids = {change.decision_id for change in changes if change.decision_id}
    # The decision is governance's, above this app: a plain id, named through core as the audit history is.
    shown = (
        shown_records("governance.Decision", ids, reader=reader, partnership_id=workstream.partnership_id)
        if ids
        else {}
    )
    for change in changes:
        change.decision_shown = shown.get(change.decision_id, Shown("a board decision since deleted"))
    return changes


def workstream_list(partnership: Partnership) -> QuerySet[WorkStream]:
    """The partnership's work-streams with their lead and counts of open and overdue actions, in one query."""
    today = timezone.localdate()
    is_open = Q(actions__status__in=OPEN_STATUSES)
    return (
        partnership.workstreams.select_related("lead")
        .annotate(
            open_actions=Count("actions", filter=is_open),
            overdue_actions=Count("actions", filter=is_open & Q(actions__due_on__lt=today)),
        )
        .order_by("name")
    )


def with_notes(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Actions with their progress notes and each note's author, in one more query however many actions."""
    return actions.prefetch_related(Prefetch("notes", queryset=ActionNote.objects.select_related("author")))


def with_papers(items: QuerySet[AgendaItem], *, in_order: bool = False) -> QuerySet[AgendaItem]:
    """Agenda items with their papers and who uploaded each (by title, with `in_order`), in one more query."""
    papers = Paper.objects.select_related("uploaded_by")
    return items.prefetch_related(Prefetch("papers", queryset=papers.order_by("title", "pk") if in_order else papers))


def with_agenda_attendance_and_minutes(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings with what a meeting's record holds: its agenda (with papers), attendance and minutes versions, in a
    fixed number of queries however many meetings."""
    return meetings.prefetch_related(
        Prefetch("agenda_items", queryset=with_papers(AgendaItem.objects.select_related("presenter"), in_order=True)),
        Prefetch("attendance", queryset=Attendance.objects.select_related("user", "deputy_for", "organisation")),
        Prefetch("minutes_versions", queryset=MinutesVersion.objects.select_related("approved_by")),
    )
