"""The dashboard's twelve-month trends: actions due and completed, decisions proposed and made, and open risks by
band. Each trend is one query over the last twelve months only, so its cost does not grow with the years of data
behind it.

A month is a calendar month; the twelve end with the current one. Risks are counted as they stood at the end of
each month (today, for the current month), by the score in force that day and today's bands.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When

from core.dates import start_of_day
from governance.models import Decision, Risk, RiskBand, RiskScoreChange, RiskSettings, add_months
from partnerships.models import Partnership
from workstreams.models import Action, ActionStatus

MONTHS = 12


@dataclass(frozen=True)
class Month:
    first: date
    last: date  # the month's last day

    @property
    def label(self) -> str:
        return f"{self.first:%b %Y}"

    @property
    def name(self) -> str:
        return f"{self.first:%B %Y}"


def last_twelve_months(today: date) -> list[Month]:
    """The twelve calendar months ending with the one `today` is in, oldest first."""
    this_month = today.replace(day=1)
    firsts = [add_months(this_month, offset) for offset in range(1 - MONTHS, 1)]
    return [Month(first, add_months(first, 1) - timedelta(days=1)) for first in firsts]


@dataclass
class ActionMonth:
    month: Month
    due: int  # open, in progress or done actions due in the month (cancelled ones are left out)
    completed: int  # actions marked done in the month, whenever they were due
    completed_on_time: int  # of those due in the month, done on or before their due date

    @property
    def on_time_percent(self) -> int | None:
        return None if not self.due else round(100 * self.completed_on_time / self.due)


@dataclass
class DecisionMonth:
    month: Month
    proposed: int
    decided: int  # last approved or rejected in the month


@dataclass
class RiskMonth:
    month: Month
    as_of: date  # the month's last day, or today for the current month
    by_band: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_band.values())


@dataclass
class Trends:
    months: list[Month]
    actions: list[ActionMonth]
    decisions: list[DecisionMonth]
    risks: list[RiskMonth]

    @property
    def actions_due(self) -> int:
        return sum(row.due for row in self.actions)

    @property
    def actions_completed_on_time(self) -> int:
        return sum(row.completed_on_time for row in self.actions)

    @property
    def on_time_percent(self) -> int | None:
        """Over the twelve months: the share of actions due that were done by their due date."""
        return None if not self.actions_due else round(100 * self.actions_completed_on_time / self.actions_due)


def action_trend(partnership: Partnership, months: list[Month]) -> list[ActionMonth]:
    """Per month: actions due, actions completed and actions due that month completed on time. One query."""
    counts = {}
    for index, month in enumerate(months):
        due = Q(due_on__range=(month.first, month.last))
        counts[f"due_{index}"] = Count("pk", filter=due)
        counts[f"completed_{index}"] = Count("pk", filter=Q(completed_on__range=(month.first, month.last)))
        counts[f"on_time_{index}"] = Count("pk", filter=due & Q(completed_on__lte=F("due_on")))
    start = months[0].first
    row = (
        Action.objects.filter(partnership=partnership)
        .exclude(status=ActionStatus.CANCELLED)
        .filter(Q(due_on__gte=start) | Q(completed_on__gte=start))
        .aggregate(**counts)
    )
    return [
        ActionMonth(month, row[f"due_{index}"], row[f"completed_{index}"], row[f"on_time_{index}"])
        for index, month in enumerate(months)
    ]


def decision_trend(partnership: Partnership, months: list[Month]) -> list[DecisionMonth]:
    """Per month: decisions proposed, and decisions last approved or rejected. One query."""
    counts = {}
    for index, month in enumerate(months):
        start, end = start_of_day(month.first), start_of_day(month.last + timedelta(days=1))
        counts[f"proposed_{index}"] = Count("pk", filter=Q(created_at__gte=start, created_at__lt=end))
        counts[f"decided_{index}"] = Count("pk", filter=Q(decided_at__gte=start, decided_at__lt=end))
    start = start_of_day(months[0].first)
    row = (
        Decision.objects.filter(partnership=partnership)
        .filter(Q(created_at__gte=start) | Q(decided_at__gte=start))
        .aggregate(**counts)
    )
    return [
        DecisionMonth(month, row[f"proposed_{index}"], row[f"decided_{index}"]) for index, month in enumerate(months)
    ]


def risk_trend(partnership: Partnership, months: list[Month], today: date, settings: RiskSettings) -> list[RiskMonth]:
    """Open risks by band at the end of each month. One query gives, for each risk that could count, its score in
    force at each month's end (a correlated subquery on the score history's (risk, day) index); the bands are
    counted here, since asking the database for 12 months × 4 bands of conditional counts over those subqueries
    costs far more to compile and run than the few hundred rows cost to read."""
    points = [min(month.last, today) for month in months]
    scores = {}
    for index, day in enumerate(points):
        in_force = (
            RiskScoreChange.objects.filter(risk_id=OuterRef("pk"), changed_on__lte=day)
            .order_by("-changed_on", "-recorded_at", "-pk")
            .values("score")[:1]
        )
        # A risk closed by that day no longer counts; one not yet assessed has no score in force.
        scores[f"score_{index}"] = Case(
            When(closed_on__lte=day, then=Value(None)),
            default=Subquery(in_force),
            output_field=IntegerField(),
        )
    rows = (
        Risk.objects.filter(partnership=partnership)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=points[0]))
        .annotate(**scores)
        .values_list(*scores)
    )
    counts = [dict.fromkeys(RiskBand.values, 0) for _ in points]
    for row in rows:
        for index, score in enumerate(row):
            if score is not None:
                counts[index][settings.band_for(score)] += 1
    return [RiskMonth(month, day, by_band) for month, day, by_band in zip(months, points, counts, strict=True)]


def trends(partnership: Partnership, today: date, settings: RiskSettings) -> Trends:
    """Every trend of the dashboard, in three queries."""
    months = last_twelve_months(today)
    return Trends(
        months=months,
        actions=action_trend(partnership, months),
        decisions=decision_trend(partnership, months),
        risks=risk_trend(partnership, months, today, settings),
    )
