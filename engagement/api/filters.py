"""The filters of the engagement lists, each restricted to what the reader may see. The engagement log's and "you
said, we did"'s serve both their pages (and CSV exports) and the API (core/filters.py)."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from core.filters import (
    DateFilter,
    ModelChoiceFilter,
    OneOrMoreFilter,
    PeriodForm,
    RegisterFilterSet,
    YesNoFilter,
)
from partnerships.api.filters import PartnershipChildFilter, PartnershipCodeFilter
from workstreams.access import workstreams_visible_to

from ..access import stakeholder_groups_visible_to
from ..forms.activities import group_choices
from ..models import FeedbackStatus, Level
from ..models import Method as EngagementMethod
from ..selectors.activities import activities_informing, activities_reaching
from ..selectors.coverage import ordered_groups

PARTNERSHIP = "Partnership code, like QZZ"


def by_id(description: str):
    """In the API's schema, a filter whose method does the matching: a record's id, with what it is."""
    return extend_schema_field({"type": "integer", "description": description})


# --- Stakeholder groups ----------------------------------------------------------------------------------------------


class StakeholderGroupFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(
        method="filter_partnership", label="Partnership code: the standard groups and that partnership's own"
    )

    def filter_partnership(self, queryset, name, value):
        return queryset.filter(partnership__isnull=True) | queryset.filter(partnership__code=value)


# --- Activities ------------------------------------------------------------------------------------------------------


class GroupChoiceField(forms.ModelChoiceField):
    """A stakeholder group; the page words and orders the choices itself (`group_choices`)."""


class GroupFilter(ModelChoiceFilter):
    field_class = GroupChoiceField


class EngagementFilterSet(RegisterFilterSet):
    """A register of engagement, filtered by the work-streams the reader may see (its `filter_workstream` says how a
    record belongs to one)."""

    def workstreams(self):
        return self.in_partnership(workstreams_visible_to(self.user)).order_by("name")


def workstream_filter() -> ModelChoiceFilter:
    """The work-stream filter of an engagement register: one of the work-streams the reader may see."""
    return by_id("A work-stream's id")(
        ModelChoiceFilter(
            offered="workstreams",
            method="filter_workstream",
            label="Work-stream",
            empty_label="All work-streams",
            error_messages={"invalid_choice": "Choose a work-stream from the list."},
        )
    )


class ActivityFilter(EngagementFilterSet):
    """The engagement log's filters, for its page and CSV export and `/api/v1/engagement-activities/`. A main group
    includes its sub-groups."""

    page_filters = ("workstream", "group", "method", "level", "start", "end")

    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    workstream = workstream_filter()
    group = by_id("A stakeholder group's id (with its sub-groups)")(
        GroupFilter(
            offered="groups",
            method="filter_group",
            label="Stakeholder group",
            empty_label="All groups",
            error_messages={"invalid_choice": "Choose a group from the list."},
        )
    )
    method = django_filters.ChoiceFilter(
        choices=EngagementMethod.choices,
        empty_label="All methods",
        label="Method",
        error_messages={"invalid_choice": "Choose a method from the list."},
    )
    level = django_filters.ChoiceFilter(
        choices=Level.choices,
        empty_label="All levels",
        label="Level",
        error_messages={"invalid_choice": "Choose a level from the list."},
    )
    start = DateFilter(field_name="held_on", lookup_expr="gte", label="From", help_text="On or after this date")
    end = DateFilter(field_name="held_on", lookup_expr="lte", label="To", help_text="On or before this date")

    class Meta:
        form = PeriodForm

    def groups(self):
        visible = stakeholder_groups_visible_to(self.user)
        return visible.for_partnership(self.partnership) if self.partnership else visible

    def prepare_form(self, form):
        if self.partnership is not None and "group" in form.fields:
            form.fields["group"].choices = group_choices(ordered_groups(self.partnership), "All groups")

    def filter_workstream(self, queryset, name, value):
        return activities_informing(queryset, value)

    def filter_group(self, queryset, name, value):
        return activities_reaching(queryset, value)


# --- Feedback --------------------------------------------------------------------------------------------------------


class FeedbackFilter(EngagementFilterSet):
    """ "You said, we did"'s filters, for its page and CSV export and `/api/v1/feedback/`."""

    page_filters = ("status", "workstream", "published")

    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    status = OneOrMoreFilter(
        field_name="status",
        choices=FeedbackStatus.choices,
        empty_label="All outcomes",
        label="Outcome",
        error_messages={"invalid_choice": "Choose an outcome from the list."},
    )
    activity = django_filters.NumberFilter(field_name="activity", label="An activity's id")
    workstream = workstream_filter()
    published = YesNoFilter(
        field_name="published",
        label="Public page",
        any_label="Published or not",
        yes_label="Published",
        no_label="Not published",
        error_messages={"invalid_choice": "Choose published or not published."},
    )

    def filter_workstream(self, queryset, name, value):
        return queryset.filter(activity__in=value.engagement_activities.values("pk"))


# --- Expectations ----------------------------------------------------------------------------------------------------


class ExpectationFilter(PartnershipChildFilter):
    workstream = django_filters.NumberFilter(field_name="workstream", label="A work-stream's id")
    group = django_filters.NumberFilter(field_name="group", label="A stakeholder group's id")
