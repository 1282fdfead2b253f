"""The partnerships API's filters, and the `?partnership=QZZ` filter every app's API lists share."""

import django_filters
from django.db.models import Q, Subquery
from django.utils import timezone
from django_filters.constants import EMPTY_VALUES

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
