"""The filters of the governance lists. The decision register's and the risk register's serve both their pages (and
CSV exports) and `/api/v1/decisions/` and `/api/v1/risks/`: one definition, one access rule (core/filters.py)."""

import django_filters
from django.db.models import Q

from core.filters import DateFilter, ModelChoiceFilter, OneOrMoreFilter, RegisterFilterSet, YesNoFilter
from partnerships.access import partnerships_visible_to
from partnerships.api.filters import PartnershipCodeFilter
from partnerships.models import DecisionCategory
from workstreams.access import workstreams_visible_to

from ..access import decisions_readable_by, risk_domains_visible_to
from ..forms.risks import contributors
from ..models import Consequence, DecisionStatus, Likelihood, RiskBand, RiskStatus, RiskTier

PARTNERSHIP = "Partnership code, like QZZ"

# --- The decision register -------------------------------------------------------------------------------------------


class DecisionFilter(RegisterFilterSet):
    """The decision register's filters. A confidential decision is matched on its title, its work-stream and the
    engagement-evidence flag only for those who may read it in full: otherwise the answer would tell what it is
    about. Its reference, category, status and dates are no secret; the register lists it by those."""

    page_filters = (
        "search",
        "status",
        "category",
        "workstream",
        "is_urgent",
        "no_challenge",
        "no_engagement_evidence",
        "proposed_from",
        "proposed_to",
        "decided_from",
        "decided_to",
        "awaiting_ratification",
    )

    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    search = django_filters.CharFilter(
        method="filter_search",
        label="Search by reference or title",
        max_length=100,
        help_text="Part of the reference or the title",
    )
    status = OneOrMoreFilter(field_name="status", choices=DecisionStatus.choices, label="Status")
    category = OneOrMoreFilter(field_name="category", choices=DecisionCategory.choices, label="Category")
    workstream = ModelChoiceFilter(
        offered="workstreams",
        method="filter_workstream",
        label="Work-stream",
        empty_label="Any",
        help_text="A work-stream's id",
    )
    is_urgent = YesNoFilter(field_name="is_urgent", label="Urgent")
    # For "yes" (or true) only: "no" leaves the list as it is, as the API always answered.
    no_challenge = YesNoFilter(method="filter_no_challenge", label="Approved with no challenge")
    no_engagement_evidence = YesNoFilter(
        method="filter_no_engagement_evidence",
        label="No engagement evidence from expected groups",
        help_text="Went to sign-off with no evidence from a group its work-stream is expected to engage",
    )
    proposed_from = DateFilter(field_name="created_at", lookup_expr="date__gte", label="Proposed from")
    proposed_to = DateFilter(field_name="created_at", lookup_expr="date__lte", label="Proposed to")
    # For the dashboard's figures: decisions made in a period, and urgent ones the board has still to ratify.
    decided_from = DateFilter(field_name="decided_at", lookup_expr="date__gte", label="Last approved or rejected from")
    decided_to = DateFilter(field_name="decided_at", lookup_expr="date__lte", label="Last approved or rejected to")
    awaiting_ratification = YesNoFilter(
        method="filter_awaiting_ratification", label="Urgent, awaiting ratification by the board"
    )

    def workstreams(self):
        return self.in_partnership(workstreams_visible_to(self.user)).order_by("name")

    def readable(self) -> Q:
        """The decisions the reader may read in full: the one rule for every filter that tells of a decision's
        contents (governance.access)."""
        return Q(pk__in=decisions_readable_by(self.user).values("pk"))

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | (Q(title__icontains=value) & self.readable()))

    def filter_workstream(self, queryset, name, value):
        return queryset.filter(Q(workstream=value) & self.readable())

    def filter_no_challenge(self, queryset, name, value):
        return queryset.approved_without_challenge() if value else queryset

    def filter_no_engagement_evidence(self, queryset, name, value):
        # On the register's rows, which carry the flag (selectors.decisions.with_register_columns).
        return queryset.filter(Q(lacks_engagement_evidence=value) & self.readable())

    def filter_awaiting_ratification(self, queryset, name, value):
        return queryset.awaiting_board_ratification() if value else queryset


class DecisionChildFilter(django_filters.FilterSet):
    decision = django_filters.NumberFilter(field_name="decision", label="A decision's id")
    partnership = PartnershipCodeFilter(field_name="decision__partnership", label="Partnership code")


