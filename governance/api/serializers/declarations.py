"""The shapes of requests to withdraw a declared conflict: what the API answers, and what a request and an answer
accept. The services check who may ask and answer, with the same messages as the pages."""

from rest_framework import serializers

from core.api.serializers import VisibleIdField
from partnerships.api.serializers import PersonSerializer

from ...access import declarations_readable_by
from ...models.interests import WITHDRAWAL_POSITIONS, DecisionDeclaration, DeclarationWithdrawal, Position


class DeclarationWithdrawalSerializer(serializers.ModelSerializer):
    decision = serializers.IntegerField(source="declaration.decision_id", read_only=True)
    person = PersonSerializer(source="declaration.person", read_only=True)
    requested_at = serializers.DateTimeField(source="created_at", read_only=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DeclarationWithdrawal
        fields = [
            "id",
            "declaration",
            "decision",
            "person",
            "position",
            "reason",
            "requested_at",
            "status",
            "decided_by",
            "decided_at",
            "response",
        ]


class DeclarationWithdrawalInput(serializers.Serializer):
    declaration = VisibleIdField(
        visible_to=declarations_readable_by,
        queryset=DecisionDeclaration.objects.all(),
        help_text="The id of your own declaration of a conflict.",
    )
    position = serializers.ChoiceField(
        choices=WITHDRAWAL_POSITIONS,
        default=Position.NO_INTEREST,
        help_text="What you declare once the partnership lead confirms the withdrawal.",
    )
    reason = serializers.CharField(help_text="Why the conflict should be withdrawn.")


class WithdrawalAnswerInput(serializers.Serializer):
    reason = serializers.CharField(help_text="Why you confirm or decline the withdrawal: it goes into the history.")
