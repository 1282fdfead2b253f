"""What the work-streams API answers: people and organisations as small objects, the partnership as its code,
choices as their values (each choice set a named schema component). Inputs are in inputs.py."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnerships.api.serializers import DocumentSerializer, OrganisationSummarySerializer

from ...models import (
    Action,
    ActionNote,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    Attendance,
    AttendanceStatus,
    GroupMember,
    GroupRole,
    HighlightReport,
    Meeting,
    MeetingStatus,
    MinutesVersion,
    Paper,
    Rag,
    WorkStream,
    WorkStreamStatus,
)
from .fields import NamedChoiceField, PersonSummarySerializer

PARTNERSHIP_HELP = "The partnership's 3-character code, like QZZ."


def _partnership():
    return serializers.CharField(source="partnership.code", read_only=True, help_text=PARTNERSHIP_HELP)


def _person(**kwargs):
    return PersonSummarySerializer(read_only=True, **kwargs)


def _rag(**kwargs):
    return NamedChoiceField(Rag, enum_name="RagEnum", **kwargs)


# --- Outputs -------------------------------------------------------------------------------------------------------


class QuorumRuleSerializer(serializers.Serializer):
    minimum = serializers.IntegerField(source="quorum_minimum", allow_null=True)
    percentage = serializers.IntegerField(source="quorum_percentage", allow_null=True)
    needs_clinician = serializers.BooleanField(source="quorum_needs_clinician")
    needs_non_executive = serializers.BooleanField(source="quorum_needs_non_executive")
    description = serializers.CharField(source="quorum_description", help_text="The rule in words.")


class WorkStreamSerializer(serializers.ModelSerializer):
    partnership = _partnership()
    lead = _person(allow_null=True)
    senior_responsible_owner = _person(allow_null=True)
    clinical_lead = _person(allow_null=True)
    status = NamedChoiceField(WorkStreamStatus, enum_name="WorkStreamStatusEnum", read_only=True)
    rag = _rag(read_only=True, allow_blank=True, help_text="Empty until the work-stream is first rated.")
    quorum = QuorumRuleSerializer(source="*", read_only=True)

    class Meta:
        model = WorkStream
        fields = [
            "id",
            "partnership",
            "name",
            "priority_area",
            "purpose",
            "scope",
            "expected_benefits",
            "resources",
            "lead",
            "senior_responsible_owner",
            "clinical_lead",
            "status",
            "status_changed_at",
            "rag",
            "rag_reason",
            "rag_set_on",
            "quorum",
            "updated_at",
        ]


class GroupMemberSerializer(serializers.ModelSerializer):
    person = _person(source="user")
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)
    role = NamedChoiceField(GroupRole, enum_name="GroupRoleEnum", read_only=True)
    deputy_for = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="For a deputy: the id of the group member they stand in for."
    )
    is_current = serializers.SerializerMethodField(help_text="In the group today.")

    class Meta:
        model = GroupMember
        fields = [
            "id",
            "workstream",
            "person",
            "organisation",
            "role",
            "deputy_for",
            "is_clinician",
            "is_non_executive",
            "joined_on",
            "left_on",
            "is_current",
            "updated_at",
        ]

    def get_is_current(self, member) -> bool:
        today = timezone.localdate()
        return member.joined_on <= today and (member.left_on is None or member.left_on > today)


class PaperSerializer(serializers.ModelSerializer):
    document = serializers.SerializerMethodField()
    uploaded_by = _person(allow_null=True)

    class Meta:
        model = Paper
        fields = ["id", "agenda_item", "title", "document", "uploaded_by", "created_at", "updated_at"]

    @extend_schema_field(DocumentSerializer)
    def get_document(self, paper) -> dict:
        url = reverse("api:paper-document", args=[paper.pk])
        request = self.context.get("request")
        return {
            "filename": paper.filename,
            "size": paper.size,
            "url": request.build_absolute_uri(url) if request else url,
        }


class AgendaItemSerializer(serializers.ModelSerializer):
    purpose = NamedChoiceField(AgendaPurpose, enum_name="AgendaPurposeEnum", read_only=True)
    presenter = _person(allow_null=True)
    papers = PaperSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "position",
            "title",
            "purpose",
            "presenter",
            "description",
            "minutes",
            "papers",
            "updated_at",
        ]


class AttendanceSerializer(serializers.ModelSerializer):
    person = _person(source="user")
    status = NamedChoiceField(AttendanceStatus, enum_name="AttendanceStatusEnum", read_only=True)
    deputy_for = _person(allow_null=True, help_text="The member this person stood in for.")
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Attendance
        fields = ["person", "status", "deputy_for", "organisation"]


class MinutesItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    title = serializers.CharField()
    purpose = serializers.CharField()
    minutes = serializers.CharField()


class MinutesVersionSerializer(serializers.ModelSerializer):
    approved_by = _person(allow_null=True)
    items = MinutesItemSerializer(many=True, read_only=True, help_text="Each agenda item's minutes, as approved.")

    class Meta:
        model = MinutesVersion
        fields = ["number", "approved_at", "approved_by", "amendment_reason", "items"]


class MeetingSerializer(serializers.ModelSerializer):
    partnership = _partnership()
    workstream = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Null for a board meeting."
    )
    is_board_meeting = serializers.BooleanField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    status = NamedChoiceField(MeetingStatus, enum_name="MeetingStatusEnum", read_only=True)
    quorate = serializers.BooleanField(read_only=True, allow_null=True, help_text="Empty until attendance is recorded.")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "partnership",
            "workstream",
            "is_board_meeting",
            "title",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "place",
            "link",
            "status",
            "quorate",
            "quorum_explanation",
            "updated_at",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with its agenda (and the minutes of each item), attendance and approved versions of the minutes."""

    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    minutes_versions = MinutesVersionSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "agenda", "attendance", "minutes_versions"]


class ActionNoteSerializer(serializers.ModelSerializer):
    author = _person(allow_null=True)
    from_status = NamedChoiceField(ActionStatus, enum_name="ActionStatusEnum", read_only=True, allow_blank=True)
    to_status = NamedChoiceField(ActionStatus, enum_name="ActionStatusEnum", read_only=True, allow_blank=True)

    class Meta:
        model = ActionNote
        fields = ["id", "written_on", "author", "text", "from_status", "to_status", "created_at"]


class ActionSerializer(serializers.ModelSerializer):
    partnership = _partnership()
    workstream = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Null for a board action."
    )
    owner = _person()
    owner_organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)
    status = NamedChoiceField(ActionStatus, enum_name="ActionStatusEnum", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, help_text="Open or in progress, and past its due date.")
    raised_by = _person(allow_null=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "partnership",
            "workstream",
            "meeting",
            "agenda_item",
            "description",
            "owner",
            "owner_organisation",
            "due_on",
            "status",
            "completed_on",
            "is_overdue",
            "raised_by",
            "created_at",
            "updated_at",
        ]


class ActionDetailSerializer(ActionSerializer):
    notes = ActionNoteSerializer(many=True, read_only=True, help_text="Progress notes, newest first.")

    class Meta(ActionSerializer.Meta):
        fields = [*ActionSerializer.Meta.fields, "notes"]


class HighlightReportSerializer(serializers.ModelSerializer):
    partnership = _partnership()
    rag = _rag(read_only=True)
    author = _person(allow_null=True)

    class Meta:
        model = HighlightReport
        fields = [
            "id",
            "partnership",
            "workstream",
            "period_start",
            "period_end",
            "rag",
            "progress",
            "risks_and_issues",
            "asks_of_board",
            "author",
            "updated_at",
        ]
