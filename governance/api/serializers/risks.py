"""The shapes of the risk API: what it answers (output) and what it accepts (input).

Inputs check types, ranges and that an id is one the user may use, with messages that say what is wanted ("The
likelihood must be a whole number from 1 (rare) to 5 (almost certain)."); the services validate everything else,
with the same messages as the pages.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import VisibleIdField
from partnerships.access import organisations_visible_to, people_visible_to
from partnerships.api.serializers import OrganisationSummarySerializer, PersonSerializer
from partnerships.models import Organisation
from workstreams.access import actions_visible_to, workstreams_visible_to
from workstreams.models import Action, WorkStream

from ...access import decisions_visible_to, risk_domains_visible_to, risks_visible_to
from ...models import (
    AppetiteLevel,
    Decision,
    ReviewFrequency,
    Risk,
    RiskAppetite,
    RiskBand,
    RiskDomain,
    RiskReview,
    RiskScoreChange,
    RiskSettings,
    RiskSource,
    RiskTier,
    Trend,
)
from .decisions import NamedSerializer

User = get_user_model()
LIKELIHOOD = "The likelihood must be a whole number from 1 (rare) to 5 (almost certain)."
CONSEQUENCE = "The consequence must be a whole number from 1 (negligible) to 5 (catastrophic)."


# --- Outputs ---------------------------------------------------------------------------------------------------------


class RiskDomainSerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Null for the domains every partnership has."
    )
    is_default = serializers.BooleanField(read_only=True)

    class Meta:
        model = RiskDomain
        fields = ["id", "name", "description", "partnership", "is_default"]


class RiskSerializer(serializers.ModelSerializer):
    """A risk, with what the register works out from its score on the day: band, trend, appetite, escalation."""

    partnership = serializers.CharField(source="partnership.code", read_only=True)
    domain = NamedSerializer(read_only=True)
    workstream = NamedSerializer(read_only=True, allow_null=True)
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)
    owner = PersonSerializer(read_only=True)
    raised_by = PersonSerializer(read_only=True, allow_null=True)
    band = serializers.ChoiceField(choices=RiskBand.choices, read_only=True, help_text="The band of the score now.")
    trend = serializers.ChoiceField(
        choices=Trend.choices, read_only=True, help_text="The score now against the score 90 days ago."
    )
    score_90_days_ago = serializers.IntegerField(
        source="score_then", read_only=True, help_text="Or, for a younger risk, its score when raised."
    )
    tolerance = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The board's tolerance for its domain; null if not set."
    )
    above_appetite = serializers.BooleanField(read_only=True)
    escalation_score = serializers.IntegerField(read_only=True)
    is_escalated = serializers.BooleanField(read_only=True, help_text="Open, and at or above the escalation score.")
    review_overdue = serializers.BooleanField(read_only=True)
    actions = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Mitigating actions' ids.")
    decisions = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Linked decisions' ids.")
    page = serializers.SerializerMethodField()

    class Meta:
        model = Risk
        fields = [
            "id",
            "reference",
            "partnership",
            "title",
            "cause",
            "event",
            "effect",
            "domain",
            "source",
            "tier",
            "workstream",
            "organisation",
            "owner",
            "overseen_by",
            "objective",
            "controls",
            "assurances",
            "control_gaps",
            "assurance_gaps",
            "initial_likelihood",
            "initial_consequence",
            "initial_score",
            "current_likelihood",
            "current_consequence",
            "current_score",
            "band",
            "trend",
            "score_90_days_ago",
            "target_likelihood",
            "target_consequence",
            "target_score",
            "target_on",
            "tolerance",
            "above_appetite",
            "escalation_score",
            "is_escalated",
            "review_every",
            "last_reviewed_on",
            "next_review_on",
            "review_overdue",
            "status",
            "closed_on",
            "closed_reason",
            "actions",
            "decisions",
            "raised_by",
            "created_at",
            "updated_at",
            "page",
        ]

    def get_page(self, risk) -> str:
        return self.context["request"].build_absolute_uri(reverse("governance:risk_detail", args=[risk.pk]))


class RiskReviewSerializer(serializers.ModelSerializer):
    reviewer = PersonSerializer(read_only=True)

    class Meta:
        model = RiskReview
        fields = [
            "id",
            "risk",
            "reviewed_on",
            "reviewer",
            "likelihood",
            "consequence",
            "score",
            "previous_score",
            "note",
            "next_review_on",
            "recorded_at",
        ]


class RiskScoreChangeSerializer(serializers.ModelSerializer):
    changed_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = RiskScoreChange
        fields = [
            "id",
            "risk",
            "changed_on",
            "recorded_at",
            "changed_by",
            "likelihood",
            "consequence",
            "score",
            "previous_score",
            "reason",
            "review",
        ]


class RiskAppetiteSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.code", read_only=True)
    domain = NamedSerializer(read_only=True)
    set_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = RiskAppetite
        fields = ["id", "partnership", "domain", "level", "tolerance", "statement", "set_by", "updated_at"]


class BandSerializer(serializers.Serializer):
    band = serializers.ChoiceField(choices=RiskBand.choices, read_only=True)
    lowest = serializers.IntegerField(read_only=True, help_text="The lowest score the 5×5 matrix gives in the band.")
    highest = serializers.IntegerField(read_only=True)


class RiskSettingsSerializer(serializers.Serializer):
    """A partnership's risk matrix, addressed by the partnership's code. Defaults until the lead changes them."""

    partnership = serializers.CharField(read_only=True)
    low_max = serializers.IntegerField(read_only=True)
    moderate_max = serializers.IntegerField(read_only=True)
    high_max = serializers.IntegerField(read_only=True)
    escalation_score = serializers.IntegerField(read_only=True)
    bands = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    @extend_schema_field(BandSerializer(many=True))
    def get_bands(self, settings) -> list:
        return BandSerializer(settings.bands(), many=True).data

    def to_representation(self, partnership):
        settings = settings_of(partnership)
        data = super().to_representation(settings)
        data["partnership"] = partnership.code
        return data


def settings_of(partnership) -> RiskSettings:
    """The partnership's settings as fetched with it (`select_related("risk_settings")`), or the defaults."""
    try:
        return partnership.risk_settings
    except RiskSettings.DoesNotExist:
        return RiskSettings(partnership=partnership)


