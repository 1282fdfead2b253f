"""The engagement REST API: stakeholder groups, activities (with their documents), "you said, we did" feedback,
expectations and coverage.

Flat resources under /api/v1/, filtered by `?partnership=QZZ`, as in docs/adr/0005-api-conventions.md. Reads go
through `access.py` and `selectors/`, writes through `services.py`: the same rules, messages and audit trail as
the pages.
"""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, parsers, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import ServiceViewSet
from core.http import download
from engagement.api.filters import ActivityFilter, ExpectationFilter, FeedbackFilter, StakeholderGroupFilter
from engagement.selectors.coverage import RAG_RULES, coverage_matrix
from partnerships.access import Action, get_partnership_for_user
from partnerships.api.views import PartnershipChildViewSet, partnership_named_in_request
from workstreams.access import get_workstream_for_user

from .. import services
from ..access import (
    activities_visible_to,
    authorize_expectations,
    expectations_visible_to,
    feedback_visible_to,
    get_activity_document_for_user,
    get_activity_for_user,
    get_expectation_for_user,
    get_feedback_for_user,
    stakeholder_groups_visible_to,
)
from ..selectors.coverage import DEFAULT_PERIOD_DAYS
from . import serializers as shapes


class StakeholderGroupViewSet(ServiceViewSet):
    """The standard stakeholder groups and those of the partnerships you can see. A lead adds their own."""

    http_method_names = ["get", "post", "head"]
    lookup_value_converter = "int"
    serializer_class = shapes.StakeholderGroupSerializer
    input_serializer_class = shapes.StakeholderGroupInput
    filterset_class = StakeholderGroupFilter

    def get_queryset(self):
        return (
            stakeholder_groups_visible_to(self.request.user)
            .select_related("partnership", "parent")
            .order_by("partnership__code", "position", "name", "pk")
        )

    def get_object(self):
        group = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if group is None:
            raise Http404("No such stakeholder group.")
        return group

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.MANAGE)

    def create_record(self, data):
        data.pop("partnership")
        return services.stakeholder_group_add(actor=self.request.user, partnership=self.partnership, **data)


