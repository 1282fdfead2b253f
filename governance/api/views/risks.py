"""The risk API: risks (raise, change, `POST .../close/`), their reviews (POST to review: the score changes and the
history gains a row), the score history, the board's appetite, risk domains, and each partnership's bands and
escalation score (`/api/v1/risk-settings/QZZ/`). And `POST /api/v1/decisions/<id>/dismiss-review/` for the lead.

Flat resources under /api/v1/ filtered by `?partnership=QZZ` (docs/adr/0005-api-conventions.md). Reads go through
`governance.access`, writes through `governance.services`: the same rules, messages and audit trail as the pages.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.views import ServiceViewSet
from partnerships.access import Action, get_partnership_for_user, partnerships_visible_to
from partnerships.api.filters import PartnershipChildFilter
from partnerships.api.views import partnership_named_in_request
from partnerships.selectors.people import person_prefetch

from ...access import (
    RiskAccess,
    decisions_visible_to,
    get_decision_for_user,
    get_risk_appetite_for_user,
    get_risk_for_user,
    risk_appetites_visible_to,
    risk_domains_visible_to,
    risk_reviews_visible_to,
    risk_score_changes_visible_to,
    risks_visible_to,
)
from ...selectors.risks import with_review_suggestion
from ...services import risk_register as register_services
from ...services import risk_reviews
from ...services import risks as services
from ..filters import RiskChildFilter, RiskDomainFilter, RiskFilter
from ..serializers import risks as shapes
from ..serializers.decisions import ReasonInput


class RiskViewSet(ServiceViewSet):
    """Risks in the partnerships you have a role in. Members and above raise them; the owner, the work-stream's group
    and the lead change and close them. The current score changes by a review: POST to /api/v1/risk-reviews/."""

    lookup_value_converter = "int"
    serializer_class = shapes.RiskSerializer
    input_serializer_class = shapes.RiskCreateInput
    update_serializer_class = shapes.RiskInput
    filterset_class = RiskFilter

    def get_queryset(self):
        return (
            risks_visible_to(self.request.user)
            .for_lists()
            # Joined, the people, their organisations, work-streams and organisations took the page's query to
            # thirteen tables: 37 ms to plan and 44 to run at national scale. Fetched apart, about 3 ms in all.
            .select_related(None)
            .select_related("partnership", "domain")
            .prefetch_related(
                person_prefetch("owner"),
                person_prefetch("raised_by"),
                "workstream",
                "organisation",
                "actions",
                "decisions",
            )
            .order_by("partnership__code", "-current_score", "number")
        )

    def get_object(self):
        return get_risk_for_user(
            self.request.user, self.kwargs["pk"], RiskAccess.CHANGE if self.is_write else RiskAccess.VIEW
        )

    def get_input_serializer_class(self):
        if self.action == "close":
            return ReasonInput
        return super().get_input_serializer_class()

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.CONTRIBUTE)

    def create_record(self, data):
        data.pop("partnership")
        return services.risk_raise(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.risk_update(actor=self.request.user, risk=record, **data)

    @extend_schema(request=ReasonInput, responses=shapes.RiskSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the risk, with a reason: its owner, its work-stream's group or the lead."""
        risk = self.get_object()
        services.risk_close(actor=request.user, risk=risk, **self.validated_input())
        return self.answer(risk)


class RiskReviewViewSet(ServiceViewSet):
    """Reviews of risks. POST records a review: its scores become the risk's current score, the score history gains
    a row, the next review is set, and approved decisions linked to a risk that rises above tolerance are flagged."""

    lookup_value_converter = "int"
    serializer_class = shapes.RiskReviewSerializer
    input_serializer_class = shapes.RiskReviewInput
    filterset_class = RiskChildFilter
    http_method_names = ["get", "post", "head"]

    def get_queryset(self):
        return (
            risk_reviews_visible_to(self.request.user)
            .select_related("reviewer__profile__organisation")
            .order_by("-reviewed_on", "-recorded_at", "-pk")
        )

    def get_object(self):
        record = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if record is None:
            raise Http404("Not found.")
        return record

    def create_record(self, data):
        return risk_reviews.risk_review(actor=self.request.user, **data)


class RiskScoreChangeViewSet(ServiceViewSet):
    """Every assessment of every risk's score, newest first: the first when raised, then one per review."""

    lookup_value_converter = "int"
    serializer_class = shapes.RiskScoreChangeSerializer
    filterset_class = RiskChildFilter
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return (
            risk_score_changes_visible_to(self.request.user)
            .select_related("changed_by__profile__organisation")
            .order_by("-changed_on", "-recorded_at", "-pk")
        )

    def get_object(self):
        record = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if record is None:
            raise Http404("Not found.")
        return record


