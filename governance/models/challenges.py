"""Challenge and questions on a decision, and the proposer's answers: the record that risks were tested."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.validators import reject_markup
from partnerships.models import Organisation

from .decisions import Decision


class ChallengeKind(models.TextChoices):
    CHALLENGE = "challenge", "Challenge"
    QUESTION = "question", "Question"


class Challenge(models.Model):
    """A challenge or question raised by anyone in the partnership while the decision is open."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="challenges")
    kind = models.CharField(max_length=20, choices=ChallengeKind.choices, default=ChallengeKind.CHALLENGE)
    text = models.TextField(
        "challenge or question", max_length=5000, validators=[reject_markup, MaxLengthValidator(5000)]
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_raised")
    raised_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_non_executive = models.BooleanField(
        "non-executive challenge", default=False, help_text="Raised by a non-executive or lay member."
    )
    raised_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(max_length=5000, blank=True, validators=[reject_markup, MaxLengthValidator(5000)])
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response="") | Q(responded_at__isnull=False),
                name="challenge_response_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.decision.reference} by {self.raised_by}"

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.decision_id]) + f"#challenge-{self.pk}"

    @property
    def is_answered(self) -> bool:
        return bool(self.response)
