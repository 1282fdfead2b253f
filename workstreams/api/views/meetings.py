"""The API for meetings (with agenda, attendance and minutes), agenda items and papers."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers
from rest_framework.decorators import action

from core.http import download
from partnerships.access import Action as PartnershipAction
from partnerships.access import people_visible_to
from partnerships.api.views import partnership_named_in_request

from ... import services
from ...access import (
    Access,
    agenda_items_visible_to,
    authorize_board,
    get_agenda_item_for_user,
    get_meeting_for_user,
    get_paper_for_user,
    get_workstream_for_user,
    meetings_visible_to,
    papers_visible_to,
)
from ...selectors.workstreams import with_agenda_attendance_and_minutes, with_papers
from .. import filters
from ..serializers import inputs
from ..serializers import outputs as shapes
from .base import WorkStreamsViewSet


class MeetingViewSet(WorkStreamsViewSet):
    """Meetings of work-stream groups and (with no work-stream) of partnership boards. A meeting's detail has its
    agenda with each item's minutes and papers, its attendance, and the approved versions of its minutes."""

    serializer_class = shapes.MeetingDetailSerializer
    input_serializer_class = inputs.MeetingCreateInput
    update_serializer_class = inputs.MeetingInput
    input_serializers = {
        "change_status": inputs.MeetingStatusInput,
        "attendance": inputs.AttendanceInput,
        "minutes": inputs.MinutesInput,
    }
    filterset_class = filters.MeetingFilter

    def get_serializer_class(self):
        return shapes.MeetingSerializer if self.action == "list" else shapes.MeetingDetailSerializer

    def get_queryset(self):
        meetings = meetings_visible_to(self.request.user).select_related("partnership").order_by("-starts_at", "-pk")
        if self.action == "list":
            return meetings
        return with_agenda_attendance_and_minutes(meetings)

    def get_object(self):
        return get_meeting_for_user(self.request.user, self.kwargs["pk"], self.access_needed())

    def authorize_create(self) -> None:
        self.workstream = self.partnership = None
        if self.request.data.get("workstream") is not None:
            self.workstream = self.record_named_in_request(
                "workstream", get_workstream_for_user, Access.WRITE, "work-stream"
            )
        else:
            self.partnership = partnership_named_in_request(self.request, PartnershipAction.VIEW)
            authorize_board(self.request.user, self.partnership, Access.WRITE)

    def create_record(self, data):
        data.pop("workstream", None)
        data.pop("partnership", None)
        return services.meeting_create(
            actor=self.request.user, workstream=self.workstream, partnership=self.partnership, **data
        )

    def update_record(self, record, data):
        return services.meeting_update(actor=self.request.user, meeting=record, **data)

    @extend_schema(
        description="Mark the meeting held, cancel it or reinstate it. Minutes are approved with `approve-minutes`."
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def change_status(self, request, pk=None):
        meeting = self.get_object()
        services.meeting_change_status(actor=request.user, meeting=meeting, **self.validated_input())
        return self.answer(meeting)

    @extend_schema(
        description="Record who came, replacing what was recorded before; the answer shows whether the "
        "meeting was quorate and why."
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        lines = self.validated_input()["attendance"]
        people = self.people_named(lines)
        services.attendance_record(
            actor=request.user,
            meeting=meeting,
            lines=[
                services.AttendanceLine(
                    people[line["person"]],
                    line["status"],
                    people.get(line.get("deputy_for")) if line.get("deputy_for") else None,
                )
                for line in lines
            ],
        )
        return self.answer(meeting)

    def people_named(self, lines) -> dict:
        """The people the lines name, by id: only people the user can see, so an id reveals no one else."""
        ids = {line["person"] for line in lines} | {line["deputy_for"] for line in lines if line.get("deputy_for")}
        people = {user.pk: user for user in people_visible_to(self.request.user).filter(pk__in=ids)}
        unknown = sorted(ids - set(people))
        if unknown:
            raise exceptions.ValidationError(
                {"attendance": [f'There is no person with id "{pk}" that you can use here.' for pk in unknown]}
            )
        return people

    @extend_schema(
        description="Write the minutes of each agenda item. Once approved, a change needs "
        "`amendment_reason` and becomes a new version; the approved one is kept."
    )
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        meeting = self.get_object()
        data = self.validated_input()
        services.minutes_record(
            actor=request.user,
            meeting=meeting,
            minutes={item["agenda_item"]: item["minutes"] for item in data["items"]},
            amendment_reason=data.get("amendment_reason", ""),
        )
        return self.answer(meeting)

    @extend_schema(request=None, description="Approve the draft minutes: they become version 1 and are locked.")
    @action(detail=True, methods=["post"], url_path="approve-minutes", url_name="approve-minutes")
    def approve_minutes(self, request, pk=None):
        meeting = self.get_object()
        services.minutes_approve(actor=request.user, meeting=meeting)
        return self.answer(meeting)


class AgendaItemViewSet(WorkStreamsViewSet):
    """Items on meetings' agendas, in order, with their purpose, presenter, papers and minutes. Minutes are
    written through the meeting's `minutes`, papers through `papers`."""

    serializer_class = shapes.AgendaItemSerializer
    input_serializer_class = inputs.AgendaItemCreateInput
    update_serializer_class = inputs.AgendaItemInput
    filterset_class = filters.AgendaItemFilter

    def get_queryset(self):
        return with_papers(agenda_items_visible_to(self.request.user).select_related("presenter")).order_by(
            "meeting_id", "position"
        )

    def get_object(self):
        return get_agenda_item_for_user(self.request.user, self.kwargs["pk"], self.access_needed())

    def authorize_create(self) -> None:
        self.meeting = self.record_named_in_request("meeting", get_meeting_for_user, Access.WRITE, "meeting")

    def create_record(self, data):
        data.pop("meeting")
        return services.agenda_item_add(actor=self.request.user, meeting=self.meeting, **data)

    def update_record(self, record, data):
        return services.agenda_item_update(actor=self.request.user, item=record, **data)


class PaperViewSet(WorkStreamsViewSet):
    """Papers attached to agenda items. Upload one as multipart/form-data; download it from `document`."""

    http_method_names = ["get", "post", "head"]
    parser_classes = [parsers.MultiPartParser]
    serializer_class = shapes.PaperSerializer
    input_serializer_class = inputs.PaperCreateInput
    filterset_class = filters.PaperFilter

    def get_queryset(self):
        return (
            papers_visible_to(self.request.user).select_related("uploaded_by").order_by("agenda_item_id", "title", "pk")
        )

    def get_object(self):
        return get_paper_for_user(self.request.user, self.kwargs["pk"])

    def authorize_create(self) -> None:
        self.item = self.record_named_in_request("agenda_item", get_agenda_item_for_user, Access.WRITE, "agenda item")

    def create_record(self, data):
        return services.paper_add(
            actor=self.request.user, item=self.item, title=data.get("title", ""), file=data["document"]
        )

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The paper."),
            404: OpenApiResponse(description="No such paper that you can see."),
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="document", filter_backends=[])
    def document(self, request, pk=None):
        """Download the paper: anyone who can see its meeting may."""
        paper = self.get_object()
        return download(paper.file, filename=paper.filename, content_type=paper.content_type)
