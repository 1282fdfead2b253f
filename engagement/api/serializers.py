"""The shapes of the engagement API: what it answers (output) and what it accepts (input).

Outputs show a related record as a small object; inputs name it by id (or a partnership by its code). Inputs check
types and that an id is one the user may use; the services validate everything else, so the pages and the API
refuse the same things with the same messages.
"""

from django.urls import reverse
from rest_framework import serializers

from core.api.serializers import VisibleIdField
from partnerships.access import organisations_visible_to
from partnerships.api.serializers import OrganisationSummarySerializer, PersonSerializer
from partnerships.models import Organisation
from workstreams.access import actions_visible_to, workstreams_visible_to
from workstreams.models import Action, WorkStream

from ..access import activities_visible_to, stakeholder_groups_visible_to
from ..models import (
    ActivityAttachment,
    EngagementActivity,
    EngagementExpectation,
    Feedback,
    FeedbackStatus,
    Level,
    Method,
    StakeholderGroup,
)
from ..selectors.coverage import Rag

PARTNERSHIP_CODE_HELP = "The partnership's 3-character code, like QZZ."


# --- Outputs ---------------------------------------------------------------------------------------------------------


class StakeholderGroupSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = StakeholderGroup
        fields = ["id", "slug", "name"]


class StakeholderGroupSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(
        source="partnership.code", read_only=True, allow_null=True, help_text="Null for the standard groups."
    )
    parent = StakeholderGroupSummarySerializer(
        read_only=True, allow_null=True, help_text="The main group of a sub-group."
    )

    class Meta:
        model = StakeholderGroup
        fields = ["id", "slug", "name", "description", "parent", "partnership"]


class WorkStreamLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkStream
        fields = ["id", "name"]


class GroupReachedSerializer(serializers.Serializer):
    group = StakeholderGroupSummarySerializer(read_only=True)
    people = serializers.IntegerField(source="people_count", read_only=True)


class ActivityDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Download it here, with the same credentials.")

    class Meta:
        model = ActivityAttachment
        fields = ["id", "title", "size", "url"]

    def get_url(self, attachment) -> str:
        url = reverse("api:engagement-activity-document", args=[attachment.activity_id, attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class EngagementActivitySerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.code", read_only=True, help_text=PARTNERSHIP_CODE_HELP)
    method = serializers.ChoiceField(choices=Method.choices, read_only=True)
    level = serializers.ChoiceField(choices=Level.choices, read_only=True)
    reach = GroupReachedSerializer(
        many=True, read_only=True, help_text="The groups reached and how many people from each."
    )
    people_reached = serializers.IntegerField(read_only=True, allow_null=True)
    workstreams = WorkStreamLinkSerializer(many=True, read_only=True)
    organisations = OrganisationSummarySerializer(many=True, read_only=True)
    documents = ActivityDocumentSerializer(source="attachments", many=True, read_only=True)
    logged_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = EngagementActivity
        fields = [
            "id",
            "partnership",
            "held_on",
            "title",
            "method",
            "level",
            "reach",
            "people_reached",
            "workstreams",
            "organisations",
            "reached_seldom_heard",
            "seldom_heard_groups",
            "summary",
            "themes_heard",
            "gunning_formative",
            "gunning_sufficient_information",
            "gunning_adequate_time",
            "gunning_conscientious_consideration",
            "gunning_notes",
            "documents",
            "logged_by",
            "created_at",
            "updated_at",
        ]


class EngagementActivitySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = EngagementActivity
        fields = ["id", "title", "held_on"]


class LinkedActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "description", "due_on", "status"]


class FeedbackSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.code", read_only=True, help_text=PARTNERSHIP_CODE_HELP)
    activity = EngagementActivitySummarySerializer(read_only=True)
    groups = StakeholderGroupSummarySerializer(many=True, read_only=True, help_text="The groups it came from.")
    status = serializers.ChoiceField(choices=FeedbackStatus.choices, read_only=True)
    action = LinkedActionSerializer(read_only=True, allow_null=True, help_text="The action it led to.")

    class Meta:
        model = Feedback
        fields = [
            "id",
            "partnership",
            "activity",
            "theme",
            "detail",
            "groups",
            "response",
            "status",
            "reason",
            "fed_back_on",
            "action",
            "published",
            "responded_at",
            "created_at",
            "updated_at",
        ]


class EngagementExpectationSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.code", read_only=True, help_text=PARTNERSHIP_CODE_HELP)
    workstream = WorkStreamLinkSerializer(read_only=True)
    group = StakeholderGroupSummarySerializer(read_only=True)

    class Meta:
        model = EngagementExpectation
        fields = ["id", "partnership", "workstream", "group", "interval_days", "updated_at"]


# Named CoverageRagEnum in the schema (ENUM_NAME_OVERRIDES): a work-stream's RagEnum has no "none".
COVERAGE_RAG_CHOICES = [(rag.value, rag.label) for rag in Rag]


class CoverageCellSerializer(serializers.Serializer):
    group = serializers.IntegerField(source="group.pk", help_text="The stakeholder group's id.")
    rag = serializers.ChoiceField(choices=COVERAGE_RAG_CHOICES)
    description = serializers.CharField(help_text='In words: "Red: last engaged 152 days ago (expected every 90)".')
    last_engaged = serializers.DateField(allow_null=True)
    days_since = serializers.IntegerField(allow_null=True)
    count_in_period = serializers.IntegerField(help_text="Activities that reached the group from `since` to `as_of`.")
    interval_days = serializers.IntegerField(allow_null=True, help_text="Expected at least every so many days.")
    due_on = serializers.DateField(allow_null=True)


class CoverageRowSerializer(serializers.Serializer):
    workstream = WorkStreamLinkSerializer()
    cells = CoverageCellSerializer(many=True)


class CoverageGapSerializer(CoverageCellSerializer):
    workstream = WorkStreamLinkSerializer()


class CoverageSerializer(serializers.Serializer):
    partnership = serializers.CharField(help_text=PARTNERSHIP_CODE_HELP)
    as_of = serializers.DateField()
    since = serializers.DateField(help_text="The first day counted in `count_in_period`.")
    rules = serializers.CharField(help_text="How red, amber and green are worked out.")
    groups = StakeholderGroupSerializer(many=True)
    rows = CoverageRowSerializer(many=True)
    gaps = CoverageGapSerializer(many=True, help_text="Red cells: never engaged first, then the longest overdue.")


# --- Inputs ----------------------------------------------------------------------------------------------------------


def _group_id(**kwargs):
    return VisibleIdField(visible_to=stakeholder_groups_visible_to, queryset=StakeholderGroup.objects.all(), **kwargs)


def _optional_text():
    return serializers.CharField(required=False, allow_blank=True)


def _yes_no():
    return serializers.BooleanField(required=False, allow_null=True, help_text="For a consultation only.")


class GroupReachedInput(serializers.Serializer):
    group = _group_id()
    people = serializers.IntegerField(help_text="How many people from the group took part: 1 or more.")


class EngagementActivityInput(serializers.Serializer):
    held_on = serializers.DateField(help_text="The day it took place; not in the future.")
    title = serializers.CharField()
    method = serializers.ChoiceField(choices=Method.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    reach = GroupReachedInput(many=True, help_text="Each group reached, once, with its number of people.")
    workstreams = VisibleIdField(
        visible_to=workstreams_visible_to, queryset=WorkStream.objects.all(), many=True, required=False
    )
    organisations = VisibleIdField(
        visible_to=organisations_visible_to, queryset=Organisation.objects.all(), many=True, required=False
    )
    reached_seldom_heard = serializers.BooleanField(required=False)
    seldom_heard_groups = _optional_text()
    summary = _optional_text()
    themes_heard = _optional_text()
    gunning_formative = _yes_no()
    gunning_sufficient_information = _yes_no()
    gunning_adequate_time = _yes_no()
    gunning_conscientious_consideration = _yes_no()
    gunning_notes = _optional_text()

    def validate_reach(self, rows):
        groups = [row["group"] for row in rows]
        if len(set(groups)) != len(groups):
            raise serializers.ValidationError("Give each group once.")
        return {row["group"]: row["people"] for row in rows}


class EngagementActivityCreateInput(EngagementActivityInput):
    partnership = serializers.CharField(help_text=PARTNERSHIP_CODE_HELP)


class ActivityDocumentInput(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, Word, OpenDocument, Excel, PowerPoint or CSV, up to 10 MB.")
    title = serializers.CharField(required=False, allow_blank=True, help_text="Leave it out to use the file's name.")


class FeedbackCreateInput(serializers.Serializer):
    activity = VisibleIdField(visible_to=activities_visible_to, queryset=EngagementActivity.objects.all())
    theme = serializers.CharField(help_text='What people said ("you said"), in a sentence.')
    groups = _group_id(many=True, help_text="The groups it came from: groups the activity reached.")
    detail = _optional_text()


class FeedbackResponseInput(serializers.Serializer):
    response = serializers.CharField(help_text='What was done ("we did").')
    status = serializers.ChoiceField(choices=FeedbackStatus.choices[1:], help_text="Any outcome but open.")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Needed when not taken forward.")
    fed_back_on = serializers.DateField(required=False, allow_null=True)
    action = VisibleIdField(
        visible_to=actions_visible_to,
        queryset=Action.objects.all(),
        required=False,
        allow_null=True,
        help_text="The partnership's action it led to.",
    )
    published = serializers.BooleanField(required=False, help_text="Show it on the partnership's public page.")


class EngagementExpectationInput(serializers.Serializer):
    workstream = VisibleIdField(visible_to=workstreams_visible_to, queryset=WorkStream.objects.all())
    group = _group_id()
    interval_days = serializers.IntegerField(help_text="Engage the group at least every so many days: 7 to 730.")


class StakeholderGroupInput(serializers.Serializer):
    partnership = serializers.CharField(help_text=PARTNERSHIP_CODE_HELP)
    name = serializers.CharField()
    parent = _group_id(required=False, allow_null=True, help_text="A main group, for a sub-group.")
    description = _optional_text()
