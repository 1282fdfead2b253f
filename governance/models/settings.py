"""How a partnership takes its decisions: the rule, the quorum and majority, hidden votes, the sign-off period."""

import math

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core.models import TimeStampedModel
from partnerships.models import Partnership


class DecisionRule(models.TextChoices):
    UNANIMOUS = "unanimous", "Unanimous: every organisation it would bind approves"
    MAJORITY = "majority", "Majority, with a quorum"


class DecisionSettings(TimeStampedModel):
    """One partnership's decision rule. Kept here rather than on Partnership: it is the governance app's business.

    A partnership without a row uses the defaults (`DecisionSettings.for_partnership`); the first decision
    proposed, or the lead's first change, saves one.
    """

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="decision_settings")
    rule = models.CharField(
        "decision rule", max_length=20, choices=DecisionRule.choices, default=DecisionRule.UNANIMOUS
    )
    quorum_percentage = models.PositiveSmallIntegerField(
        "quorum (% of organisations)",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="For a majority: the share of the organisations taking part that must vote, rounded up. "
        "Organisations whose signatories all declared a conflict do not count.",
    )
    majority_percentage = models.PositiveSmallIntegerField(
        "majority (% of votes for or against)",
        default=50,
        validators=[MinValueValidator(50), MaxValueValidator(99)],
        help_text="For a majority: approvals must be more than this share of the approvals and rejections. "
        "50 is a simple majority; 66 is two thirds.",
    )
    hide_votes_until_closed = models.BooleanField(
        "hide votes until sign-off closes",
        default=False,
        help_text="Signatories then see who has signed, but not how anyone else voted, until the result.",
    )
    signoff_days = models.PositiveSmallIntegerField(
        "sign-off period (days)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="How long signatories have, unless the lead sets another date when opening sign-off.",
    )

    unconfirmed_delegations_count = models.BooleanField(
        "count delegations their organisation has not confirmed",
        default=True,
        help_text="A delegation the partnership lead recorded counts only once the organisation's administrators "
        "confirm it, unless this is ticked; either way, decisions say how many organisations are bound under "
        "unconfirmed delegations.",
    )

    class Meta:
        verbose_name = "decision settings"
        verbose_name_plural = "decision settings"

    def __str__(self) -> str:
        return f"Decision rule of {self.partnership}"

    def get_absolute_url(self) -> str:
        return reverse("governance:settings_update", args=[self.partnership.code])

    @classmethod
    def for_partnership(cls, partnership: Partnership) -> "DecisionSettings":
        """The partnership's settings, or the defaults (unsaved) if it has never changed them."""
        return cls.objects.filter(partnership=partnership).first() or cls(partnership=partnership)

    def quorum_needed(self, taking_part: int) -> int:
        return quorum_needed(self.quorum_percentage, taking_part)


def quorum_needed(quorum_percentage: int, taking_part: int) -> int:
    """How many organisations must vote for a quorum: the percentage of those taking part, rounded up, at least 1."""
    return max(1, math.ceil(taking_part * quorum_percentage / 100))
