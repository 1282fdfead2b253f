"""The coverage matrix and its gaps: how recently each work-stream has engaged each stakeholder group.

Coverage, for a work-stream expected to engage a group every N days, on the day `as_of`:

- Red: never engaged, or more than N days since the group was last engaged (overdue).
- Amber: due soon — within the last quarter of the interval: the days left until it is due are at most N ÷ 4.
  For every 90 days that is 68 to 90 days since; exactly N days since is still amber, N + 1 is red.
- Green: engaged within the interval with more than a quarter of it left.

Reaching a sub-group (GPs) counts as reaching its parent group (clinicians), not the other way round.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce

from core.audit import chain_length
from partnerships.models import Partnership
from workstreams.models import WorkStream, WorkStreamStatus

from ..models import EngagementExpectation, GroupReached, StakeholderGroup

DEFAULT_PERIOD_DAYS = 365
STORED_FOR = 24 * 60 * 60  # the figures of a day: the key holds the day they are counted for
RAG_RULES = (
    "Red: never engaged, or more days since than the expected interval. Amber: due soon, within the last quarter "
    "of the interval (for every 90 days, 68 to 90 days since). Green: engaged within the interval, with more than "
    "a quarter of it left. Reaching a sub-group counts for its main group."
)


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    NONE = "none"

    @property
    def label(self) -> str:
        return {"red": "Red", "amber": "Amber", "green": "Green", "none": "No expectation"}[self.value]


def rag_for(days_since: int | None, interval_days: int | None) -> Rag:
    """Red, amber or green for a group last engaged `days_since` days ago and expected every `interval_days`."""
    if interval_days is None:
        return Rag.NONE
    if days_since is None or days_since > interval_days:
        return Rag.RED
    if 4 * (interval_days - days_since) <= interval_days:
        return Rag.AMBER
    return Rag.GREEN


def amber_from(interval_days: int) -> int:
    """The first day since last engaged on which a group expected every `interval_days` turns amber."""
    return interval_days - interval_days // 4


@dataclass(frozen=True)
class CoverageCell:
    workstream: WorkStream
    group: StakeholderGroup
    as_of: date
    last_engaged: date | None
    count_in_period: int
    interval_days: int | None

    @property
    def days_since(self) -> int | None:
        return None if self.last_engaged is None else (self.as_of - self.last_engaged).days

    @property
    def rag(self) -> Rag:
        return rag_for(self.days_since, self.interval_days)

    @property
    def due_on(self) -> date | None:
        if self.interval_days is None or self.last_engaged is None:
            return None
        return self.last_engaged + timedelta(days=self.interval_days)

    @property
    def days_overdue(self) -> int | None:
        if self.interval_days is None or self.days_since is None:
            return None
        return max(self.days_since - self.interval_days, 0)

    @property
    def engaged_text(self) -> str:
        days = self.days_since
        if days is None:
            return "never engaged"
        if days == 0:
            return "last engaged today"
        return f"last engaged {days} day{'' if days == 1 else 's'} ago"

    @property
    def description(self) -> str:
        """In words, so colour is never the only signal: "Red: last engaged 152 days ago (expected every 90)"."""
        if self.interval_days is None:
            return f"{self.rag.label}: {self.engaged_text}"
        return f"{self.rag.label}: {self.engaged_text} (expected every {self.interval_days})"


@dataclass(frozen=True)
class CoverageRow:
    workstream: WorkStream
    cells: list[CoverageCell]


@dataclass(frozen=True)
class CoverageMatrix:
    """Work-streams × stakeholder groups on `as_of`, counting activities from `since` to `as_of` (inclusive)."""

    as_of: date
    since: date
    groups: list[StakeholderGroup]
    rows: list[CoverageRow] = field(default_factory=list)

    def cells(self) -> Iterable[CoverageCell]:
        for row in self.rows:
            yield from row.cells

    @property
    def gaps(self) -> list[CoverageCell]:
        """Red cells: never engaged first, then the longest overdue."""
        red = [cell for cell in self.cells() if cell.rag == Rag.RED]
        return sorted(red, key=lambda cell: (cell.last_engaged is not None, -(cell.days_overdue or 0)))

    @property
    def due_soon(self) -> list[CoverageCell]:
        """Amber cells, the soonest due first."""
        return sorted((cell for cell in self.cells() if cell.rag == Rag.AMBER), key=lambda cell: cell.due_on)


def ordered_groups(partnership: Partnership) -> list[StakeholderGroup]:
    """The partnership's stakeholder groups (the defaults and its own), each main group followed by its sub-groups."""
    groups = list(
        StakeholderGroup.objects.for_partnership(partnership).select_related("parent").order_by("position", "name")
    )
    children: dict[int, list[StakeholderGroup]] = {}
    for group in groups:
        if group.parent_id:
            children.setdefault(group.parent_id, []).append(group)
    ordered = []
    for group in groups:
        if group.parent_id is None:
            ordered.append(group)
            ordered.extend(children.get(group.pk, []))
    return ordered


