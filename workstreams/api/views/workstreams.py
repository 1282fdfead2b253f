"""The API for work-streams and the seats of their leadership groups."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from partnerships.access import Action as PartnershipAction
from partnerships.api.views import partnership_named_in_request

from ... import services
from ...access import (
    Access,
    get_group_member_for_user,
    get_workstream_for_user,
    group_members_visible_to,
    workstreams_visible_to,
)
from .. import filters
from ..serializers import inputs
from ..serializers import outputs as shapes
from .base import WorkStreamsViewSet


class WorkStreamViewSet(WorkStreamsViewSet):
    """The work-streams of the partnerships you can see. Anyone who contributes proposes one; its lead or deputy
    (or the partnership lead) changes its details and quorum rule; acceptance is the partnership lead's."""

    serializer_class = shapes.WorkStreamSerializer
    input_serializer_class = inputs.WorkStreamCreateInput
    update_serializer_class = inputs.WorkStreamInput
    input_serializers = {
        "change_status": inputs.WorkStreamStatusInput,
        "rate": inputs.RagInput,
        "quorum": inputs.QuorumInput,
    }
    write_access = {"partial_update": Access.LEAD, "quorum": Access.LEAD}
    filterset_class = filters.WorkStreamFilter

    def get_queryset(self):
        return (
            workstreams_visible_to(self.request.user)
            .select_related("partnership", "lead", "senior_responsible_owner", "clinical_lead")
            .order_by("partnership__name", "name", "pk")
        )

    def get_object(self):
        return get_workstream_for_user(self.request.user, self.kwargs["pk"], self.access_needed())

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, PartnershipAction.CONTRIBUTE)

    def create_record(self, data):
        data.pop("partnership")
        return services.workstream_propose(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.workstream_update(actor=self.request.user, workstream=record, **data)

    @extend_schema(
        description="Move the work-stream to a new status, saying why. Accepting a proposal, and "
        "closing, are the partnership lead's."
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def change_status(self, request, pk=None):
        workstream = self.get_object()
        services.workstream_change_status(actor=request.user, workstream=workstream, **self.validated_input())
        return self.answer(workstream)

    @extend_schema(description="Rate the work-stream red, amber or green, saying why.")
    @action(detail=True, methods=["post"], url_path="rag", url_name="rag")
    def rate(self, request, pk=None):
        workstream = self.get_object()
        services.workstream_set_rag(actor=request.user, workstream=workstream, **self.validated_input())
        return self.answer(workstream)

    @extend_schema(description="Set how many of the group, and who, make a meeting quorate.")
    @action(detail=True, methods=["post"])
    def quorum(self, request, pk=None):
        workstream = self.get_object()
        services.workstream_quorum_update(actor=request.user, workstream=workstream, **self.validated_input())
        return self.answer(workstream)


class GroupMemberViewSet(WorkStreamsViewSet):
    """Seats in work-stream leadership groups. The group's lead or deputy (or the partnership lead) adds, changes
    and ends them; a seat ends with a date (`leave`), so past groups stay on record."""

    serializer_class = shapes.GroupMemberSerializer
    input_serializer_class = inputs.GroupMemberCreateInput
    update_serializer_class = inputs.GroupMemberInput
    input_serializers = {"leave": inputs.GroupMemberLeaveInput}
    write_access = {"partial_update": Access.LEAD, "leave": Access.LEAD}
    filterset_class = filters.GroupMemberFilter

    def get_queryset(self):
        return (
            group_members_visible_to(self.request.user)
            .select_related("user", "organisation")
            .order_by("workstream_id", "role", "user__last_name", "user__first_name", "pk")
        )

    def get_object(self):
        return get_group_member_for_user(self.request.user, self.kwargs["pk"], self.access_needed())

    def authorize_create(self) -> None:
        self.workstream = self.record_named_in_request(
            "workstream", get_workstream_for_user, Access.LEAD, "work-stream"
        )

    def create_record(self, data):
        data.pop("workstream")
        return services.group_member_add(
            actor=self.request.user, workstream=self.workstream, user=data.pop("person"), **data
        )

    def update_record(self, record, data):
        return services.group_member_update(actor=self.request.user, member=record, **data)

    @extend_schema(description="Record that the person left the group (today unless `left_on` says otherwise).")
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        member = self.get_object()
        services.group_member_remove(actor=request.user, member=member, **self.validated_input())
        return self.answer(member)
