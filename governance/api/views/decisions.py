"""The governance REST API: decisions and their lifecycle, sign-offs (POST to sign), ratifications, challenges,
declarations on decisions, and registers of interests.

Flat resources under /api/v1/ filtered by `?partnership=QZZ` or `?decision=12` (docs/adr/0005-api-conventions.md).
Reads go through `governance.access`, writes through `governance.services`: the same rules, messages and audit
trail as the pages.
"""

import django_filters
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from core.api.views import ServiceViewSet
from partnerships.access import Action
from partnerships.api.filters import PartnershipCodeFilter
from partnerships.api.views import partnership_named_in_request
from partnerships.models import DecisionCategory

from ... import services
from ...access import (
    decisions_readable_by,
    decisions_visible_to,
    get_challenge_for_user,
    get_decision_for_user,
    get_interest_for_user,
    interests_visible_to,
)
from ...models import Challenge, DecisionDeclaration, DecisionStatus, Ratification, SignOff
from ...selectors.decisions import with_register_columns
from ..serializers import decisions as shapes


class DecisionFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="partnership", label="Partnership code, like QZZ")
    status = django_filters.MultipleChoiceFilter(choices=DecisionStatus.choices)
    category = django_filters.MultipleChoiceFilter(choices=DecisionCategory.choices)
    workstream = django_filters.NumberFilter(method="filter_workstream", label="A work-stream's id")
    is_urgent = django_filters.BooleanFilter()
    no_challenge = django_filters.BooleanFilter(method="filter_no_challenge", label="Approved with no challenge")
    no_engagement_evidence = django_filters.BooleanFilter(
        method="filter_no_engagement_evidence",
        label="Went to sign-off with no evidence from a group its work-stream is expected to engage",
    )
    search = django_filters.CharFilter(method="filter_search", label="Part of the reference or the title")

    def filter_workstream(self, queryset, name, value):
        # The work-stream tells what a confidential decision is about: matched only where the reader may read it.
        readable = decisions_readable_by(self.request.user).values("pk")
        return queryset.filter(workstream_id=value, pk__in=readable)

    def filter_no_challenge(self, queryset, name, value):
        return queryset.filter(status=DecisionStatus.APPROVED, has_challenge=False) if value else queryset

    def filter_no_engagement_evidence(self, queryset, name, value):
        # It tells of the work-stream's expectations: only decisions the reader may read in full are matched.
        readable = decisions_readable_by(self.request.user).values("pk")
        return queryset.filter(lacks_engagement_evidence=value, pk__in=readable)

    def filter_search(self, queryset, name, value):
        # Titles of confidential decisions are searched only where the reader may see them.
        readable = decisions_readable_by(self.request.user).values("pk")
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value, pk__in=readable))