def coverage_workstreams(partnership: Partnership) -> QuerySet[WorkStream]:
    """The work-streams the coverage matrix covers: every one that is not closed."""
    return WorkStream.objects.filter(partnership=partnership).exclude(status=WorkStreamStatus.CLOSED).order_by("name")


def coverage_matrix(
    partnership: Partnership,
    *,
    as_of: date,
    since: date | None = None,
    workstreams: Iterable[WorkStream] | None = None,
) -> CoverageMatrix:
    """The coverage matrix, in five queries whatever the number of work-streams, groups and activities."""
    since = since or as_of - timedelta(days=DEFAULT_PERIOD_DAYS)
    workstreams = list(coverage_workstreams(partnership) if workstreams is None else workstreams)
    groups = ordered_groups(partnership)
    workstream_ids = [workstream.pk for workstream in workstreams]
    intervals = {
        (workstream_id, group_id): interval
        for workstream_id, group_id, interval in EngagementExpectation.objects.filter(
            workstream__in=workstream_ids
        ).values_list("workstream_id", "group_id", "interval_days")
    }
    statistics = _stored_statistics(partnership, as_of, since, workstream_ids)
    matrix = CoverageMatrix(as_of=as_of, since=since, groups=groups)
    for workstream in workstreams:
        cells = []
        for group in groups:
            last, count = statistics.get((workstream.pk, group.pk), (None, 0))
            interval = intervals.get((workstream.pk, group.pk))
            cells.append(CoverageCell(workstream, group, as_of, last, count, interval))
        matrix.rows.append(CoverageRow(workstream, cells))
    return matrix


def _statistics(partnership: Partnership, as_of: date, since: date, workstream_ids: list[int]) -> dict:
    """(work-stream id, group id) → (last engaged, activities since `since`), for main groups and sub-groups."""
    reached = GroupReached.objects.filter(
        activity__partnership=partnership, activity__held_on__lte=as_of, activity__workstreams__in=workstream_ids
    )
    statistics = {}
    # Main groups, counting their sub-groups: one activity reaching GPs and nurses counts once for clinicians.
    main = reached.annotate(main_group=Coalesce("group__parent_id", "group_id"))
    for key in (("main_group",), ("group_id",)):
        queryset = main if key == ("main_group",) else reached.filter(group__parent__isnull=False)
        rows = queryset.values("activity__workstreams", *key).annotate(
            last=Max("activity__held_on"),
            count=Count("activity", filter=Q(activity__held_on__gte=since), distinct=True),
        )
        for row in rows:
            statistics[(row["activity__workstreams"], row[key[0]])] = (row["last"], row["count"])
    return statistics


def _stored_statistics(partnership: Partnership, as_of: date, since: date, workstream_ids: list[int]) -> dict:
    """`_statistics`, kept in the shared cache until the partnership's audit chain moves on, as the dashboard's
    figures are (ADR 0020). Counting every activity of five years takes a large partnership's database 40 to 90 ms;
    the figures change a few times a day. The chain's head is read before counting, so a change committed meanwhile
    makes the next view count again: work repeated, never a stale cell."""
    head = chain_length(partnership.pk)
    chosen = hashlib.sha256(",".join(map(str, sorted(workstream_ids))).encode()).hexdigest()[:16]
    key = f"coverage:{partnership.cache_identity}:{as_of.isoformat()}:{since.isoformat()}:{chosen}"
    stored = cache.get(key)
    if stored is not None and stored[0] == head:
        return stored[1]
    statistics = _statistics(partnership, as_of, since, workstream_ids)
    cache.set(key, (head, statistics), STORED_FOR)
    return statistics


def coverage_gaps(partnership: Partnership, *, as_of: date) -> list[CoverageCell]:
    """Where a work-stream has not engaged a group it is expected to: never, or longer ago than expected."""
    return coverage_matrix(partnership, as_of=as_of).gaps


def expectations_of(partnership: Partnership) -> QuerySet[EngagementExpectation]:
    """The partnership's expectations, by work-stream and then group, with who set each: the expectations page."""
    return (
        EngagementExpectation.objects.filter(partnership=partnership)
        .select_related("workstream", "group__parent", "set_by")
        .order_by("workstream__name", "group__position", "group__name")
    )
