"""Governance health, for the dashboard: is the board testing what it approves, hearing the people affected, and
turning up? Each figure is one aggregate query, whatever the number of decisions, meetings or people.

Persistently absent: a person recorded at `ABSENCE_MIN_MEETINGS` or more meetings in the last twelve months who
was present at fewer than half of them. Apologies count as not attending, as absence does. A deputy standing in
for someone is not counted for either of them, and deputies' and observers' own seats are left out: only the
members a meeting expects (a group's lead and members, the board's members) are counted.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet

from core.dates import start_of_day
from governance.models import Decision, Visibility
from governance.selectors.evidence import with_engagement_flag
from partnerships.models import Partnership
from workstreams.models import AgendaItem, AgendaPurpose, Attendance, AttendanceStatus, GroupMember, GroupRole
from workstreams.models.meetings import MeetingStatus

YEAR_DAYS = 365
ABSENCE_MIN_MEETINGS = 3
ABSENCE_RULE = (
    f"Persistently absent: expected at {ABSENCE_MIN_MEETINGS} or more meetings in the last 12 months and present at "
    "fewer than half of them (apologies count as not attending). Deputies and observers are not counted."
)


def _percent(part: int, whole: int) -> int | None:
    return None if not whole else round(100 * part / whole)


@dataclass
class ApprovedHealth:
    """Of the decisions approved and still standing: how many had no challenge, and how many went to sign-off
    without engagement evidence from a group their work-stream is expected to hear."""

    approved: int
    without_challenge: int
    without_evidence: int
    without_evidence_confidential: int  # left out for people who may not read confidential decisions

    @property
    def without_challenge_percent(self) -> int | None:
        return _percent(self.without_challenge, self.approved)

    @property
    def without_evidence_percent(self) -> int | None:
        return _percent(self.without_evidence, self.approved)


def approved_health(partnership: Partnership) -> ApprovedHealth:
    """One query: the database counts the approved decisions by the register's own flags."""
    approved = with_engagement_flag(Decision.objects.filter(partnership=partnership).approved()).with_challenge()
    counts = approved.aggregate(
        approved=Count("pk"),
        without_challenge=Count("pk", filter=Q(has_challenge=False)),
        without_evidence=Count("pk", filter=Q(lacks_engagement_evidence=True)),
        without_evidence_confidential=Count(
            "pk", filter=Q(lacks_engagement_evidence=True, visibility=Visibility.CONFIDENTIAL)
        ),
    )
    return ApprovedHealth(**counts)


@dataclass
class AttendanceFigure:
    """Attendance of an organisation's people, or of one person, at the meetings they were expected at."""

    id: int | None  # the organisation's or the person's; None for "no organisation recorded"
    name: str
    organisation: str
    expected: int
    present: int
    apologies: int
    absent: int

    @property
    def present_percent(self) -> int | None:
        return _percent(self.present, self.expected)


