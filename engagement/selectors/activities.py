"""Reads of the engagement log: what its filters (`engagement.api.filters`) ask, and what the governance app asks of
engagement (a decision's evidence from a work-stream, and the groups a work-stream is expected to engage but has
not)."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from workstreams.models import WorkStream

from ..models import EngagementActivity, EngagementExpectation, GroupReached, StakeholderGroup


def activities_informing(
    activities: QuerySet[EngagementActivity], workstream: WorkStream
) -> QuerySet[EngagementActivity]:
    """Of `activities`, those that inform the work-stream: the engagement log's work-stream filter."""
    informing = EngagementActivity.workstreams.through.objects.filter(workstream=workstream)
    return activities.filter(pk__in=informing.values("engagementactivity_id"))


def activities_reaching(
    activities: QuerySet[EngagementActivity], group: StakeholderGroup
) -> QuerySet[EngagementActivity]:
    """Of `activities`, those that reached the group, or one of its sub-groups when it is a main group: the engagement
    log's group filter."""
    reached = GroupReached.objects.filter(Q(group=group) | Q(group__parent=group))
    return activities.filter(pk__in=reached.values("activity_id"))


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


def activity_log(partnership) -> QuerySet[EngagementActivity]:
    """The partnership's activities with what the log shows beside each: what the log page and its export list,
    narrowed by `engagement.api.filters.ActivityFilter`."""
    return EngagementActivity.objects.in_partnership(partnership).for_listing()


def activity_for_page(activity: EngagementActivity) -> EngagementActivity:
    """The activity again, with what its page shows: the log's columns and the organisations it involved."""
    return EngagementActivity.objects.for_listing().prefetch_related("organisations").get(pk=activity.pk)