class RiskAppetiteViewSet(ServiceViewSet):
    """The board's appetite in each risk domain. The lead sets it: POST with the partnership and domain (201, or 200
    when it changes one already set), or PATCH one."""

    lookup_value_converter = "int"
    serializer_class = shapes.RiskAppetiteSerializer
    input_serializer_class = shapes.RiskAppetiteCreateInput
    update_serializer_class = shapes.RiskAppetiteInput
    filterset_class = PartnershipChildFilter

    def get_queryset(self):
        return (
            risk_appetites_visible_to(self.request.user)
            .select_related("partnership", "domain", "set_by__profile__organisation")
            .order_by("partnership__code", "domain__position", "domain__name")
        )

    def get_object(self):
        action = Action.MANAGE if self.is_write else Action.VIEW
        return get_risk_appetite_for_user(self.request.user, self.kwargs["pk"], action)

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.MANAGE)

    @extend_schema(
        responses={
            201: shapes.RiskAppetiteSerializer,
            200: OpenApiResponse(shapes.RiskAppetiteSerializer, description="It changed the appetite already set."),
        }
    )
    def create(self, request, *args, **kwargs):
        self.require_one_record()
        self.authorize_create()
        data = self.validated_input()
        data.pop("partnership")
        appetite, created = register_services.risk_appetite_set(
            actor=request.user, partnership=self.partnership, **data
        )
        return self.answer(appetite, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def update_record(self, record, data):
        values = {"level": record.level, "tolerance": record.tolerance, "statement": record.statement, **data}
        appetite, _ = register_services.risk_appetite_set(
            actor=self.request.user, partnership=record.partnership, domain=record.domain, **values
        )
        return appetite


class RiskDomainViewSet(ServiceViewSet):
    """Risk domains: the eight every partnership has (partnership null) and each partnership's own, which its lead
    adds."""

    lookup_value_converter = "int"
    serializer_class = shapes.RiskDomainSerializer
    input_serializer_class = shapes.RiskDomainCreateInput
    filterset_class = RiskDomainFilter
    http_method_names = ["get", "post", "head"]

    def get_queryset(self):
        return (
            risk_domains_visible_to(self.request.user).select_related("partnership").order_by("position", "name", "pk")
        )

    def get_object(self):
        record = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if record is None:
            raise Http404("Not found.")
        return record

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.MANAGE)

    def create_record(self, data):
        data.pop("partnership")
        return register_services.risk_domain_create(actor=self.request.user, partnership=self.partnership, **data)


class RiskSettingsViewSet(ServiceViewSet):
    """Each partnership's bands and escalation score, at /api/v1/risk-settings/<code>/. The lead changes them with
    PATCH; each band runs from the score after the band below it to its highest score."""

    lookup_field = "code"
    lookup_value_converter = "str"
    serializer_class = shapes.RiskSettingsSerializer
    update_serializer_class = shapes.RiskSettingsInput
    http_method_names = ["get", "patch", "head"]

    def get_queryset(self):
        return partnerships_visible_to(self.request.user).select_related("risk_settings").order_by("code")

    def get_object(self):
        partnership = get_partnership_for_user(
            self.request.user, self.kwargs["code"], Action.MANAGE if self.is_write else Action.VIEW
        )
        return self.get_queryset().get(pk=partnership.pk)

    def update_record(self, record, data):
        register_services.risk_settings_update(actor=self.request.user, partnership=record, **data)
        return record

    def answer(self, record, *, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=status_code)


class DecisionReviewDismissView(APIView):
    """The lead records that a decision flagged "review suggested" by a rising risk stands, with a reason."""

    renderer_classes = [renderers.JSONRenderer]

    @extend_schema(
        operation_id="decisions_dismiss_review_create",
        tags=["decisions"],
        request=ReasonInput,
        responses=shapes.DecisionReviewSerializer,
    )
    def post(self, request, pk: int):
        decision = get_decision_for_user(request.user, pk, Action.MANAGE)
        serializer = ReasonInput(data=request.data)
        unknown = sorted(set(request.data) - set(serializer.fields)) if isinstance(request.data, dict) else []
        if unknown:
            raise exceptions.ValidationError({name: ["This field cannot be set here."] for name in unknown})
        serializer.is_valid(raise_exception=True)
        risk_reviews.decision_review_dismiss(actor=request.user, decision=decision, **serializer.validated_data)
        decision = with_review_suggestion(decisions_visible_to(request.user)).get(pk=decision.pk)
        return Response(shapes.DecisionReviewSerializer(decision).data)
