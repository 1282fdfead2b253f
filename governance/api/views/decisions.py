"""The governance REST API: decisions and their lifecycle, sign-offs (POST to sign), ratifications, challenges,
declarations on decisions, and registers of interests.

Flat resources under /api/v1/ filtered by `?partnership=QZZ` or `?decision=12` (docs/adr/0005-api-conventions.md).
Reads go through `governance.access`, writes through `governance.services`: the same rules, messages and audit
trail as the pages.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action

from core import second_factor
from core.api.views import ServiceViewSet
from partnerships.access import Action
from partnerships.api.views import partnership_named_in_request

from ... import services
from ...access import (
    challenges_readable_by,
    decisions_visible_to,
    declarations_readable_by,
    get_challenge_for_user,
    get_decision_for_user,
    get_interest_for_user,
    get_withdrawal_for_user,
    interests_visible_to,
    ratifications_readable_by,
    signoffs_readable_by,
    withdrawals_readable_by,
)
from ...selectors.decisions import with_register_columns
from ...selectors.risks import with_review_suggestion
from ..filters import DecisionChildFilter, DecisionFilter, DeclarationWithdrawalFilter, InterestFilter, SignOffFilter
from ..serializers import decisions as shapes
from ..serializers import declarations as withdrawal_shapes


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
        "extend_signoff": shapes.ExtendSignoffInput,
        "ratify_at_board": shapes.BoardRatificationInput,
    }

    def get_queryset(self):
        return (
            with_review_suggestion(with_register_columns(decisions_visible_to(self.request.user)))
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

    @extend_schema(request=shapes.ExtendSignoffInput, responses=shapes.DecisionSerializer)
    @action(detail=True, methods=["post"], url_path="extend-sign-off")
    def extend_signoff(self, request, pk=None):
        """Give signatories longer, to a later closing date, with a reason (the lead); votes already cast stand."""
        return self._step(services.signoff_extend)

    @extend_schema(request=shapes.BoardRatificationInput, responses=shapes.DecisionSerializer)
    @action(detail=True, methods=["post"], url_path="board-ratification")
    def ratify_at_board(self, request, pk=None):
        """Record that a board meeting ratified an urgent decision taken between meetings (the lead): a meeting of
        the board held since the decision was approved, whose attendance shows it was quorate."""
        return self._step(services.decision_ratify_at_board)


class DecisionChildViewSet(ServiceViewSet):
    """Records of decisions the user may read in full. Creating one names its decision by id."""

    lookup_value_converter = "int"
    filterset_class = DecisionChildFilter
    readable_by = None  # staticmethod(<nouns>_readable_by), from governance.access
    related = ()

    def get_queryset(self):
        return self.readable_by(self.request.user).select_related(*self.related).order_by("-pk")

    def get_object(self):
        record = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if record is None:
            raise Http404("Not found.")
        return record


class SignOffViewSet(DecisionChildViewSet):
    """Every vote, changed ones included. POST to sign for your organisation: approve, reject (with your reasons)
    or abstain; signing again changes your vote and keeps the earlier one."""

    readable_by = staticmethod(signoffs_readable_by)
    related = ("round", "organisation", "signatory__profile__organisation", "delegation")
    serializer_class = shapes.SignOffSerializer
    input_serializer_class = shapes.SignOffInput
    filterset_class = SignOffFilter

    def create_record(self, data):
        """The second factor is proved by a `code` in the body, or else by the session of a browser signed in with
        one."""
        code = data.pop("code", "")
        if code:
            return services.signoff_record_with_code(actor=self.request.user, code=code, **data)
        return services.signoff_record(actor=self.request.user, second_factor=self.session_proof(), **data)

    def session_proof(self) -> second_factor.Proof | None:
        """A token holder proves it with each vote's code; only a session remembers an earlier one."""
        if not isinstance(self.request.successful_authenticator, SessionAuthentication):
            return None
        return second_factor.proof(self.request._request)


class RatificationViewSet(DecisionChildViewSet):
    """Ratifications by partner organisations' own boards. The lead records them."""

    readable_by = staticmethod(ratifications_readable_by)
    related = ("round", "organisation")
    serializer_class = shapes.RatificationSerializer
    input_serializer_class = shapes.RatificationInput

    def create_record(self, data):
        return services.ratification_record(actor=self.request.user, **data)


class ChallengeViewSet(DecisionChildViewSet):
    """Challenges and questions on decisions, and the answers."""

    readable_by = staticmethod(challenges_readable_by)
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

    readable_by = staticmethod(declarations_readable_by)
    related = ("person__profile__organisation", "organisation")
    serializer_class = shapes.DeclarationSerializer
    input_serializer_class = shapes.DeclarationInput

    def create_record(self, data):
        return services.decision_declare(actor=self.request.user, **data)


class DeclarationWithdrawalViewSet(DecisionChildViewSet):
    """Requests to withdraw a declared conflict. POST asks for your own to be withdrawn, with a reason: you stay
    recused until the partnership lead confirms. The lead (never the person who asked) confirms or declines."""

    readable_by = staticmethod(withdrawals_readable_by)
    related = ("declaration__person__profile__organisation", "decided_by__profile__organisation")
    serializer_class = withdrawal_shapes.DeclarationWithdrawalSerializer
    input_serializer_class = withdrawal_shapes.DeclarationWithdrawalInput
    filterset_class = DeclarationWithdrawalFilter

    def get_input_serializer_class(self):
        if self.action in ("confirm", "decline"):
            return withdrawal_shapes.WithdrawalAnswerInput
        return super().get_input_serializer_class()

    def create_record(self, data):
        return services.declaration_withdrawal_request(actor=self.request.user, **data)

    def _answer(self, service):
        withdrawal = get_withdrawal_for_user(self.request.user, self.kwargs["pk"])
        service(actor=self.request.user, withdrawal=withdrawal, **self.validated_input())
        return self.answer(withdrawal)

    @extend_schema(
        request=withdrawal_shapes.WithdrawalAnswerInput, responses=withdrawal_shapes.DeclarationWithdrawalSerializer
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm the withdrawal, with a reason (the partnership lead): the person takes part again."""
        return self._answer(services.declaration_withdrawal_confirm)

    @extend_schema(
        request=withdrawal_shapes.WithdrawalAnswerInput, responses=withdrawal_shapes.DeclarationWithdrawalSerializer
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline the withdrawal, with a reason (the partnership lead): the person stays recused."""
        return self._answer(services.declaration_withdrawal_decline)


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