class DecisionViewSet(ServiceViewSet):
    """Decisions in the partnerships you have a role in. Members propose; the proposer edits a draft; the
    lifecycle steps follow the same rules as the pages. Confidential details are null for those who may not
    read them."""

    lookup_value_converter = "int"
    serializer_class = shapes.DecisionSerializer
    input_serializer_class = shapes.DecisionCreateInput
    update_serializer_class = shapes.DecisionUpdateInput
    filterset_class = DecisionFilter
    STEP_INPUTS = {
        "open_for_challenge": None,
        "open_signoff": shapes.OpenSignoffInput,
        "reopen": shapes.ReopenInput,
        "defer": shapes.ReasonInput,
        "withdraw": shapes.ReasonInput,
        "supersede": shapes.SupersedeInput,
    }

    def get_queryset(self):
        return (
            with_register_columns(decisions_visible_to(self.request.user))
            .prefetch_related("engagement_activities", "feedback_addressed")
            .order_by("-year", "-number")
        )

    def get_object(self):
        return get_decision_for_user(
            self.request.user, self.kwargs["pk"], Action.CONTRIBUTE if self.is_write else Action.VIEW
        )

    def get_input_serializer_class(self):
        if self.action in self.STEP_INPUTS:
            return self.STEP_INPUTS[self.action]
        return super().get_input_serializer_class()

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.CONTRIBUTE)

    def create_record(self, data):
        data.pop("partnership")
        return services.decision_propose(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.decision_update(actor=self.request.user, decision=record, **data)

    def _step(self, service):
        decision = self.get_object()
        data = self.validated_input() if self.get_input_serializer_class() else {}
        service(actor=self.request.user, decision=decision, **data)
        return self.answer(decision)

    @extend_schema(request=None, responses=shapes.DecisionSerializer)
    @action(detail=True, methods=["post"], url_path="open-for-challenge")
    def open_for_challenge(self, request, pk=None):
        """Open a draft for challenge: its proposer or the lead."""
        return self._step(services.decision_open_for_challenge)

    @extend_schema(request=shapes.OpenSignoffInput, responses=shapes.DecisionSerializer)
    @action(detail=True, methods=["post"], url_path="open-sign-off")
    def open_signoff(self, request, pk=None):
        """Open sign-off (the lead): signatories are emailed."""
        return self._step(services.decision_open_signoff)

    @extend_schema(request=shapes.ReopenInput, responses=shapes.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen an approved or rejected decision with a reason (the lead): a new sign-off round starts."""
        return self._step(services.decision_reopen)

    @extend_schema(request=shapes.ReasonInput, responses=shapes.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def defer(self, request, pk=None):
        """Defer the decision with a reason (the lead)."""
        return self._step(services.decision_defer)

    @extend_schema(request=shapes.ReasonInput, responses=shapes.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the decision with a reason: its proposer before sign-off, or the lead."""
        return self._step(services.decision_withdraw)

    @extend_schema(request=shapes.SupersedeInput, responses=shapes.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def supersede(self, request, pk=None):
        """Record that a later approved decision supersedes this one (the lead)."""
        return self._step(services.decision_supersede)


class DecisionChildFilter(django_filters.FilterSet):
    decision = django_filters.NumberFilter(field_name="decision", label="A decision's id")
    partnership = PartnershipCodeFilter(field_name="decision__partnership", label="Partnership code")


class SignOffFilter(DecisionChildFilter):
    is_current = django_filters.BooleanFilter(
        field_name="superseded_at", lookup_expr="isnull", label="Votes as they stand (not changed since)"
    )


class DecisionChildViewSet(ServiceViewSet):
    """Records of decisions the user may read in full. Creating one names its decision by id."""

    lookup_value_converter = "int"
    filterset_class = DecisionChildFilter
    model = None
    related = ()

    def get_queryset(self):
        return (
            self.model.objects.filter(decision__in=decisions_readable_by(self.request.user))
            .select_related(*self.related)
            .order_by("-pk")
        )

    def get_object(self):
        record = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if record is None:
            raise Http404("Not found.")
        return record


class SignOffViewSet(DecisionChildViewSet):
    """Every vote, changed ones included. POST to sign for your organisation: approve, reject (with your reasons)
    or abstain; signing again changes your vote and keeps the earlier one."""

    model = SignOff
    related = ("round", "organisation", "signatory__profile__organisation")
    serializer_class = shapes.SignOffSerializer
    input_serializer_class = shapes.SignOffInput
    filterset_class = SignOffFilter

    def create_record(self, data):
        return services.signoff_record(actor=self.request.user, **data)


class RatificationViewSet(DecisionChildViewSet):
    """Ratifications by partner organisations' own boards. The lead records them."""

    model = Ratification
    related = ("round", "organisation")
    serializer_class = shapes.RatificationSerializer
    input_serializer_class = shapes.RatificationInput

    def create_record(self, data):
        return services.ratification_record(actor=self.request.user, **data)


class ChallengeViewSet(DecisionChildViewSet):
    """Challenges and questions on decisions, and the answers."""

    model = Challenge
    related = (
        "raised_by__profile__organisation",
        "raised_by_organisation",
        "responded_by__profile__organisation",
    )
    serializer_class = shapes.ChallengeSerializer
    input_serializer_class = shapes.ChallengeInput

    def get_input_serializer_class(self):
        return shapes.ResponseInput if self.action == "response" else super().get_input_serializer_class()

    def create_record(self, data):
        return services.challenge_raise(actor=self.request.user, **data)

    @extend_schema(request=shapes.ResponseInput, responses=shapes.ChallengeSerializer)
    @action(detail=True, methods=["post"])
    def response(self, request, pk=None):
        """Answer a challenge: the decision's proposer or the lead."""
        challenge = get_challenge_for_user(request.user, self.kwargs["pk"], Action.CONTRIBUTE)
        services.challenge_respond(actor=request.user, challenge=challenge, **self.validated_input())
        return self.answer(challenge)


class DeclarationViewSet(DecisionChildViewSet):
    """What each person declared on a decision: no interest, an interest, or a conflict (recused). POST declares
    or changes your own."""

    model = DecisionDeclaration
    related = ("person__profile__organisation", "organisation")
    serializer_class = shapes.DeclarationSerializer
    input_serializer_class = shapes.DeclarationInput

    def create_record(self, data):
        return services.decision_declare(actor=self.request.user, **data)


class InterestFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="partnership", label="Partnership code, like QZZ")
    person = django_filters.NumberFilter(field_name="person", label="A person's id")


class InterestViewSet(ServiceViewSet):
    """Registers of interests in your partnerships. You add and change your own; the lead may correct any."""

    lookup_value_converter = "int"
    serializer_class = shapes.InterestSerializer
    input_serializer_class = shapes.InterestCreateInput
    update_serializer_class = shapes.InterestUpdateInput
    filterset_class = InterestFilter

    def get_queryset(self):
        return (
            interests_visible_to(self.request.user)
            .select_related("partnership", "person__profile__organisation")
            .order_by("partnership__code", "person__last_name", "-valid_from", "pk")
        )

    def get_object(self):
        return get_interest_for_user(
            self.request.user, self.kwargs["pk"], Action.CONTRIBUTE if self.is_write else Action.VIEW
        )

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.CONTRIBUTE)

    def create_record(self, data):
        data.pop("partnership")
        return services.interest_declare(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.interest_update(actor=self.request.user, entry=record, **data)