def expected_attendance(partnership: Partnership, today: date) -> QuerySet[Attendance]:
    """Attendance recorded in the last twelve months for the members each meeting expected: no one standing in
    as a deputy, and no deputy's or observer's own seat."""
    side_seat = GroupMember.objects.filter(
        workstream_id=OuterRef("meeting__workstream_id"),
        user_id=OuterRef("user_id"),
        role__in=[GroupRole.DEPUTY, GroupRole.OBSERVER],
    )
    return (
        Attendance.objects.filter(
            meeting__partnership=partnership,
            meeting__starts_at__gte=start_of_day(today - timedelta(days=YEAR_DAYS)),
            meeting__starts_at__lt=start_of_day(today + timedelta(days=1)),
            deputy_for__isnull=True,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .filter(~Exists(side_seat))
    )


def _attendance_counts() -> dict:
    return {
        "expected": Count("pk"),
        "present": Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        "apologies": Count("pk", filter=Q(status=AttendanceStatus.APOLOGIES)),
        "absent": Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
    }


def attendance_by_organisation(partnership: Partnership, today: date) -> list[AttendanceFigure]:
    """Each organisation's attendance over the last twelve months, the lowest share present first. One query."""
    rows = (
        expected_attendance(partnership, today)
        .values("organisation_id", "organisation__name")
        .annotate(**_attendance_counts())
        .order_by()
    )
    figures = [
        AttendanceFigure(
            id=row["organisation_id"],
            name=row["organisation__name"] or "No organisation recorded",
            organisation=row["organisation__name"] or "",
            **{key: row[key] for key in ("expected", "present", "apologies", "absent")},
        )
        for row in rows
    ]
    return sorted(figures, key=lambda figure: (figure.present / figure.expected, figure.name))


def attendance_by_person(attendance: QuerySet[Attendance]) -> QuerySet:
    """Each person's attendance (of `expected_attendance`, perhaps narrowed to one organisation) as grouped rows,
    for the dashboard and the list behind it. One query."""
    return (
        attendance.values("user_id", "user__first_name", "user__last_name", "user__username")
        .annotate(**_attendance_counts())
        .annotate(organisation_name=Max("organisation__name"), twice_present=F("present") * 2)
        .order_by("user__last_name", "user__first_name", "user_id")
    )


def persistently_absent(people: QuerySet) -> QuerySet:
    """Of `attendance_by_person` rows: those present at under half of three or more meetings, the lowest first."""
    return people.filter(expected__gte=ABSENCE_MIN_MEETINGS, twice_present__lt=F("expected")).order_by(
        "present", "-expected", "user__last_name", "user__first_name", "user_id"
    )


def person_figure(row: dict) -> AttendanceFigure:
    name = f"{row['user__first_name']} {row['user__last_name']}".strip() or row["user__username"]
    return AttendanceFigure(
        id=row["user_id"],
        name=name,
        organisation=row["organisation_name"] or "",
        **{key: row[key] for key in ("expected", "present", "apologies", "absent")},
    )


@dataclass
class AgendaFigure:
    purpose: str
    label: str
    board: int  # items on board agendas
    groups: int  # items on work-stream groups' agendas

    @property
    def total(self) -> int:
        return self.board + self.groups


@dataclass
class AgendaBalance:
    """Agenda items of the meetings held in the last twelve months, by purpose. The agenda records no time per
    item, so the balance between deciding and noting is shown as numbers of items."""

    figures: list[AgendaFigure] = field(default_factory=list)

    def figure(self, purpose: str) -> AgendaFigure:
        return next(figure for figure in self.figures if figure.purpose == purpose)

    @property
    def board_total(self) -> int:
        return sum(figure.board for figure in self.figures)

    @property
    def board_decision_percent(self) -> int | None:
        return _percent(self.figure(AgendaPurpose.DECISION).board, self.board_total)

    @property
    def board_note_percent(self) -> int | None:
        return _percent(self.figure(AgendaPurpose.NOTE).board, self.board_total)


def agenda_items_in_year(partnership: Partnership, today: date) -> QuerySet[AgendaItem]:
    """Items on the agendas of the partnership's meetings of the last twelve months that were not cancelled."""
    return AgendaItem.objects.filter(
        meeting__partnership=partnership,
        meeting__starts_at__gte=start_of_day(today - timedelta(days=YEAR_DAYS)),
        meeting__starts_at__lt=start_of_day(today + timedelta(days=1)),
    ).exclude(meeting__status=MeetingStatus.CANCELLED)


def agenda_balance(partnership: Partnership, today: date) -> AgendaBalance:
    """One query: items per purpose, at the board and in the work-streams' groups."""
    rows = {
        row["purpose"]: row
        for row in agenda_items_in_year(partnership, today)
        .values("purpose")
        .annotate(
            board=Count("pk", filter=Q(meeting__workstream__isnull=True)),
            groups=Count("pk", filter=Q(meeting__workstream__isnull=False)),
        )
        .order_by()
    }
    return AgendaBalance(
        [
            AgendaFigure(purpose, label, rows.get(purpose, {}).get("board", 0), rows.get(purpose, {}).get("groups", 0))
            for purpose, label in AgendaPurpose.choices
        ]
    )
