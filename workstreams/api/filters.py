"""List filters of the work-streams API: `?partnership=QZZ` on every list, related ids, choices and named scopes."""

import django_filters
from django.utils import timezone

from partnerships.api.filters import PartnershipCodeFilter

from ..models import (
    ActionStatus,
    AgendaPurpose,
    GroupMember,
    GroupRole,
    MeetingStatus,
    Rag,
    WorkStreamStatus,
)
from ..selectors.workstreams import filter_actions

PARTNERSHIP = "Partnership code, like QZZ"


class WorkStreamFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    status = django_filters.MultipleChoiceFilter(choices=WorkStreamStatus.choices)
    rag = django_filters.ChoiceFilter(choices=Rag.choices)
    mine = django_filters.BooleanFilter(method="filter_mine", label="Work-streams whose group you sit in")

    def filter_mine(self, queryset, name, value):
        seats = GroupMember.objects.current().filter(user=self.request.user).values("workstream_id")
        return queryset.filter(pk__in=seats) if value else queryset.exclude(pk__in=seats)


class GroupMemberFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="workstream__partnership", label=PARTNERSHIP)
    workstream = django_filters.NumberFilter(field_name="workstream", label="A work-stream's id")
    person = django_filters.NumberFilter(field_name="user", label="A person's id")
    role = django_filters.MultipleChoiceFilter(choices=GroupRole.choices)
    is_current = django_filters.BooleanFilter(method="filter_is_current", label="In the group today")

    def filter_is_current(self, queryset, name, value):
        current = GroupMember.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class MeetingFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    workstream = django_filters.NumberFilter(field_name="workstream", label="A work-stream's id")
    board = django_filters.BooleanFilter(
        field_name="workstream", lookup_expr="isnull", label="Board meetings (true) or group meetings (false)"
    )
    status = django_filters.MultipleChoiceFilter(choices=MeetingStatus.choices)
    starts_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label="On or after")
    starts_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label="On or before")


class AgendaItemFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="meeting__partnership", label=PARTNERSHIP)
    meeting = django_filters.NumberFilter(field_name="meeting", label="A meeting's id")
    purpose = django_filters.ChoiceFilter(choices=AgendaPurpose.choices)


class PaperFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="agenda_item__meeting__partnership", label=PARTNERSHIP)
    agenda_item = django_filters.NumberFilter(field_name="agenda_item", label="An agenda item's id")
    meeting = django_filters.NumberFilter(field_name="agenda_item__meeting", label="A meeting's id")


class ActionFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    workstream = django_filters.NumberFilter(field_name="workstream", label="A work-stream's id")
    meeting = django_filters.NumberFilter(field_name="meeting", label="A meeting's id")
    board = django_filters.BooleanFilter(
        field_name="workstream", lookup_expr="isnull", label="Board actions (true) or work-stream actions (false)"
    )
    owner = django_filters.NumberFilter(field_name="owner", label="The owner's id")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Assigned to you")
    raised_by_me = django_filters.BooleanFilter(method="filter_raised_by_me", label="Raised by you")
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices)
    state = django_filters.ChoiceFilter(
        method="filter_state",
        choices=[
            ("open", "Open or in progress"),
            ("overdue", "Open or in progress, past due"),
            ("closed", "Done or cancelled"),
        ],
        label="Open, overdue or closed",
    )
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lt", label="Due before this date")

    def filter_mine(self, queryset, name, value):
        return queryset.filter(owner=self.request.user) if value else queryset.exclude(owner=self.request.user)

    def filter_raised_by_me(self, queryset, name, value):
        return queryset.filter(raised_by=self.request.user) if value else queryset.exclude(raised_by=self.request.user)

    def filter_state(self, queryset, name, value):
        return filter_actions(queryset, value, timezone.localdate())


class HighlightReportFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    workstream = django_filters.NumberFilter(field_name="workstream", label="A work-stream's id")
    rag = django_filters.ChoiceFilter(choices=Rag.choices)
    ends_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte", label="Period ending on or after")
