"""The shape of a partnership's decision rule in the API, at /api/v1/decision-settings/<code>/."""

from rest_framework import serializers

from ...models import DecisionRule, DecisionSettings

FIELD = DecisionSettings._meta.get_field


class DecisionSettingsSerializer(serializers.Serializer):
    """A partnership's decision rule, addressed by the partnership's code. Defaults until the lead changes them."""

    partnership = serializers.CharField(read_only=True)
    rule = serializers.ChoiceField(choices=DecisionRule.choices, read_only=True)
    quorum_percentage = serializers.IntegerField(read_only=True, help_text=FIELD("quorum_percentage").help_text)
    majority_percentage = serializers.IntegerField(read_only=True, help_text=FIELD("majority_percentage").help_text)
    hide_votes_until_closed = serializers.BooleanField(
        read_only=True, help_text=FIELD("hide_votes_until_closed").help_text
    )
    signoff_days = serializers.IntegerField(read_only=True, help_text=FIELD("signoff_days").help_text)
    unconfirmed_delegations_count = serializers.BooleanField(
        read_only=True, help_text=FIELD("unconfirmed_delegations_count").help_text
    )
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def to_representation(self, partnership):
        data = super().to_representation(decision_settings_of(partnership))
        data["partnership"] = partnership.code
        return data


def decision_settings_of(partnership) -> DecisionSettings:
    """The partnership's settings as fetched with it (`select_related("decision_settings")`), or the defaults."""
    try:
        return partnership.decision_settings
    except DecisionSettings.DoesNotExist:
        return DecisionSettings(partnership=partnership)


class DecisionSettingsInput(serializers.Serializer):
    """The fields the lead changes with PATCH; the service validates them together, as the page does."""

    rule = serializers.ChoiceField(choices=DecisionRule.choices, required=False)
    quorum_percentage = serializers.IntegerField(required=False, min_value=1, max_value=100)
    majority_percentage = serializers.IntegerField(required=False, min_value=50, max_value=99)
    hide_votes_until_closed = serializers.BooleanField(required=False)
    signoff_days = serializers.IntegerField(required=False, min_value=1, max_value=90)
    unconfirmed_delegations_count = serializers.BooleanField(
        required=False, help_text=FIELD("unconfirmed_delegations_count").help_text
    )
