"""The partnership dashboard: the whole partnership at a glance, for its lead in the morning and its board.

`partnership_dashboard(partnership)` returns plain figures (dataclasses) that the page, the API and the board digest
read alike. It takes a fixed number of queries — about two dozen — however many work-streams, actions, meetings,
decisions, risks and activities the partnership has: every count is worked out by the database (aggregates and
correlated subqueries), and lists are either bounded by their nature (decisions in sign-off, the last 30 days) or
cut short. It reuses the registers' own definitions (`Decision.objects.awaiting_signoff()`, `Risk...scored()`,
the coverage matrix, ...), so a figure and the list it links to always agree.

Confidential decisions are in the figures with their titles; `for_viewer` hides what a person may not read.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from engagement.selectors.coverage import coverage_matrix
from engagement.selectors.feedback import feedback_awaiting_response
from governance.access import sees_confidential
from governance.models import Risk, RiskBand
from governance.selectors.risks import HeatMap, escalated_risks, heat_map
from partnerships.models import Partnership
from workstreams.models import Action, HighlightReport, Rag, WorkStream, WorkStreamStatus

from .dashboard_decisions import DecisionFigures, decision_figures, hide_confidential
from .dashboard_health import (
    ABSENCE_RULE,
    AgendaBalance,
    ApprovedHealth,
    AttendanceFigure,
    agenda_balance,
    approved_health,
    attendance_by_organisation,
    attendance_by_person,
    expected_attendance,
    persistently_absent,
    person_figure,
)
from .dashboard_trends import Trends, trends

TOP = 5  # how many of the longest lists the dashboard names; the figure links to the rest


# --- Work-streams ----------------------------------------------------------------------------------------------------


@dataclass
class ReportFigure:
    id: int
    period_end: date
    rag: str
    rag_label: str


@dataclass
class WorkStreamFigure:
    id: int
    name: str
    status: str
    status_label: str
    rag: str  # "" when not rated
    rag_label: str
    rag_reason: str
    rag_set_on: date | None
    lead: str
    open_actions: int = 0
    overdue_actions: int = 0
    latest_report: ReportFigure | None = None


def workstream_figures(partnership: Partnership) -> list[WorkStreamFigure]:
    """Every work-stream that is not closed, with its latest highlight report. One query."""
    latest = HighlightReport.objects.filter(workstream_id=OuterRef("pk")).order_by("-period_end", "-pk")
    workstreams = (
        WorkStream.objects.filter(partnership=partnership)
        .exclude(status=WorkStreamStatus.CLOSED)
        .select_related("lead")
        .annotate(
            report_id=Subquery(latest.values("pk")[:1]),
            report_end=Subquery(latest.values("period_end")[:1]),
            report_rag=Subquery(latest.values("rag")[:1]),
        )
        .order_by("name")
    )
    return [
        WorkStreamFigure(
            id=workstream.pk,
            name=workstream.name,
            status=workstream.status,
            status_label=workstream.get_status_display(),
            rag=workstream.rag,
            rag_label=workstream.get_rag_display() if workstream.rag else "Not rated",
            rag_reason=workstream.rag_reason,
            rag_set_on=workstream.rag_set_on,
            lead=workstream.lead.display_name if workstream.lead else "",
            latest_report=ReportFigure(
                workstream.report_id, workstream.report_end, workstream.report_rag, Rag(workstream.report_rag).label
            )
            if workstream.report_id
            else None,
        )
        for workstream in workstreams
    ]


# --- Actions ---------------------------------------------------------------------------------------------------------


@dataclass
class ActionGroupFigure:
    """Open and overdue actions of one work-stream (None: the board's) or one owner's organisation (None: none)."""

    id: int | None
    name: str
    open: int
    overdue: int


@dataclass
class ActionFigures:
    by_workstream: list[ActionGroupFigure]
    by_organisation: list[ActionGroupFigure]

    @property
    def open(self) -> int:
        return sum(group.open for group in self.by_workstream)

    @property
    def overdue(self) -> int:
        return sum(group.overdue for group in self.by_workstream)


def _open_actions_by(partnership: Partnership, today: date, key: str, unnamed: str) -> list[ActionGroupFigure]:
    rows = (
        Action.objects.filter(partnership=partnership)
        .open()
        .values(f"{key}_id", f"{key}__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    )
    groups = [
        ActionGroupFigure(row[f"{key}_id"], row[f"{key}__name"] or unnamed, row["open"], row["overdue"]) for row in rows
    ]
    return sorted(groups, key=lambda group: (-group.overdue, -group.open, group.name))


def action_figures(partnership: Partnership, today: date) -> ActionFigures:
    """Open and overdue actions by work-stream and by the owner's organisation. Two queries."""
    return ActionFigures(
        by_workstream=_open_actions_by(partnership, today, "workstream", "Partnership board"),
        by_organisation=_open_actions_by(partnership, today, "owner_organisation", "No organisation recorded"),
    )


# --- Risks -----------------------------------------------------------------------------------------------------------


@dataclass
class RiskItem:
    id: int
    reference: str
    title: str
    score: int
    band: str
    band_label: str


@dataclass
class RiskFigures:
    heat_map: HeatMap
    above_appetite: int
    escalated: int
    reviews_overdue: int
    top_escalated: list[RiskItem]

    @property
    def open(self) -> int:
        return self.heat_map.total

    @property
    def escalation_score(self) -> int:
        return self.heat_map.settings.escalation_score


def risk_figures(partnership: Partnership, today: date) -> RiskFigures:
    """The heat map (two queries), the register's flags counted in one, and the highest escalated risks (one)."""
    # The register's own flags, grouped: at most eight rows, each counting the open risks with one mix of flags.
    mixes = (
        Risk.objects.filter(partnership=partnership)
        .open()
        .scored(today)
        .values("above_appetite", "is_escalated", "review_overdue")
        .annotate(risks=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(("above_appetite", "escalated", "reviews_overdue"), 0)
    for mix in mixes:
        counts["above_appetite"] += mix["risks"] if mix["above_appetite"] else 0
        counts["escalated"] += mix["risks"] if mix["is_escalated"] else 0
        counts["reviews_overdue"] += mix["risks"] if mix["review_overdue"] else 0
    top = [
        RiskItem(risk.pk, risk.reference, risk.title, risk.current_score, risk.band, RiskBand(risk.band).label)
        for risk in escalated_risks(partnership, today)[:TOP]
    ]
    return RiskFigures(heat_map=heat_map(partnership), top_escalated=top, **counts)


# --- Engagement ------------------------------------------------------------------------------------------------------


@dataclass
class GapFigure:
    workstream_id: int
    workstream: str
    group_id: int
    group: str
    description: str  # in words: "Red: last engaged 152 days ago (expected every 90)"


@dataclass
class FeedbackItem:
    id: int
    theme: str
    activity_id: int
    activity: str
    heard_on: date
    days_waiting: int


@dataclass
class EngagementFigures:
    gaps: list[GapFigure]
    due_soon: int
    awaiting_response: int
    longest_awaiting: list[FeedbackItem]


def engagement_figures(partnership: Partnership, today: date) -> EngagementFigures:
    """The coverage matrix's gaps (five queries), and the feedback awaiting a response (two)."""
    matrix = coverage_matrix(partnership, as_of=today)
    awaiting = feedback_awaiting_response(partnership).prefetch_related(None)
    return EngagementFigures(
        gaps=[
            GapFigure(cell.workstream.pk, cell.workstream.name, cell.group.pk, cell.group.name, cell.description)
            for cell in matrix.gaps
        ],
        due_soon=len(matrix.due_soon),
        awaiting_response=awaiting.count(),
        longest_awaiting=[
            FeedbackItem(
                item.pk,
                item.theme,
                item.activity_id,
                item.activity.title,
                item.activity.held_on,
                (today - item.activity.held_on).days,
            )
            for item in awaiting[:TOP]
        ],
    )


# --- Governance health -----------------------------------------------------------------------------------------------


@dataclass
class HealthFigures:
    approved: ApprovedHealth
    attendance: list[AttendanceFigure]
    persistently_absent: list[AttendanceFigure]
    agenda: AgendaBalance
    absence_rule: str = ABSENCE_RULE


def health_figures(partnership: Partnership, today: date) -> HealthFigures:
    """Four queries: approved decisions' flags, attendance by organisation and by person, agenda items."""
    people = attendance_by_person(expected_attendance(partnership, today))
    return HealthFigures(
        approved=approved_health(partnership),
        attendance=attendance_by_organisation(partnership, today),
        persistently_absent=[person_figure(row) for row in persistently_absent(people)],
        agenda=agenda_balance(partnership, today),
    )


# --- The dashboard ---------------------------------------------------------------------------------------------------


@dataclass
class PartnershipDashboard:
    partnership: Partnership
    today: date
    workstreams: list[WorkStreamFigure]
    actions: ActionFigures
    decisions: DecisionFigures
    risks: RiskFigures
    engagement: EngagementFigures
    health: HealthFigures
    trends: Trends

    def __post_init__(self):
        by_id = {group.id: group for group in self.actions.by_workstream}
        for workstream in self.workstreams:
            group = by_id.get(workstream.id)
            workstream.open_actions = group.open if group else 0
            workstream.overdue_actions = group.overdue if group else 0


def partnership_dashboard(partnership: Partnership, *, today: date | None = None) -> PartnershipDashboard:
    """Every figure of the partnership's dashboard on `today` (today by default), in a fixed number of queries."""
    today = today or timezone.localdate()
    risks = risk_figures(partnership, today)
    return PartnershipDashboard(
        partnership=partnership,
        today=today,
        workstreams=workstream_figures(partnership),
        actions=action_figures(partnership, today),
        decisions=decision_figures(partnership, today),
        risks=risks,
        engagement=engagement_figures(partnership, today),
        health=health_figures(partnership, today),
        trends=trends(partnership, today, risks.heat_map.settings),
    )


def for_viewer(dashboard: PartnershipDashboard, user) -> PartnershipDashboard:
    """Hide from someone who may not read confidential decisions in full (members, viewers) what the register hides
    from them: the titles and sign-off standing of confidential decisions they did not propose, and the confidential
    decisions among those lacking engagement evidence (the register's filter leaves those out for them)."""
    if sees_confidential(user, dashboard.partnership):
        return dashboard
    hide_confidential(dashboard.decisions, user)
    approved = dashboard.health.approved
    dashboard.health.approved = replace(
        approved,
        without_evidence=approved.without_evidence - approved.without_evidence_confidential,
        without_evidence_confidential=0,
    )
    return dashboard
