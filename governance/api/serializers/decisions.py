"""The shapes of the governance API: what it answers (output) and what it accepts (input).

Outputs hide what the reader may not see: a confidential decision's details for members and viewers, and other
signatories' votes while the partnership hides votes until sign-off closes. Inputs check types and that an id is
one the user may use; the services validate everything else, with the same messages as the pages.
"""

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from core.api.serializers import VisibleIdField
from engagement.access import activities_visible_to, feedback_visible_to
from engagement.models import EngagementActivity, Feedback
from partnerships.access import organisations_visible_to
from partnerships.api.serializers import OrganisationSummarySerializer, PersonSerializer
from partnerships.models import DecisionCategory, Organisation
from workstreams.access import meetings_visible_to, workstreams_visible_to
from workstreams.models import Meeting, WorkStream

from ...access import can_see_details, decisions_readable_by, interests_visible_to
from ...models import (
    Challenge,
    ChallengeKind,
    Decision,
    DecisionDeclaration,
    InterestDeclaration,
    InterestKind,
    Position,
    Ratification,
    RatificationOutcome,
    SignOff,
    SignOffRound,
    Visibility,
    Vote,
)
from .evidence import AnsweredFeedbackSerializer, EvidenceActivitySerializer

REDACTED_TITLE = "Confidential decision"

# --- Outputs ---------------------------------------------------------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = SignOffRound
        fields = ["number", "opened_at", "closes_at", "closed_at", "outcome", "rule", "hide_votes"]


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class DecisionSerializer(serializers.ModelSerializer):
    """A decision. For a reader who may not see a confidential decision, its details are null."""

    partnership = serializers.CharField(source="partnership.code", read_only=True)
    proposer = PersonSerializer(read_only=True, allow_null=True)
    workstream = NamedSerializer(read_only=True, allow_null=True)
    meeting = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    current_round = RoundSerializer(read_only=True, allow_null=True)
    superseded_by = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    organisation_count = serializers.IntegerField(read_only=True, help_text="Organisations it would bind.")
    organisations_bound = serializers.SerializerMethodField(
        help_text="Organisations that approved it, or ratified it at their own board, in the current round."
    )
    organisations_bound_unconfirmed = serializers.SerializerMethodField(
        help_text="Of organisations_bound, those that approved under a delegation their organisation has not confirmed."
    )
    has_challenge = serializers.BooleanField(read_only=True, help_text="Whether any challenge or question is recorded.")
    engagement_activities = EvidenceActivitySerializer(
        many=True, read_only=True, allow_null=True, help_text="The engagement that informs it."
    )
    feedback_addressed = AnsweredFeedbackSerializer(
        many=True, read_only=True, allow_null=True, help_text='What people said ("you said") that it answers.'
    )
    lacks_engagement_evidence = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="True when it went to sign-off with no evidence from a group its work-stream is expected to "
        "engage: a warning, not a bar.",
    )
    is_review_suggested = serializers.BooleanField(
        read_only=True, help_text="True when a linked risk rose above its tolerance after the decision was approved."
    )
    review_suggested_reason = serializers.CharField(
        read_only=True, allow_null=True, help_text="Why a review was suggested (null when confidential to you)."
    )
    is_redacted = serializers.SerializerMethodField(help_text="True when its details are confidential to you.")
    page = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "reference",
            "partnership",
            "title",
            "case",
            "options_considered",
            "reason_for_choice",
            "category",
            "value_pounds",
            "status",
            "proposer",
            "workstream",
            "meeting",
            "review_on",
            "is_urgent",
            "urgent_reason",
            "ratified_at_meeting",
            "visibility",
            "confidential_reason",
            "confidential_review_on",
            "current_round",
            "decided_at",
            "superseded_by",
            "organisation_count",
            "organisations_bound",
            "organisations_bound_unconfirmed",
            "has_challenge",
            "engagement_activities",
            "feedback_addressed",
            "lacks_engagement_evidence",
            "is_review_suggested",
            "review_suggested_reason",
            "created_at",
            "updated_at",
            "is_redacted",
            "page",
        ]

    SECRET_FIELDS = (
        "case",
        "options_considered",
        "reason_for_choice",
        "value_pounds",
        "proposer",
        "workstream",
        "meeting",
        "urgent_reason",
        "organisations_bound",
        "organisations_bound_unconfirmed",
        "has_challenge",
        "engagement_activities",
        "feedback_addressed",
        "lacks_engagement_evidence",
        "review_suggested_reason",
    )

    def get_fields(self):
        fields = super().get_fields()
        for name in self.SECRET_FIELDS:
            fields[name].allow_null = True  # null when redacted (to_representation), so the schema says so
        return fields

    def get_organisations_bound(self, decision) -> int | None:
        if decision.current_round is not None and decision.current_round.votes_hidden:
            return None  # the partnership hides votes until sign-off closes
        return decision.approval_count + decision.ratified_count

    def get_organisations_bound_unconfirmed(self, decision) -> int | None:
        if decision.current_round is not None and decision.current_round.votes_hidden:
            return None
        return decision.unconfirmed_approval_count

    def get_is_redacted(self, decision) -> bool:
        return not can_see_details(self.context["request"].user, decision)

    def get_page(self, decision) -> str:
        return self.context["request"].build_absolute_uri(reverse("governance:decision_detail", args=[decision.pk]))

    def to_representation(self, decision):
        data = super().to_representation(decision)
        if data["is_redacted"]:
            data["title"] = REDACTED_TITLE
            for name in self.SECRET_FIELDS:
                data[name] = None
        return data


