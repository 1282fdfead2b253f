"""A decision's engagement evidence as the decision API answers it, in small objects (inputs name them by id)."""

from rest_framework import serializers

from engagement.models import EngagementActivity, Feedback


class EvidenceActivitySerializer(serializers.ModelSerializer):
    """An engagement activity that informs a decision."""

    class Meta:
        model = EngagementActivity
        fields = ["id", "title", "held_on", "method", "level"]


class AnsweredFeedbackSerializer(serializers.ModelSerializer):
    """A "you said" item a decision answers."""

    # A plain string: the status enum is the engagement API's (FeedbackStatusEnum); a second component using it
    # would make the schema's enum names collide.
    status = serializers.CharField(
        read_only=True, help_text="open, responded, acted_on or not_taken_forward, as in the feedback endpoint."
    )

    class Meta:
        model = Feedback
        fields = ["id", "theme", "status", "published"]