class DecisionReviewSerializer(serializers.ModelSerializer):
    """Whether a decision's review is suggested by a linked risk, and why: read from the risk side
    (`selectors.risks.with_review_suggestion`)."""

    review_suggested = serializers.BooleanField(source="is_review_suggested", read_only=True)
    review_suggested_at = serializers.DateTimeField(read_only=True, allow_null=True)
    review_suggested_reason = serializers.CharField(read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "reference", "review_suggested", "review_suggested_at", "review_suggested_reason"]


# --- Inputs ----------------------------------------------------------------------------------------------------------


def score_input(message: str, *, required: bool = True) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=5,
        required=required,
        error_messages={
            "required": message,
            "null": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "max_string_length": message,
        },
    )


def _optional_text():
    return serializers.CharField(required=False, allow_blank=True)


class RiskInput(serializers.Serializer):
    """What a change to a risk may set. The current score changes only by a review (`/api/v1/risk-reviews/`)."""

    title = serializers.CharField(required=False)
    cause = serializers.CharField(required=False)
    event = serializers.CharField(required=False)
    effect = serializers.CharField(required=False)
    domain = VisibleIdField(visible_to=risk_domains_visible_to, queryset=RiskDomain.objects.all(), required=False)
    source = serializers.ChoiceField(choices=RiskSource.choices, required=False)
    tier = serializers.ChoiceField(choices=RiskTier.choices, required=False)
    workstream = VisibleIdField(
        visible_to=workstreams_visible_to, queryset=WorkStream.objects.all(), required=False, allow_null=True
    )
    organisation = VisibleIdField(
        visible_to=organisations_visible_to, queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    owner = VisibleIdField(visible_to=people_visible_to, queryset=User.objects.all(), required=False)
    overseen_by = serializers.CharField(required=False)
    objective = serializers.CharField(required=False)
    controls = _optional_text()
    assurances = _optional_text()
    control_gaps = _optional_text()
    assurance_gaps = _optional_text()
    target_likelihood = score_input(LIKELIHOOD.replace("likelihood", "target likelihood"), required=False)
    target_consequence = score_input(CONSEQUENCE.replace("consequence", "target consequence"), required=False)
    target_on = serializers.DateField(required=False, allow_null=True)
    review_every = serializers.ChoiceField(choices=ReviewFrequency.choices, required=False)
    next_review_on = serializers.DateField(required=False)
    actions = VisibleIdField(visible_to=actions_visible_to, queryset=Action.objects.all(), many=True, required=False)
    decisions = VisibleIdField(
        visible_to=decisions_visible_to,
        queryset=Decision.objects.all(),
        many=True,
        required=False,
        help_text="The decisions that depend on the risk. Linking one takes the right to change the risk and to read "
        "the decision in full (the service checks each decision newly linked); one already linked may be kept.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Why, kept in the risk's history.")


class RiskCreateInput(RiskInput):
    partnership = serializers.CharField(help_text="The partnership's 3-character code, like QZZ.")
    title = serializers.CharField()
    cause = serializers.CharField()
    event = serializers.CharField()
    effect = serializers.CharField()
    domain = VisibleIdField(visible_to=risk_domains_visible_to, queryset=RiskDomain.objects.all())
    owner = VisibleIdField(visible_to=people_visible_to, queryset=User.objects.all())
    overseen_by = serializers.CharField()
    objective = serializers.CharField()
    likelihood = score_input(LIKELIHOOD)
    consequence = score_input(CONSEQUENCE)
    target_likelihood = score_input(LIKELIHOOD.replace("likelihood", "target likelihood"))
    target_consequence = score_input(CONSEQUENCE.replace("consequence", "target consequence"))
    reason = None


class RiskReviewInput(serializers.Serializer):
    risk = VisibleIdField(visible_to=risks_visible_to, queryset=Risk.objects.all())
    likelihood = score_input(LIKELIHOOD)
    consequence = score_input(CONSEQUENCE)
    note = serializers.CharField(allow_blank=True, help_text="What the review found.")
    reviewed_on = serializers.DateField(required=False, help_text="Today if not given.")
    next_review_on = serializers.DateField(required=False, help_text="One review frequency later if not given.")


class RiskAppetiteInput(serializers.Serializer):
    level = serializers.ChoiceField(choices=AppetiteLevel.choices)
    tolerance = serializers.IntegerField(
        min_value=1,
        max_value=25,
        help_text="The highest acceptable score, 1 to 25.",
        error_messages={
            "invalid": "The tolerance must be a whole number from 1 to 25.",
            "min_value": "The tolerance must be a whole number from 1 to 25.",
            "max_value": "The tolerance must be a whole number from 1 to 25.",
        },
    )
    statement = _optional_text()


class RiskAppetiteCreateInput(RiskAppetiteInput):
    partnership = serializers.CharField(help_text="The partnership's 3-character code, like QZZ.")
    domain = VisibleIdField(visible_to=risk_domains_visible_to, queryset=RiskDomain.objects.all())


class RiskDomainCreateInput(serializers.Serializer):
    partnership = serializers.CharField(help_text="The partnership's 3-character code, like QZZ.")
    name = serializers.CharField()
    description = _optional_text()


class RiskSettingsInput(serializers.Serializer):
    low_max = serializers.IntegerField(required=False, min_value=1, max_value=25)
    moderate_max = serializers.IntegerField(required=False, min_value=1, max_value=25)
    high_max = serializers.IntegerField(required=False, min_value=1, max_value=25)
    escalation_score = serializers.IntegerField(required=False, min_value=1, max_value=25)