class SignOffSerializer(serializers.ModelSerializer):
    """A vote. While the partnership hides votes until sign-off closes, others' `vote` and `comment` are null."""

    round = serializers.IntegerField(source="round.number", read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    signatory = PersonSerializer(read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    vote_hidden = serializers.SerializerMethodField()
    delegation_confirmed = serializers.SerializerMethodField(
        help_text="Whether the organisation has confirmed the delegation the vote was cast under (as it stands now); "
        "null for a vote recorded without one."
    )

    class Meta:
        model = SignOff
        fields = [
            "id",
            "decision",
            "round",
            "organisation",
            "signatory",
            "vote",
            "comment",
            "signed_at",
            "superseded_at",
            "is_current",
            "vote_hidden",
            "delegation_confirmed",
            "second_factor",
        ]
        # Null while hidden (below).
        extra_kwargs = {
            "vote": {"allow_null": True},
            "comment": {"allow_null": True},
            "second_factor": {"read_only": True},
        }

    def get_delegation_confirmed(self, signoff) -> bool | None:
        return None if signoff.delegation is None else signoff.delegation.is_confirmed

    def get_vote_hidden(self, signoff) -> bool:
        return signoff.round.votes_hidden and signoff.signatory_id != self.context["request"].user.pk

    def to_representation(self, signoff):
        data = super().to_representation(signoff)
        if data["vote_hidden"]:
            data["vote"] = data["comment"] = None
        return data


class ChallengeSerializer(serializers.ModelSerializer):
    raised_by = PersonSerializer(read_only=True)
    raised_by_organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)
    responded_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Challenge
        fields = [
            "id",
            "decision",
            "kind",
            "text",
            "raised_by",
            "raised_by_organisation",
            "is_non_executive",
            "raised_at",
            "response",
            "responded_by",
            "responded_at",
        ]


class DeclarationSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = DecisionDeclaration
        fields = [
            "id",
            "decision",
            "person",
            "organisation",
            "position",
            "kind",
            "description",
            "register_entry",
            "updated_at",
        ]


class InterestSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.code", read_only=True)
    person = PersonSerializer(read_only=True)

    class Meta:
        model = InterestDeclaration
        fields = [
            "id",
            "partnership",
            "person",
            "kind",
            "description",
            "valid_from",
            "valid_to",
            "mitigation",
            "updated_at",
        ]


class RatificationSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round.number", read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)

    class Meta:
        model = Ratification
        fields = ["id", "decision", "round", "organisation", "body", "ratified_on", "outcome", "note", "recorded_at"]


# --- Inputs ----------------------------------------------------------------------------------------------------------


def _optional_text():
    return serializers.CharField(required=False, allow_blank=True)


def _optional_date():
    return serializers.DateField(required=False, allow_null=True)


def _decision_id():
    return VisibleIdField(
        visible_to=decisions_readable_by,
        queryset=Decision.objects.all(),
        help_text="The decision's id: one you may read in full.",
    )


class DecisionUpdateInput(serializers.Serializer):
    title = serializers.CharField(required=False)
    case = serializers.CharField(required=False)
    options_considered = _optional_text()
    reason_for_choice = _optional_text()
    category = serializers.ChoiceField(choices=DecisionCategory.choices, required=False)
    value_pounds = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    workstream = VisibleIdField(
        visible_to=workstreams_visible_to, queryset=WorkStream.objects.all(), required=False, allow_null=True
    )
    meeting = VisibleIdField(
        visible_to=meetings_visible_to, queryset=Meeting.objects.all(), required=False, allow_null=True
    )
    bound_organisations = VisibleIdField(
        visible_to=organisations_visible_to,
        queryset=Organisation.objects.all(),
        many=True,
        required=False,
        help_text="Ids of the member organisations it would bind. Left out on a proposal: every full member.",
    )
    engagement_activities = VisibleIdField(
        visible_to=activities_visible_to,
        queryset=EngagementActivity.objects.all(),
        many=True,
        required=False,
        help_text="Ids of the partnership's engagement activities that inform it. Replaces the list; [] removes "
        "every link; left out, the links stay as they are.",
    )
    feedback_addressed = VisibleIdField(
        visible_to=feedback_visible_to,
        queryset=Feedback.objects.all(),
        many=True,
        required=False,
        help_text='Ids of the "you said" items of the partnership that it answers. Replaces the list, as above.',
    )
    review_on = _optional_date()
    is_urgent = serializers.BooleanField(required=False, help_text="The partnership lead only.")
    urgent_reason = _optional_text()
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    confidential_reason = _optional_text()
    confidential_review_on = _optional_date()


class DecisionCreateInput(DecisionUpdateInput):
    partnership = serializers.CharField(help_text="The partnership's 3-character code, like QZZ.")
    title = serializers.CharField()
    case = serializers.CharField()
    category = serializers.ChoiceField(choices=DecisionCategory.choices)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class OpenSignoffInput(serializers.Serializer):
    closes_on = _optional_date()
    reason = _optional_text()


class ReopenInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    closes_on = _optional_date()


class ExtendSignoffInput(serializers.Serializer):
    closes_on = serializers.DateField(help_text="The new closing date: after the current one, within a year.")
    reason = serializers.CharField(allow_blank=True, help_text="Why sign-off is extended.")


class BoardRatificationInput(serializers.Serializer):
    meeting = VisibleIdField(
        visible_to=meetings_visible_to,
        queryset=Meeting.objects.all(),
        help_text="The id of the partnership board's meeting that ratified the urgent decision: held since it was "
        "approved, with its attendance recorded as quorate.",
    )


class SupersedeInput(serializers.Serializer):
    superseded_by = _decision_id()
    reason = serializers.CharField(allow_blank=True)


class SignOffInput(serializers.Serializer):
    decision = _decision_id()
    vote = serializers.ChoiceField(choices=Vote.choices)
    comment = _optional_text()
    declares_no_interest = serializers.BooleanField(
        default=False,
        help_text="True to declare you have no interest. False if you have declared an interest that is not a "
        "conflict.",
    )
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        write_only=True,
        help_text="A code from your authenticator app, or a recovery code: needed when you have a second factor (or "
        "your roles need one) and have not given a code in this session within the last "
        f"{settings.SECOND_FACTOR_STEP_UP_MINUTES} minutes.",
    )


