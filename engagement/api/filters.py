"""The filters of the engagement API's lists, each restricted to what the reader may see."""

import django_filters

from partnerships.api.filters import PartnershipChildFilter

from ..models import FeedbackStatus, Level
from ..models import Method as EngagementMethod
from ..selectors.activities import filter_activities

# --- Stakeholder groups ----------------------------------------------------------------------------------------------


class StakeholderGroupFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(
        method="filter_partnership", label="Partnership code: the standard groups and that partnership's own"
    )

    def filter_partnership(self, queryset, name, value):
        return queryset.filter(partnership__isnull=True) | queryset.filter(partnership__code=value)


# --- Activities ------------------------------------------------------------------------------------------------------


class ActivityFilter(PartnershipChildFilter):
    workstream = django_filters.NumberFilter(method="filter_workstream", label="A work-stream's id")
    group = django_filters.NumberFilter(method="filter_group", label="A stakeholder group's id (with its sub-groups)")
    method = django_filters.ChoiceFilter(choices=EngagementMethod.choices)
    level = django_filters.ChoiceFilter(choices=Level.choices)
    start = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="On or after (YYYY-MM-DD)")
    end = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label="On or before (YYYY-MM-DD)")

    def filter_workstream(self, queryset, name, value):
        return filter_activities(queryset, workstream=value)

    def filter_group(self, queryset, name, value):
        return filter_activities(queryset, group=value)


# --- Feedback --------------------------------------------------------------------------------------------------------


class FeedbackFilter(PartnershipChildFilter):
    status = django_filters.MultipleChoiceFilter(choices=FeedbackStatus.choices)
    activity = django_filters.NumberFilter(field_name="activity", label="An activity's id")
    workstream = django_filters.NumberFilter(field_name="activity__workstreams", label="A work-stream's id")
    published = django_filters.BooleanFilter()


# --- Expectations ----------------------------------------------------------------------------------------------------


class ExpectationFilter(PartnershipChildFilter):
    workstream = django_filters.NumberFilter(field_name="workstream", label="A work-stream's id")
    group = django_filters.NumberFilter(field_name="group", label="A stakeholder group's id")
