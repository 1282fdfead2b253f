"""The partnerships API's filters, and the `?partnership=QZZ` filter every app's API lists share."""

import django_filters
from django import forms
from django.db.models import Q, Subquery
from django.utils import timezone
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field

from core.dates import end_of_day, start_of_day
from core.filters import DateFilter, ModelChoiceFilter, PeriodForm, RegisterFilterSet

from ..models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    CorrectionStatus,
    Delegation,
    Membership,
    MembershipKind,
    Organisation,
    OrganisationKind,
    Partnership,
    Role,
)
from ..selectors.history import content_type_named, kinds_in_events, people_in_events


class PartnershipCodeFilter(django_filters.CharFilter):
    """Rows of the partnership with this code; `field_name` is the path to the partnership (`partnership`,
    `meeting__partnership`). The code is looked up once, in its own subquery, rather than joined: the database
    then knows the one partnership before it reads a row, and walks an index on (partnership, ordering) to the
    first page instead of sorting every row of a large partnership."""

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        partnership = Partnership.objects.filter(code=value).values("pk")[:1]
        queryset = queryset.filter(**{self.field_name: Subquery(partnership)})
        return queryset.distinct() if self.distinct else queryset


class PartnershipChildFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="partnership", label="Partnership code, like QZZ")


# --- Partnerships ----------------------------------------------------------------------------------------------------


class PartnershipFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Part of the name, or the code")
    region = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Partnership
        fields = ["governance_form"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))


# --- Organisations ---------------------------------------------------------------------------------------------------


class OrganisationFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(
        field_name="memberships__partnership", label="Partnership code: its members, past and present"
    )
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices)
    ods_code = django_filters.CharFilter(lookup_expr="iexact")
    search = django_filters.CharFilter(method="filter_search", label="Part of the name, or the ODS code")
    is_open = django_filters.BooleanFilter(method="filter_is_open", label="Open today")

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(ods_code__iexact=value))

    def filter_is_open(self, queryset, name, value):
        today = timezone.localdate()
        if value:
            return queryset.open_on(today)
        return queryset.exclude(pk__in=Organisation.objects.open_on(today).values("pk"))


# --- Memberships -----------------------------------------------------------------------------------------------------


class MembershipFilter(PartnershipChildFilter):
    organisation = django_filters.NumberFilter(field_name="organisation", label="An organisation's id")
    kind = django_filters.ChoiceFilter(choices=MembershipKind.choices)
    is_current = django_filters.BooleanFilter(method="filter_is_current", label="Members today")

    def filter_is_current(self, queryset, name, value):
        return queryset.current() if value else queryset.exclude(pk__in=Membership.objects.current().values("pk"))


# --- Roles -----------------------------------------------------------------------------------------------------------


class RoleFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(field_name="content_object__code", label="Partnership code, like QZZ")
    role = django_filters.ChoiceFilter(field_name="permission__codename", choices=Role.choices)
    person = django_filters.NumberFilter(field_name="user", label="A person's id")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only your own roles")

    def filter_mine(self, queryset, name, value):
        return queryset.filter(user=self.request.user) if value else queryset.exclude(user=self.request.user)


# --- Delegations -----------------------------------------------------------------------------------------------------


class DelegationFilter(PartnershipChildFilter):
    organisation = django_filters.NumberFilter(field_name="organisation", label="An organisation's id")
    delegate = django_filters.NumberFilter(field_name="delegate", label="The delegate's id")
    delegate_role = django_filters.ChoiceFilter(choices=Delegation._meta.get_field("delegate_role").choices)
    in_force_on = django_filters.DateFilter(method="filter_in_force_on", label="In force on this date (YYYY-MM-DD)")
    confirmed = django_filters.BooleanFilter(
        field_name="confirmed_at", lookup_expr="isnull", exclude=True, label="Confirmed by the organisation"
    )

    def filter_in_force_on(self, queryset, name, value):
        return queryset.in_force(value)


# --- Organisations' administrators and the corrections proposed to their records --------------------------------


class OrganisationAdministratorFilter(django_filters.FilterSet):
    organisation = django_filters.NumberFilter(field_name="content_object", label="An organisation's id")
    user = django_filters.NumberFilter(field_name="user", label="A person's id")


class CorrectionFilter(PartnershipChildFilter):
    organisation = django_filters.NumberFilter(field_name="organisation", label="An organisation's id")
    status = django_filters.MultipleChoiceFilter(choices=CorrectionStatus.choices)


# --- Agreements ------------------------------------------------------------------------------------------------------


class AgreementFilter(PartnershipChildFilter):
    status = django_filters.MultipleChoiceFilter(choices=AgreementStatus.choices)
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices)
    party = django_filters.NumberFilter(field_name="parties", label="An organisation's id")
    due_for_review = django_filters.BooleanFilter(
        method="filter_due_for_review", label="Draft or signed, with a review date passed or within 60 days"
    )

    def filter_due_for_review(self, queryset, name, value):
        if value:
            return queryset.due_for_review()
        return queryset.exclude(pk__in=Agreement.objects.due_for_review().values("pk"))


# --- The audit trail: the history page's filters and the API's query ---------------------------------------------


class KindField(forms.ChoiceField):
    """A kind of record, `governance.decision`: the page offers those in its history; any kind there is may be
    asked for (a kind with no events finds none)."""

    def valid_value(self, value) -> bool:
        return content_type_named(value) is not None


class KindFilter(django_filters.CharFilter):
    field_class = KindField


class HistoryPeriodForm(PeriodForm):
    period = ("since", "until")


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
        form = HistoryPeriodForm

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
        return queryset.filter(at__gte=start_of_day(value))

    def filter_until(self, queryset, name, value):
        end = end_of_day(value)
        return queryset if end is None else queryset.filter(at__lt=end)