class ChallengeInput(serializers.Serializer):
    decision = _decision_id()
    kind = serializers.ChoiceField(choices=ChallengeKind.choices, default=ChallengeKind.CHALLENGE)
    text = serializers.CharField()


class ResponseInput(serializers.Serializer):
    response = serializers.CharField(allow_blank=True)


class DeclarationInput(serializers.Serializer):
    decision = _decision_id()
    position = serializers.ChoiceField(choices=Position.choices)
    kind = serializers.ChoiceField(choices=InterestKind.choices, required=False, allow_blank=True)
    description = _optional_text()
    register_entry = VisibleIdField(
        visible_to=interests_visible_to, queryset=InterestDeclaration.objects.all(), required=False, allow_null=True
    )


class InterestUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InterestKind.choices, required=False)
    description = serializers.CharField(required=False)
    valid_from = serializers.DateField(required=False)
    valid_to = _optional_date()
    mitigation = _optional_text()


class InterestCreateInput(InterestUpdateInput):
    partnership = serializers.CharField(help_text="The partnership's 3-character code, like QZZ.")
    kind = serializers.ChoiceField(choices=InterestKind.choices)
    description = serializers.CharField()
    valid_from = serializers.DateField()


class RatificationInput(serializers.Serializer):
    decision = _decision_id()
    organisation = VisibleIdField(visible_to=organisations_visible_to, queryset=Organisation.objects.all())
    body = serializers.CharField()
    ratified_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=RatificationOutcome.choices)
    note = _optional_text()
