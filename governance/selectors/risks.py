"""Reads for the risk register, its heat map, the board's escalated risks and a risk's page, and the figures the
dashboard and the board digest take from the register. Each comes in a fixed number of queries, whatever the
number of risks, reviews or changes of score.

For the dashboard and digests: `heat_map`, `risks_above_appetite`, `escalated_risks`, `reviews_overdue`,
`new_and_escalated_since` and `decisions_review_suggested`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Count, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.audit import history_for
from core.dates import start_of_day
from core.history import present_history
from core.models import AuditEvent
from partnerships.models import Partnership

from ..access import can_see_details
from ..models import (
    Consequence,
    Decision,
    Likelihood,
    ReviewSuggestion,
    Risk,
    RiskAppetite,
    RiskBand,
    RiskDomain,
    RiskReview,
    RiskScoreChange,
    RiskSettings,
)


def with_register_columns(risks: QuerySet[Risk], day: date | None = None) -> QuerySet[Risk]:
    """What every list of risks shows: scores, band, appetite, escalation, review and trend, and who owns it."""
    return risks.for_lists(day)


def register(partnership: Partnership, day: date | None = None) -> QuerySet[Risk]:
    """The partnership's risks with the register's columns, highest current score first: what the register's page
    and export list, narrowed by `governance.api.filters.RiskFilter`."""
    return with_register_columns(Risk.objects.filter(partnership=partnership), day).order_by("-current_score", "number")


# --- For the dashboard and the board digest --------------------------------------------------------------------------


@dataclass
class HeatMapCell:
    likelihood: int
    consequence: int
    score: int
    band: str
    count: int

    @property
    def likelihood_label(self) -> str:
        return Likelihood(self.likelihood).label

    @property
    def consequence_label(self) -> str:
        return Consequence(self.consequence).label

    @property
    def band_label(self) -> str:
        return RiskBand(self.band).label


@dataclass
class HeatMap:
    """The partnership's open risks on the 5×5 matrix: rows from almost certain (5) down to rare (1), columns from
    negligible (1) to catastrophic (5), each cell with its score, band and number of risks."""

    settings: RiskSettings
    rows: list[list[HeatMapCell]]
    band_counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.band_counts.values())

    @property
    def cells(self) -> list[HeatMapCell]:
        return [cell for row in self.rows for cell in row]

    def cell(self, likelihood: int, consequence: int) -> HeatMapCell:
        return self.rows[5 - likelihood][consequence - 1]


def heat_map(partnership: Partnership) -> HeatMap:
    """Counts of open risks in each cell of the 5×5 matrix, by current score. Two queries."""
    settings = RiskSettings.for_partnership(partnership)
    counts = {
        (row["current_likelihood"], row["current_consequence"]): row["count"]
        for row in Risk.objects.open()
        .filter(partnership=partnership)
        .values("current_likelihood", "current_consequence")
        .annotate(count=Count("pk"))
        .order_by()
    }
    rows, band_counts = [], dict.fromkeys(RiskBand.values, 0)
    for likelihood in range(5, 0, -1):
        row = []
        for consequence in range(1, 6):
            score = likelihood * consequence
            cell = HeatMapCell(
                likelihood, consequence, score, settings.band_for(score), counts.get((likelihood, consequence), 0)
            )
            band_counts[cell.band] += cell.count
            row.append(cell)
        rows.append(row)
    return HeatMap(settings=settings, rows=rows, band_counts=band_counts)


def risks_above_appetite(partnership: Partnership, day: date | None = None) -> QuerySet[Risk]:
    """Open risks scoring more than the board's tolerance for their domain, highest first. One query."""
    return with_register_columns(Risk.objects.filter(partnership=partnership).above_appetite(day), day).order_by(
        "-current_score", "number"
    )


def escalated_risks(partnership: Partnership, day: date | None = None) -> QuerySet[Risk]:
    """The board's register: open risks at or above the escalation score, highest first. One query."""
    return with_register_columns(Risk.objects.filter(partnership=partnership).escalated(day), day).order_by(
        "-current_score", "number"
    )


def reviews_overdue(partnership: Partnership, as_of: date | None = None) -> QuerySet[Risk]:
    """Open risks whose next review date is before `as_of` (today by default), longest overdue first. One query."""
    as_of = as_of or timezone.localdate()
    return with_register_columns(Risk.objects.filter(partnership=partnership).review_overdue(as_of), as_of).order_by(
        "next_review_on", "number"
    )


@dataclass
class NewAndEscalated:
    """For a digest period: the risks raised since, and the risks that reached the escalation score since (a new
    risk raised at or above it is in both)."""

    raised: QuerySet[Risk]
    escalated: QuerySet[Risk]


def new_and_escalated_since(partnership: Partnership, since: date | datetime) -> NewAndEscalated:
    """Risks raised, and risks escalated to the board, on or after `since` (a date means from its start). Two
    queries when both are read."""
    if isinstance(since, datetime):
        since_moment, since_day = since, timezone.localdate(since)
    else:
        since_moment, since_day = start_of_day(since), since
    risks = Risk.objects.filter(partnership=partnership)
    return NewAndEscalated(
        raised=with_register_columns(risks.open().filter(created_at__gte=since_moment)).order_by("number"),
        escalated=with_register_columns(risks.escalated_since(since_day)).order_by("-current_score", "number"),
    )


