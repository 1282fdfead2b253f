"""Sign-off: each round of votes on a decision, every vote ever cast, and ratifications by partners' own boards."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import SecondFactorMethod
from core.validators import reject_markup
from partnerships.models import Delegation, Organisation

from .decisions import Decision, DecisionStatus
from .settings import DecisionRule, quorum_needed

ROUND_OUTCOMES = [
    (status.value, status.label)
    for status in (DecisionStatus.APPROVED, DecisionStatus.REJECTED, DecisionStatus.DEFERRED, DecisionStatus.WITHDRAWN)
]


class SignOffRound(models.Model):
    """One period of sign-off. Reopening a decision starts the next round; the earlier ones stay as they were.

    The partnership's rule is copied in when the round opens, so changing the settings never changes a vote
    already under way.
    """

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closes_at = models.DateTimeField("sign-off closes", help_text="Votes are taken until then.")
    reason = models.TextField(
        "why sign-off is (re)opened", max_length=2000, blank=True, validators=[reject_markup, MaxLengthValidator(2000)]
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ROUND_OUTCOMES, blank=True)
    rule = models.CharField(max_length=20, choices=DecisionRule.choices)
    quorum_percentage = models.PositiveSmallIntegerField()
    majority_percentage = models.PositiveSmallIntegerField()
    hide_votes = models.BooleanField(default=False)

    class Meta:
        ordering = ["decision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="signoff_round_unique_number"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opened_at")), name="signoff_round_closes_later"),
        ]
        indexes = [models.Index(fields=["closed_at", "closes_at"], name="signoff_round_open_idx")]

    def __str__(self) -> str:
        return f"{self.decision.reference}, round {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.decision_id]) + "#signoff"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_past_deadline(self, now=None) -> bool:
        return (now or timezone.now()) > self.closes_at

    @property
    def votes_hidden(self) -> bool:
        """Votes of others are hidden only while the round is open, and only if the partnership asked for it."""
        return self.hide_votes and self.closed_at is None

    def quorum_needed(self, taking_part: int) -> int:
        return quorum_needed(self.quorum_percentage, taking_part)


class Vote(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    ABSTAIN = "abstain", "Abstain"


class SignOffQuerySet(models.QuerySet):
    def current(self):
        """Each organisation's vote as it stands: earlier votes, changed since, are kept but superseded."""
        return self.filter(superseded_at__isnull=True)


class SignOff(models.Model):
    """A vote by a signatory for their organisation. A change of vote adds a row and marks this one superseded."""

    round = models.ForeignKey(SignOffRound, on_delete=models.CASCADE, related_name="signoffs")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="signoffs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    signatory = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signoffs")
    delegation = models.ForeignKey(
        Delegation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The delegation the signatory signed under.",
    )
    vote = models.CharField(max_length=10, choices=Vote.choices)
    comment = models.TextField(
        max_length=5000,
        blank=True,
        validators=[reject_markup, MaxLengthValidator(5000)],
        help_text="Required to reject: the reasons for dissent are part of the record.",
    )
    signed_at = models.DateTimeField(default=timezone.now)
    second_factor = models.CharField(
        max_length=20,
        choices=SecondFactorMethod.choices,
        blank=True,
        default="",
        help_text="How the signatory proved their second factor when signing; blank: without one.",
    )
    superseded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the signatory changed this vote, or withdrew it by declaring a conflict."
    )

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=Q(superseded_at__isnull=True),
                name="signoff_one_current_vote_per_organisation",
                violation_error_message="This organisation has already signed in this round.",
            ),
            models.CheckConstraint(
                condition=~Q(vote="reject") | ~Q(comment=""),
                name="signoff_rejection_gives_reasons",
                violation_error_message="Give your reasons for rejecting: dissent is recorded with them.",
            ),
        ]
        indexes = [models.Index(fields=["decision", "signed_at"], name="signoff_decision_idx")]

    def __str__(self) -> str:
        return f"{self.signatory} for {self.organisation}: {self.get_vote_display()}"

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.decision_id]) + "#signoff"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class RatificationOutcome(models.TextChoices):
    RATIFIED = "ratified", "Ratified"
    NOT_RATIFIED = "not_ratified", "Not ratified"


class Ratification(models.Model):
    """An organisation with no delegate able to sign took the decision to its own board or committee."""

    round = models.ForeignKey(SignOffRound, on_delete=models.CASCADE, related_name="ratifications")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ratifications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.CharField(
        "board or committee", max_length=200, validators=[reject_markup], help_text="For example: Trust board."
    )
    ratified_on = models.DateField("date of the meeting")
    outcome = models.CharField(max_length=20, choices=RatificationOutcome.choices)
    note = models.TextField(max_length=2000, blank=True, validators=[reject_markup, MaxLengthValidator(2000)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ratified_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"],
                name="ratification_once_per_organisation_per_round",
                violation_error_message="This organisation's ratification is already recorded for this round.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_outcome_display()} by {self.body} on {self.ratified_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.decision_id]) + "#signoff"
