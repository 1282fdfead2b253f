"""What the work-streams API accepts. Inputs name records by id, and only ids the user may use
(`VisibleIdField`); they check types only, so the services refuse the same things as on the pages.

An update accepts the fields that may change; a create adds where the record is made (a work-stream, meeting or
agenda item by id, or for the board a partnership by code).
"""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from core.api.serializers import VisibleIdField
from partnerships.access import organisations_visible_to, people_visible_to
from partnerships.models import Organisation

from ...access import agenda_items_visible_to, group_members_visible_to, meetings_visible_to, workstreams_visible_to
from ...models import (
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    AttendanceStatus,
    GroupMember,
    GroupRole,
    Meeting,
    MeetingStatus,
    Rag,
    WorkStream,
    WorkStreamStatus,
)
from .fields import NamedChoiceField

User = get_user_model()
PARTNERSHIP_HELP = "The partnership's 3-character code, like QZZ."


def _rag(**kwargs):
    return NamedChoiceField(Rag, enum_name="RagEnum", **kwargs)


def _person_id(**kwargs):
    return VisibleIdField(visible_to=people_visible_to, queryset=User.objects.all(), **kwargs)


def _organisation_id(**kwargs):
    return VisibleIdField(visible_to=organisations_visible_to, queryset=Organisation.objects.all(), **kwargs)


def _text(**kwargs):
    return serializers.CharField(allow_blank=True, trim_whitespace=False, **kwargs)


def _workstream_id(**kwargs):
    return VisibleIdField(visible_to=workstreams_visible_to, queryset=WorkStream.objects.all(), **kwargs)


class WorkStreamInput(serializers.Serializer):
    name = serializers.CharField()
    priority_area = _text(required=False)
    purpose = serializers.CharField()
    scope = _text(required=False)
    expected_benefits = _text(required=False)
    resources = _text(required=False)
    lead = _person_id(help_text="Joins the group as its lead.")
    senior_responsible_owner = _person_id(required=False, allow_null=True)
    clinical_lead = _person_id(required=False, allow_null=True)


class WorkStreamCreateInput(WorkStreamInput):
    partnership = serializers.CharField(help_text=PARTNERSHIP_HELP)


class WorkStreamStatusInput(serializers.Serializer):
    status = NamedChoiceField(WorkStreamStatus, enum_name="WorkStreamStatusEnum")
    reason = serializers.CharField(help_text="Why: kept in the work-stream's history.")


class RagInput(serializers.Serializer):
    rag = _rag()
    reason = serializers.CharField()


class QuorumInput(serializers.Serializer):
    quorum_minimum = serializers.IntegerField(required=False, allow_null=True)
    quorum_percentage = serializers.IntegerField(required=False, allow_null=True)
    quorum_needs_clinician = serializers.BooleanField(required=False)
    quorum_needs_non_executive = serializers.BooleanField(required=False)


class GroupMemberInput(serializers.Serializer):
    role = NamedChoiceField(GroupRole, enum_name="GroupRoleEnum")
    organisation = _organisation_id(
        required=False, allow_null=True, help_text="Whom they represent; leave it out for their own organisation."
    )
    deputy_for = VisibleIdField(
        visible_to=group_members_visible_to,
        queryset=GroupMember.objects.all(),
        required=False,
        allow_null=True,
        help_text="For a deputy: the id of the group member they stand in for.",
    )
    is_clinician = serializers.BooleanField(required=False, help_text="Left out: from the person's profile.")
    is_non_executive = serializers.BooleanField(required=False, help_text="Left out: from their partnership roles.")


class GroupMemberCreateInput(GroupMemberInput):
    workstream = _workstream_id()
    person = _person_id()


class GroupMemberLeaveInput(serializers.Serializer):
    left_on = serializers.DateField(required=False, help_text="Left out: today.")


class MeetingInput(serializers.Serializer):
    title = _text(required=False, help_text="Left out: named after the group.")
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(required=False)
    place = _text(required=False)
    link = _text(required=False)


class MeetingCreateInput(MeetingInput):
    workstream = _workstream_id(required=False, help_text="The group meeting; leave it out for a board meeting.")
    partnership = serializers.CharField(required=False, help_text="For a board meeting: " + PARTNERSHIP_HELP)


class MeetingStatusInput(serializers.Serializer):
    status = NamedChoiceField(MeetingStatus, enum_name="MeetingStatusEnum")
    reason = _text(required=False)


class AttendanceLineInput(serializers.Serializer):
    person = serializers.IntegerField(help_text="A person's id: a member of the group (for the board, a board member).")
    status = NamedChoiceField(AttendanceStatus, enum_name="AttendanceStatusEnum")
    deputy_for = serializers.IntegerField(
        required=False, allow_null=True, help_text="For a deputy who came: the id of the member they stood in for."
    )


class AttendanceInput(serializers.Serializer):
    attendance = AttendanceLineInput(many=True, help_text="Everyone recorded; it replaces what was recorded before.")


class MinutesItemInput(serializers.Serializer):
    agenda_item = serializers.IntegerField()
    minutes = _text(max_length=20000)


class MinutesInput(serializers.Serializer):
    items = MinutesItemInput(many=True, help_text="The minutes of each agenda item, by its id.")
    amendment_reason = _text(
        required=False, help_text="Required once the minutes are approved: the change becomes a new version."
    )


class AgendaItemInput(serializers.Serializer):
    title = serializers.CharField()
    purpose = NamedChoiceField(AgendaPurpose, enum_name="AgendaPurposeEnum")
    presenter = _person_id(required=False, allow_null=True)
    description = _text(required=False)


class AgendaItemCreateInput(AgendaItemInput):
    meeting = VisibleIdField(visible_to=meetings_visible_to, queryset=Meeting.objects.all())


class PaperCreateInput(serializers.Serializer):
    agenda_item = VisibleIdField(visible_to=agenda_items_visible_to, queryset=AgendaItem.objects.all())
    title = _text(required=False, help_text="Left out: the file's name.")
    document = serializers.FileField(help_text="PDF, Word, Excel, PowerPoint or OpenDocument, up to 20 MB.")


class ActionInput(serializers.Serializer):
    description = serializers.CharField()
    owner = _person_id()
    owner_organisation = _organisation_id(required=False, allow_null=True, help_text="Left out: the owner's own.")
    due_on = serializers.DateField()


class ActionCreateInput(ActionInput):
    workstream = _workstream_id(required=False, help_text="For an action raised on its own.")
    meeting = VisibleIdField(
        visible_to=meetings_visible_to, queryset=Meeting.objects.all(), required=False, help_text="Where it arose."
    )
    agenda_item = VisibleIdField(visible_to=agenda_items_visible_to, queryset=AgendaItem.objects.all(), required=False)


class ActionNoteInput(serializers.Serializer):
    text = _text(required=False, help_text="What has happened.")
    status = NamedChoiceField(ActionStatus, enum_name="ActionStatusEnum", required=False, allow_blank=True)


class HighlightReportInput(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    rag = _rag()
    progress = serializers.CharField()
    risks_and_issues = _text(required=False)
    asks_of_board = _text(required=False)


class HighlightReportCreateInput(HighlightReportInput):
    workstream = _workstream_id()
