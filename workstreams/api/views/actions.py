"""The API for actions (with progress notes) and highlight reports."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action

from ... import services
from ...access import (
    Access,
    actions_visible_to,
    get_action_for_user,
    get_agenda_item_for_user,
    get_highlight_report_for_user,
    get_meeting_for_user,
    get_workstream_for_user,
    highlight_reports_visible_to,
)
from ...selectors.workstreams import with_notes
from .. import filters
from ..serializers import inputs
from ..serializers import outputs as shapes
from .base import WorkStreamsViewSet


class ActionViewSet(WorkStreamsViewSet):
    """Actions of work-streams and boards. The group (or for the board, the lead and board members) raises and
    changes them; the owner records progress with `notes` and `complete`."""

    serializer_class = shapes.ActionDetailSerializer
    input_serializer_class = inputs.ActionCreateInput
    update_serializer_class = inputs.ActionInput
    input_serializers = {"notes": inputs.ActionNoteInput, "complete": inputs.ActionNoteInput}
    write_access = {"notes": Access.PROGRESS, "complete": Access.PROGRESS}
    filterset_class = filters.ActionFilter

    def get_serializer_class(self):
        return shapes.ActionSerializer if self.action == "list" else shapes.ActionDetailSerializer

    def get_queryset(self):
        actions = (
            actions_visible_to(self.request.user)
            .select_related("partnership", "owner", "owner_organisation", "raised_by")
            .order_by("due_on", "pk")
        )
        if self.action == "list":
            return actions
        return with_notes(actions)

    def get_object(self):
        return get_action_for_user(self.request.user, self.kwargs["pk"], self.access_needed())

    def authorize_create(self) -> None:
        data = self.request.data
        if data.get("agenda_item") is not None:
            self.record_named_in_request("agenda_item", get_agenda_item_for_user, Access.WRITE, "agenda item")
        elif data.get("meeting") is not None:
            self.record_named_in_request("meeting", get_meeting_for_user, Access.WRITE, "meeting")
        elif data.get("workstream") is not None:
            self.record_named_in_request("workstream", get_workstream_for_user, Access.WRITE, "work-stream")
        else:
            raise exceptions.ValidationError(
                {"workstream": ["Give the work-stream, meeting or agenda item the action belongs to."]}
            )

    def create_record(self, data):
        return services.action_create(actor=self.request.user, **data)

    def update_record(self, record, data):
        return services.action_update(actor=self.request.user, action=record, **data)

    @extend_schema(
        description="Record progress: a note, a new status, or both. The owner may, as may the group.",
        responses={201: shapes.ActionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        record = self.get_object()
        services.action_note_add(actor=request.user, action=record, **self.validated_input())
        return self.answer(record, status_code=status.HTTP_201_CREATED)

    @extend_schema(description="Mark the action done today, with an optional note in `text`.")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        record = self.get_object()
        data = self.validated_input()
        if data.get("status"):
            raise exceptions.ValidationError({"status": ["Completing sets the status: leave it out."]})
        services.action_complete(actor=request.user, action=record, note=data.get("text", ""))
        return self.answer(record)


class HighlightReportViewSet(WorkStreamsViewSet):
    """Work-streams' reports to the board for a period: RAG, progress, risks and issues, asks of the board."""

    serializer_class = shapes.HighlightReportSerializer
    input_serializer_class = inputs.HighlightReportCreateInput
    update_serializer_class = inputs.HighlightReportInput
    filterset_class = filters.HighlightReportFilter

    def get_queryset(self):
        return (
            highlight_reports_visible_to(self.request.user)
            .select_related("partnership", "author")
            .order_by("-period_end", "pk")
        )

    def get_object(self):
        return get_highlight_report_for_user(self.request.user, self.kwargs["pk"], self.access_needed())

    def authorize_create(self) -> None:
        self.record_named_in_request("workstream", get_workstream_for_user, Access.WRITE, "work-stream")

    def create_record(self, data):
        return services.highlight_report_create(actor=self.request.user, **data)

    def update_record(self, record, data):
        return services.highlight_report_update(actor=self.request.user, report=record, **data)