def with_review_suggestion(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """Each decision with the review a linked risk suggests, read from the risk side in the same query:
    `is_review_suggested`, and the first suggestion in force's `review_suggested_reason` and `review_suggested_at`
    ("" and None without one). A suggestion is in force until it is dismissed or the decision leaves the approval it was
    raised against (`ReviewSuggestion.objects.in_force`)."""
    first = ReviewSuggestion.objects.in_force().filter(decision_id=OuterRef("pk")).order_by("suggested_at", "pk")
    return decisions.annotate(
        review_suggested_at=Subquery(first.values("suggested_at")[:1]),
        review_suggested_reason=Coalesce(Subquery(first.values("reason")[:1]), Value(""), output_field=TextField()),
    ).annotate(
        is_review_suggested=Case(
            When(review_suggested_at__isnull=False, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def review_suggestion_for(decision: Decision) -> ReviewSuggestion | None:
    """The review a linked risk suggests for one decision, if one is in force (the first, as it keeps its reason).
    One query."""
    return ReviewSuggestion.objects.in_force().filter(decision=decision).select_related("risk", "linked_by").first()


def decisions_review_suggested(partnership: Partnership) -> QuerySet[Decision]:
    """Approved decisions a linked risk's rise above tolerance has put in question, most recently flagged first,
    each with `review_suggested_reason` and `review_suggested_at`. One query."""
    return (
        with_review_suggestion(Decision.objects.filter(partnership=partnership))
        .filter(is_review_suggested=True)
        .select_related("partnership")
        .order_by("-review_suggested_at", "-pk")
    )


# --- One risk --------------------------------------------------------------------------------------------------------


@dataclass
class RiskPage:
    risk: Risk  # with the register's columns
    settings: RiskSettings
    appetite: RiskAppetite | None
    actions: list
    decisions: list[Decision]
    reviews: list[RiskReview]
    score_changes: list[RiskScoreChange]
    history: list[AuditEvent]


def risk_page(risk: Risk, user) -> RiskPage:
    """Everything a risk's page shows, in a fixed number of queries. Confidential decisions the user may not read
    in full are marked (`shows_details`)."""
    scored = with_register_columns(Risk.objects.filter(pk=risk.pk)).get()
    decisions = list(with_review_suggestion(risk.decisions.select_related("partnership")).order_by("-year", "-number"))
    for decision in decisions:
        decision.shows_details = can_see_details(user, decision)
    return RiskPage(
        risk=scored,
        settings=RiskSettings.for_partnership(risk.partnership),
        appetite=RiskAppetite.objects.filter(partnership_id=risk.partnership_id, domain_id=risk.domain_id).first(),
        actions=list(risk.actions.select_related("workstream", "owner").order_by("due_on", "pk")),
        decisions=decisions,
        reviews=list(risk.reviews.select_related("reviewer")),
        score_changes=list(risk.score_changes.select_related("changed_by", "review")),
        history=present_history(history_of(risk), reader=user, partnership_id=risk.partnership_id),
    )


def history_of(risk: Risk) -> QuerySet[AuditEvent]:
    """The audit events of the risk and its reviews, newest first, in one query."""
    reviews = Q(
        target_type=ContentType.objects.get_for_model(RiskReview),
        target_id__in=RiskReview.objects.filter(risk_id=risk.pk).values("pk"),
    )
    return (history_for(risk) | AuditEvent.objects.filter(reviews)).select_related("actor").order_by("-at", "-id")


def risks_of_decision(decision: Decision) -> list[Risk]:
    """The risks linked to a decision, with their scores, for the decision's page. One query."""
    return list(with_register_columns(decision.risks.all()).order_by("-current_score", "number"))


def appetite_for(partnership: Partnership, domain: RiskDomain) -> RiskAppetite | None:
    """The board's appetite for the partnership's risks in `domain`, if it has set one."""
    return RiskAppetite.objects.filter(partnership=partnership, domain=domain).first()


# --- Appetite --------------------------------------------------------------------------------------------------------


@dataclass
class DomainAppetite:
    domain: RiskDomain
    appetite: RiskAppetite | None
    open_risks: int
    above_appetite: int


def appetite_overview(partnership: Partnership) -> list[DomainAppetite]:
    """Each domain the partnership uses with the board's appetite and how many open risks sit above it. Three
    queries."""
    appetites = {appetite.domain_id: appetite for appetite in RiskAppetite.objects.filter(partnership=partnership)}
    counts = {
        row["domain_id"]: row
        for row in Risk.objects.open()
        .filter(partnership=partnership)
        .scored()
        .values("domain_id")
        .annotate(total=Count("pk"), above=Count("pk", filter=Q(above_appetite=True)))
        .order_by()
    }
    return [
        DomainAppetite(
            domain=domain,
            appetite=appetites.get(domain.pk),
            open_risks=counts.get(domain.pk, {}).get("total", 0),
            above_appetite=counts.get(domain.pk, {}).get("above", 0),
        )
        for domain in RiskDomain.objects.for_partnership(partnership)
    ]