@extend_schema_view(
    create=extend_schema(description="Log an activity (any role but viewer), with the groups it reached."),
    partial_update=extend_schema(description="Correct an activity. `reach`, if given, replaces the groups reached."),
)
class ActivityViewSet(PartnershipChildViewSet):
    """Engagement activities: whom they reached and how many people, and the work-streams they inform."""

    get_for_user = staticmethod(get_activity_for_user)
    serializer_class = shapes.EngagementActivitySerializer
    input_serializer_class = shapes.EngagementActivityCreateInput
    update_serializer_class = shapes.EngagementActivityInput
    filterset_class = ActivityFilter
    write_action = Action.CONTRIBUTE

    def get_queryset(self):
        return (
            activities_visible_to(self.request.user)
            .for_listing()
            .prefetch_related("organisations", "attachments", "logged_by__profile__organisation")
        )

    def create_record(self, data):
        data.pop("partnership")
        return services.activity_log(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.activity_update(actor=self.request.user, activity=record, **data)

    @extend_schema(
        request={"multipart/form-data": shapes.ActivityDocumentInput},
        responses={201: shapes.ActivityDocumentSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="documents",
        filter_backends=[],
        parser_classes=[parsers.MultiPartParser],
    )
    def documents(self, request, pk=None):
        """Attach a document to the activity (any role but viewer): send it as multipart/form-data."""
        activity = get_activity_for_user(request.user, pk, Action.CONTRIBUTE)
        serializer = shapes.ActivityDocumentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.attachment_add(actor=request.user, activity=activity, **serializer.validated_data)
        return Response(
            shapes.ActivityDocumentSerializer(attachment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The document."),
            404: OpenApiResponse(description="No such document on an activity you can see."),
        },
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="documents/<int:document_id>",
        url_name="document",
        filter_backends=[],
        renderer_classes=[renderers.JSONRenderer],
    )
    def document(self, request, pk=None, document_id=None):
        """Download one of the activity's documents: anyone who can see the activity may."""
        attachment = get_activity_document_for_user(request.user, pk, document_id)
        return download(attachment.file, filename=attachment.filename, content_type=attachment.content_type)


@extend_schema_view(create=extend_schema(description='Record a theme heard at an activity ("you said").'))
class FeedbackViewSet(PartnershipChildViewSet):
    """ "You said, we did": themes heard at activities, and the responses to them."""

    http_method_names = ["get", "post", "head"]
    get_for_user = staticmethod(get_feedback_for_user)
    serializer_class = shapes.FeedbackSerializer
    input_serializer_class = shapes.FeedbackCreateInput
    filterset_class = FeedbackFilter
    write_action = Action.CONTRIBUTE

    def get_queryset(self):
        return feedback_visible_to(self.request.user).for_listing().select_related("partnership")

    def get_input_serializer_class(self):
        return shapes.FeedbackResponseInput if self.action == "respond" else super().get_input_serializer_class()

    def authorize_create(self) -> None:
        """A viewer is refused before their input is read; an activity they cannot see is 404."""
        activity_id = self.request.data.get("activity")
        if isinstance(activity_id, int) or (isinstance(activity_id, str) and activity_id.isdigit()):
            get_activity_for_user(self.request.user, int(activity_id), Action.CONTRIBUTE)

    def create_record(self, data):
        return services.feedback_record(actor=self.request.user, **data)

    @extend_schema(request=shapes.FeedbackResponseInput, responses={200: shapes.FeedbackSerializer})
    @action(detail=True, methods=["post"], url_path="respond")
    def respond(self, request, pk=None):
        """Record what was done ("we did"): the response, its outcome, and whether the public page shows it."""
        feedback = self.get_object()
        return self.answer(services.feedback_respond(actor=request.user, feedback=feedback, **self.validated_input()))


@extend_schema_view(
    create=extend_schema(
        description="Expect a work-stream to engage a group at least every so many days (its group or the "
        "partnership lead). Setting it again for the same group changes the interval: 200 instead of 201.",
        responses={
            201: shapes.EngagementExpectationSerializer,
            200: OpenApiResponse(shapes.EngagementExpectationSerializer, description="The interval was changed."),
        },
    ),
    destroy=extend_schema(description="Stop expecting it (the work-stream's group or the partnership lead)."),
)
class ExpectationViewSet(mixins.DestroyModelMixin, ServiceViewSet):
    """How often each work-stream must engage each stakeholder group."""

    http_method_names = ["get", "post", "delete", "head"]
    lookup_value_converter = "int"
    serializer_class = shapes.EngagementExpectationSerializer
    input_serializer_class = shapes.EngagementExpectationInput
    filterset_class = ExpectationFilter

    def get_queryset(self):
        return (
            expectations_visible_to(self.request.user)
            .select_related("partnership", "workstream", "group")
            .order_by("partnership__code", "workstream__name", "group__position", "pk")
        )

    def get_object(self):
        return get_expectation_for_user(self.request.user, self.kwargs["pk"], change=self.is_write)

    def authorize_create(self) -> None:
        workstream_id = self.request.data.get("workstream")
        if isinstance(workstream_id, int) or (isinstance(workstream_id, str) and workstream_id.isdigit()):
            authorize_expectations(self.request.user, get_workstream_for_user(self.request.user, int(workstream_id)))

    def create(self, request, *args, **kwargs):
        self.require_one_record()
        self.authorize_create()
        data = self.validated_input()
        existed = (
            expectations_visible_to(request.user).filter(workstream=data["workstream"], group=data["group"]).exists()
        )
        expectation = services.expectation_set(actor=request.user, **data)
        return self.answer(expectation, status_code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def perform_destroy(self, expectation):
        services.expectation_remove(actor=self.request.user, expectation=expectation)


# --- Coverage --------------------------------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("as_of", OpenApiTypes.DATE, description="The day to rate coverage on; today if left out."),
        OpenApiParameter(
            "period_days",
            OpenApiTypes.INT,
            description=f"Days counted in count_in_period (default {DEFAULT_PERIOD_DAYS}).",
        ),
        OpenApiParameter("workstream", OpenApiTypes.INT, description="Only this work-stream's row."),
    ],
    responses={200: shapes.CoverageSerializer},
)
class CoverageViewSet(viewsets.GenericViewSet):
    """The coverage matrix of a partnership: work-streams × stakeholder groups, rated against the expectations."""

    lookup_field = "code"
    lookup_value_converter = "str"
    renderer_classes = [renderers.JSONRenderer]
    serializer_class = shapes.CoverageSerializer
    pagination_class = None
    filter_backends = []

    def retrieve(self, request, code=None):
        partnership = get_partnership_for_user(request.user, code)
        as_of, period_days, workstream = self._parameters(partnership)
        matrix = coverage_matrix(
            partnership,
            as_of=as_of,
            since=as_of - timedelta(days=period_days),
            workstreams=[workstream] if workstream else None,
        )
        answer = {
            "partnership": partnership.code,
            "as_of": matrix.as_of,
            "since": matrix.since,
            "rules": RAG_RULES,
            "groups": matrix.groups,
            "rows": matrix.rows,
            "gaps": matrix.gaps,
        }
        return Response(shapes.CoverageSerializer(answer).data)

    def _parameters(self, partnership):
        errors, params = {}, self.request.query_params
        as_of = timezone.localdate()
        if params.get("as_of"):
            try:
                as_of = timezone.datetime.fromisoformat(params["as_of"]).date()
            except ValueError:
                errors["as_of"] = ["Enter a date as YYYY-MM-DD."]
        period_days = DEFAULT_PERIOD_DAYS
        if params.get("period_days"):
            if params["period_days"].isdigit() and 1 <= int(params["period_days"]) <= 3650:
                period_days = int(params["period_days"])
            else:
                errors["period_days"] = ["Enter a whole number of days from 1 to 3650."]
        workstream = None
        if params.get("workstream"):
            if params["workstream"].isdigit():
                workstream = partnership.workstreams.filter(pk=params["workstream"]).first()
            if workstream is None:
                errors["workstream"] = ["Give the id of one of this partnership's work-streams."]
        if errors:
            raise exceptions.ValidationError(errors)
        return as_of, period_days, workstream
