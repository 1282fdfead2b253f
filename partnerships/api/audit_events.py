"""The audit trail, read-only: `/api/v1/audit-events/`, and the filters its list shares with the history pages.

Who reads which events is `selectors/history.py`'s rule, the same for the pages and the API. One module for the
resource's filters, shape and view, since the three change together and nothing else uses them.
"""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.views import ServiceViewSet
from core.filters import DateFilter, ModelChoiceFilter, RegisterFilterSet
from core.models import AuditEvent

from ..selectors.history import (
    CHAIN_FIELDS,
    audit_events_visible_to,
    content_type_named,
    day_after,
    get_audit_event_for_user,
    kind_value,
    kinds_in_events,
    people_in_events,
    start_of,
    with_partnership_codes,
)
from .filters import PartnershipCodeFilter

# --- Filters: the history page's sidebar and the API's query ---------------------------------------------------------


class KindField(forms.ChoiceField):
    """A kind of record, `governance.decision`: the page offers those in its history; any kind there is may be
    asked for (a kind with no events finds none)."""

    def valid_value(self, value) -> bool:
        return content_type_named(value) is not None


class KindFilter(django_filters.CharFilter):
    field_class = KindField


class PeriodForm(forms.Form):
    """ "To" may not come before "from"."""

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The 'to' date must be the same as or after the 'from' date.")
        return cleaned


class AuditEventFilter(RegisterFilterSet):
    """The history's filters: person, kind of record and dates on the page; the API adds partnership and action."""

    page_filters = ("actor", "kind", "since", "until")

    partnership = PartnershipCodeFilter(field_name="partnership_id", label="Partnership code, like QZZ")
    action = django_filters.CharFilter(
        method="filter_action",
        max_length=80,
        label="Action",
        help_text="What happened: `decision.approved`, or all of a kind of record's actions: `decision`",
    )
    kind = extend_schema_field({"type": "string", "description": "A kind of record, like governance.decision"})(
        KindFilter(
            method="filter_kind",
            label="Kind of record",
            error_messages={"invalid_choice": "Choose a kind of record from the list."},
        )
    )
    actor = ModelChoiceFilter(
        offered="people",
        field_name="actor",
        label="Person",
        empty_label="Anyone",
        help_text="The id of the person who made the change",
        error_messages={"invalid_choice": "Choose a person from the list."},
    )
    since = DateFilter(method="filter_since", label="From", help_text="On or after this date")
    until = DateFilter(method="filter_until", label="To", help_text="On or before this date")

    class Meta:
        form = PeriodForm

    def people(self):
        return people_in_events(self.queryset)

    def prepare_form(self, form):
        if "kind" in form.fields:
            form.fields["kind"].choices = [("", "Any"), *kinds_in_events(self.queryset)]

    def filter_action(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(action=value) if "." in value else queryset.filter(action__startswith=f"{value}.")

    def filter_kind(self, queryset, name, value):
        return queryset.filter(target_type=content_type_named(value))

    def filter_since(self, queryset, name, value):
        return queryset.filter(at__gte=start_of(value))

    def filter_until(self, queryset, name, value):
        end = day_after(value)
        return queryset if end is None else queryset.filter(at__lt=end)


# --- The API ---------------------------------------------------------------------------------------------------------


class AuditEventSerializer(serializers.ModelSerializer):
    """One change: who made it, when, to which record, and what changed."""

    actor = serializers.IntegerField(
        source="actor_id", allow_null=True, help_text="The person's id; null for the system."
    )
    actor_name = serializers.SerializerMethodField(help_text='Who made the change, or "System".')
    partnership = serializers.CharField(
        source="partnership_code",
        allow_null=True,
        help_text="The code of the partnership whose history records it; null for none.",
    )
    target_type = serializers.SerializerMethodField(help_text="The kind of record, like governance.decision.")
    changes = serializers.JSONField(help_text="Changed fields: {field: [before, after]}, with ids and codes.")

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "partnership",
            "action",
            "target_type",
            "target_id",
            "summary",
            "changes",
            "reason",
            *CHAIN_FIELDS,
        ]

    def get_actor_name(self, event) -> str:
        return event.actor.display_name if event.actor else "System"

    def get_target_type(self, event) -> str:
        return kind_value(event.target_type)


class AuditEventViewSet(ServiceViewSet):
    """The audit trail you may read: every event of the partnerships you lead, and the changes to the organisations
    you administer (their record, delegations, memberships and affiliations). Read-only."""

    http_method_names = ["get", "head"]
    lookup_value_converter = "int"
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    def get_queryset(self):
        return with_partnership_codes(audit_events_visible_to(self.request.user)).order_by("-at", "-id")

    def get_object(self):
        return get_audit_event_for_user(self.request.user, self.kwargs["pk"])