class DeclarationWithdrawalFilter(django_filters.FilterSet):
    decision = django_filters.NumberFilter(field_name="declaration__decision", label="A decision's id")
    partnership = PartnershipCodeFilter(field_name="declaration__decision__partnership", label="Partnership code")


class SignOffFilter(DecisionChildFilter):
    is_current = django_filters.BooleanFilter(
        field_name="superseded_at", lookup_expr="isnull", label="Votes as they stand (not changed since)"
    )


class InterestFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    person = django_filters.NumberFilter(field_name="person", label="A person's id")


# --- The risk register -----------------------------------------------------------------------------------------------

ALL_RISKS = "all"


class RiskFilter(RegisterFilterSet):
    """The risk register's filters. The page shows open risks until asked for closed ones or all (`?status=all`); the
    API lists open and closed alike unless asked."""

    page_filters = (
        "search",
        "status",
        "tier",
        "workstream",
        "domain",
        "band",
        "owner",
        "above_appetite",
        "review_overdue",
        "escalated",
        "likelihood",
        "consequence",
    )
    page_defaults = {"status": RiskStatus.OPEN}

    partnership = PartnershipCodeFilter(field_name="partnership", label=PARTNERSHIP)
    search = django_filters.CharFilter(
        method="filter_search",
        label="Search by reference or title",
        max_length=100,
        help_text="Part of the reference or the title",
    )
    status = OneOrMoreFilter(
        method="filter_status",
        choices=[*RiskStatus.choices, (ALL_RISKS, "Open and closed")],
        empty_label=None,
        label="Status",
    )
    tier = OneOrMoreFilter(field_name="tier", choices=RiskTier.choices, label="Whose risk")
    workstream = ModelChoiceFilter(
        offered="workstreams",
        field_name="workstream",
        label="Work-stream",
        empty_label="Any",
        help_text="A work-stream's id",
    )
    domain = ModelChoiceFilter(
        offered="domains", field_name="domain", label="Domain", empty_label="Any", help_text="A risk domain's id"
    )
    band = OneOrMoreFilter(field_name="band", choices=RiskBand.choices, label="Band now")
    owner = ModelChoiceFilter(
        offered="owners", field_name="owner", label="Owner", empty_label="Anyone", help_text="The owner's id"
    )
    above_appetite = YesNoFilter(field_name="above_appetite", label="Above appetite")
    review_overdue = YesNoFilter(field_name="review_overdue", label="Review overdue")
    # The page's name and the API's for the same filter: the dashboard's links and scripts use each.
    escalated = YesNoFilter(field_name="is_escalated", label="Escalated to the board")
    is_escalated = YesNoFilter(
        field_name="is_escalated", label="Escalated to the board", help_text="Open and at or above the escalation score"
    )
    likelihood = django_filters.ChoiceFilter(
        field_name="current_likelihood",
        choices=[(value, f"{value} {label}") for value, label in Likelihood.choices],
        empty_label="Any",
        label="Likelihood now",
    )
    consequence = django_filters.ChoiceFilter(
        field_name="current_consequence",
        choices=[(value, f"{value} {label}") for value, label in Consequence.choices],
        empty_label="Any",
        label="Consequence now",
    )

    def workstreams(self):
        return self.in_partnership(workstreams_visible_to(self.user)).order_by("name")

    def domains(self):
        visible = risk_domains_visible_to(self.user)
        return visible.for_partnership(self.partnership) if self.partnership else visible

    def owners(self):
        return contributors(self.partnership or partnerships_visible_to(self.user))

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def filter_status(self, queryset, name, value):
        if ALL_RISKS in value:
            return queryset
        return queryset.filter(status__in=value)


class RiskChildFilter(django_filters.FilterSet):
    risk = django_filters.NumberFilter(field_name="risk", label="A risk's id")
    partnership = PartnershipCodeFilter(field_name="risk__partnership", label=PARTNERSHIP)


class RiskDomainFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(
        method="filter_partnership", label="Partnership code: the eight every partnership has, and its own"
    )

    def filter_partnership(self, queryset, name, value):
        return queryset.filter(Q(partnership__isnull=True) | Q(partnership__code=value))
