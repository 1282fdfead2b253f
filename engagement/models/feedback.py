""" "You said, we did": a theme heard at an activity, and the response to it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import TimeStampedModel
from core.validators import reject_markup

from .activities import EngagementActivity
from .groups import StakeholderGroup


class FeedbackStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESPONDED = "responded", "Responded"
    ACTED_ON = "acted_on", "Acted on"
    NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"


# Open → responded → acted on / not taken forward. A response can be reworded or published at any stage, but an
# outcome, once reached, is final: what was fed back to people must not silently change.
FEEDBACK_TRANSITIONS = {
    FeedbackStatus.OPEN: {
        FeedbackStatus.RESPONDED,
        FeedbackStatus.ACTED_ON,
        FeedbackStatus.NOT_TAKEN_FORWARD,
    },
    FeedbackStatus.RESPONDED: {FeedbackStatus.RESPONDED, FeedbackStatus.ACTED_ON, FeedbackStatus.NOT_TAKEN_FORWARD},
    FeedbackStatus.ACTED_ON: {FeedbackStatus.ACTED_ON},
    FeedbackStatus.NOT_TAKEN_FORWARD: {FeedbackStatus.NOT_TAKEN_FORWARD},
}


class FeedbackQuerySet(models.QuerySet):
    def awaiting_response(self):
        return self.filter(status=FeedbackStatus.OPEN)

    def published(self):
        return self.filter(published=True).exclude(status=FeedbackStatus.OPEN)

    def for_listing(self):
        return (
            self.select_related("activity", "action", "recorded_by", "responded_by")
            .prefetch_related("groups")
            .order_by("-activity__held_on", "-id")
        )


class Feedback(TimeStampedModel):
    """ "You said, we did": one theme heard at an activity, and the partnership's response to it."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="feedback")
    activity = models.ForeignKey(EngagementActivity, on_delete=models.CASCADE, related_name="feedback")
    theme = models.CharField("you said", max_length=300, validators=[reject_markup])
    detail = models.TextField(blank=True, validators=[reject_markup])
    groups = models.ManyToManyField(StakeholderGroup, related_name="feedback", verbose_name="from")
    response = models.TextField("we did", blank=True, validators=[reject_markup])
    status = models.CharField(max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN)
    reason = models.TextField(
        "reason not taken forward", blank=True, validators=[reject_markup], help_text="Needed when not taken forward."
    )
    fed_back_on = models.DateField("date fed back", null=True, blank=True)
    action = models.ForeignKey(
        "workstreams.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagement_feedback",
        help_text="The work-stream action it led to.",
    )
    # The decision it led to is recorded by the governance app, which may import engagement but not the reverse.
    published = models.BooleanField(default=False, help_text="Shown on the partnership's public page.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "feedback"
        # On PostgreSQL, migration 0003 adds `feedback_published_idx` for the public page's "you said, we did";
        # SQLite cannot index NULLS LAST, so it is not declared here.
        indexes = [models.Index(fields=["partnership", "status"], name="feedback_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FeedbackStatus.OPEN) | ~Q(response=""),
                name="feedback_response_unless_open",
                violation_error_message="Enter what was done in response.",
            ),
            models.CheckConstraint(
                condition=~Q(status=FeedbackStatus.NOT_TAKEN_FORWARD) | ~Q(reason=""),
                name="feedback_reason_when_not_taken_forward",
                violation_error_message="Give the reason it was not taken forward.",
            ),
            models.CheckConstraint(
                condition=Q(published=False) | ~Q(status=FeedbackStatus.OPEN),
                name="feedback_published_only_with_a_response",
                violation_error_message="Respond before publishing: the public page shows what was done.",
            ),
        ]

    def __str__(self) -> str:
        return self.theme

    def get_absolute_url(self) -> str:
        """Its card on the activity's page, which everyone who may read the activity sees; responding is a form
        only some may use."""
        return reverse("engagement:activity_detail", args=[self.activity_id]) + f"#feedback-{self.pk}"
