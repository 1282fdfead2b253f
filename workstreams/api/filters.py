"""List filters of the work-streams API: `?partnership=QZZ` on every list, related ids, choices and named scopes.
The actions' and the agenda items' also serve the pages that list them (core/filters.py)."""

import django_filters
from django.utils import timezone

from core.filters import DateFilter, ModelChoiceFilter, RegisterFilterSet
from partnerships.access import organisations_of, organisations_visible_to
from partnerships.api.filters import PartnershipCodeFilter

from ..access import workstreams_visible_to
from ..models import (
    ActionStatus,
    AgendaPurpose,
    GroupMember,
    GroupRole,
    MeetingStatus,
    Rag,
    WorkStreamStatus,
)
from ..selectors.workstreams import ACTION_STATES, filter_actions

PARTNERSHIP = "Partnership code, like QZZ"
BOARD = "board"  # the partnership board, where a work-stream is asked for
GROUPS = "groups"  # the work-streams' groups, where whose meetings is asked
NO_ORGANISATION = "none"


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
    starts_from = DateFilter(field_name="starts_at", lookup_expr="date__gte", label="On or after")
    starts_to = DateFilter(field_name="starts_at", lookup_expr="date__lte", label="On or before")


class AgendaItemFilter(RegisterFilterSet):
    """Agenda items; by purpose and whose meetings also for the dashboard's list of the year's items."""

    page_filters = ("purpose", "body")

    partnership = PartnershipCodeFilter(field_name="meeting__partnership", label=PARTNERSHIP)
    meeting = django_filters.NumberFilter(field_name="meeting", label="A meeting's id")
    purpose = django_filters.ChoiceFilter(
        choices=AgendaPurpose.choices,
        empty_label="Any",
        label="Purpose",
        error_messages={"invalid_choice": "Choose a purpose from the list"},
    )
    body = django_filters.ChoiceFilter(
        method="filter_body",
        choices=[(BOARD, "The board"), (GROUPS, "The work-streams' groups")],
        empty_label="The board and the work-streams",
        label="Meetings of",
        error_messages={"invalid_choice": "Choose whose meetings from the list"},
        help_text="Items on the board's agendas, or on the work-streams' groups'",
    )

    def filter_body(self, queryset, name, value):
        return queryset.filter(meeting__workstream__isnull=value == BOARD)


class PaperFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="agenda_item__meeting__partnership", label=PARTNERSHIP)
    agenda_item = django_filters.NumberFilter(field_name="agenda_item", label="An agenda item's id")
    meeting = django_filters.NumberFilter(field_name="agenda_item__meeting", label="A meeting's id")


class ActionFilter(RegisterFilterSet):
    """Actions, for `/api/v1/actions/` and the pages that list them: a work-stream's and the board's action logs and My
    actions (by state) and the dashboard's list of every action of the partnership (`page_filters`). The pages show
    open actions until asked for others."""

    page_filters = ("state", "workstream", "organisation", "due_from", "due_to", "completed_from", "completed_to")
    page_defaults = {"state": "open"}

    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    state = django_filters.ChoiceFilter(
        method="filter_state",
        choices=list(ACTION_STATES.items()),
        empty_label=None,
        label="Status",
        error_messages={"invalid_choice": "Choose a status from the list"},
        help_text="Open (open or in progress), overdue (open, past due), closed (done or cancelled) or all",
    )
    workstream = ModelChoiceFilter(
        offered="workstreams",
        field_name="workstream",
        empty_label="Any",
        null_label="Partnership board",
        null_value=BOARD,
        label="Work-stream",
        error_messages={"invalid_choice": "Choose a work-stream from the list"},
        help_text="A work-stream's id, or board for the partnership board's actions",
    )
    organisation = ModelChoiceFilter(
        offered="organisations",
        field_name="owner_organisation",
        empty_label="Any",
        null_label="No organisation recorded",
        null_value=NO_ORGANISATION,
        label="Owner's organisation",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
        help_text="The owner's organisation's id, or none for actions with no organisation recorded",
    )
    due_from = DateFilter(field_name="due_on", lookup_expr="gte", label="Due from")
    due_to = DateFilter(field_name="due_on", lookup_expr="lte", label="Due to")
    completed_from = DateFilter(field_name="completed_on", lookup_expr="gte", label="Completed from")
    completed_to = DateFilter(field_name="completed_on", lookup_expr="lte", label="Completed to")
    meeting = django_filters.NumberFilter(field_name="meeting", label="A meeting's id")
    board = django_filters.BooleanFilter(
        field_name="workstream", lookup_expr="isnull", label="Board actions (true) or work-stream actions (false)"
    )
    owner = django_filters.NumberFilter(field_name="owner", label="The owner's id")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Assigned to you")
    raised_by_me = django_filters.BooleanFilter(method="filter_raised_by_me", label="Raised by you")
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices)
    due_before = DateFilter(field_name="due_on", lookup_expr="lt", label="Due before this date")

    def workstreams(self):
        return self.in_partnership(workstreams_visible_to(self.user)).order_by("name")

    def organisations(self):
        if self.partnership is not None:
            return organisations_of(self.partnership).order_by("name")
        return organisations_visible_to(self.user)

    def filter_state(self, queryset, name, value):
        return filter_actions(queryset, value, timezone.localdate())

    def filter_mine(self, queryset, name, value):
        return queryset.filter(owner=self.request.user) if value else queryset.exclude(owner=self.request.user)

    def filter_raised_by_me(self, queryset, name, value):
        return queryset.filter(raised_by=self.request.user) if value else queryset.exclude(raised_by=self.request.user)


class HighlightReportFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    workstream = django_filters.NumberFilter(field_name="workstream", label="A work-stream's id")
    rag = django_filters.ChoiceFilter(choices=Rag.choices)
    ends_from = DateFilter(field_name="period_end", lookup_expr="gte", label="Period ending on or after")
