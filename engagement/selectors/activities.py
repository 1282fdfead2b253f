"""Reads of the engagement log: its filters, and what the governance app asks of engagement (a decision's
evidence from a work-stream, and the groups a work-stream is expected to engage but has not)."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from workstreams.models import WorkStream

from ..models import EngagementActivity, EngagementExpectation, GroupReached, StakeholderGroup


def filter_activities(
    queryset: QuerySet[EngagementActivity],
    *,
    workstream: WorkStream | None = None,
    group: StakeholderGroup | None = None,
    method: str = "",
    level: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[EngagementActivity]:
    """The engagement log's filters, shared by the page, the CSV export and the API. A main group includes its
    sub-groups."""
    if workstream is not None:
        queryset = queryset.filter(
            pk__in=EngagementActivity.workstreams.through.objects.filter(workstream=workstream).values(
                "engagementactivity_id"
            )
        )
    if group is not None:
        queryset = queryset.filter(
            pk__in=GroupReached.objects.filter(Q(group=group) | Q(group__parent=group)).values("activity_id")
        )
    if method:
        queryset = queryset.filter(method=method)
    if level:
        queryset = queryset.filter(level=level)
    return queryset.between(start, end)


# --- What the governance app calls -------------------------------------------------------------------------------


def evidence_for_workstream(workstream: WorkStream, *, since: date | None = None) -> QuerySet[EngagementActivity]:
    """The engagement activities informing a work-stream, newest first, optionally only those from `since`."""
    return EngagementActivity.objects.filter(workstreams=workstream).between(since, None).for_listing()


def expected_groups_missing(
    workstream: WorkStream, activities: Iterable[EngagementActivity] | QuerySet[EngagementActivity]
) -> list[StakeholderGroup]:
    """The groups the work-stream is expected to engage that none of `activities` reached (two queries).

    For a decision: pass the activities linked to it as evidence; an empty list means every expected group was heard.
    """
    expected = [
        expectation.group
        for expectation in EngagementExpectation.objects.filter(workstream=workstream)
        .select_related("group")
        .order_by("group__position", "group__name")
    ]
    if not expected:
        return []
    if isinstance(activities, QuerySet):
        activity_ids = activities.values("pk")
    else:
        activity_ids = [activity.pk for activity in activities]
    heard = set()
    for group_id, parent_id in GroupReached.objects.filter(activity__in=activity_ids).values_list(
        "group_id", "group__parent_id"
    ):
        heard.update({group_id, parent_id})
    return [group for group in expected if group.pk not in heard]
