"""The decision register: a proposal to the partnership board, its case, its lifecycle and its publication."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q
from django.urls import reverse

from core.expressions import ProbedExists
from core.models import TimeStampedModel
from core.validators import reject_markup
from partnerships.models import DecisionCategory, Organisation, Partnership


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN_FOR_CHALLENGE = "open_for_challenge", "Open for challenge"
    IN_SIGNOFF = "in_signoff", "In sign-off"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    DEFERRED = "deferred", "Deferred"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUPERSEDED = "superseded", "Superseded"


# The lifecycle. Reopening an approved or rejected decision, and opening sign-off again after a deferral, start a
# new sign-off round and keep the earlier ones.
TRANSITIONS: dict[str, frozenset[str]] = {
    DecisionStatus.DRAFT: frozenset(
        {DecisionStatus.OPEN_FOR_CHALLENGE, DecisionStatus.IN_SIGNOFF, DecisionStatus.WITHDRAWN}
    ),
    DecisionStatus.OPEN_FOR_CHALLENGE: frozenset(
        {DecisionStatus.IN_SIGNOFF, DecisionStatus.DEFERRED, DecisionStatus.WITHDRAWN}
    ),
    DecisionStatus.IN_SIGNOFF: frozenset(
        {DecisionStatus.APPROVED, DecisionStatus.REJECTED, DecisionStatus.DEFERRED, DecisionStatus.WITHDRAWN}
    ),
    DecisionStatus.APPROVED: frozenset({DecisionStatus.IN_SIGNOFF, DecisionStatus.SUPERSEDED}),
    DecisionStatus.REJECTED: frozenset({DecisionStatus.IN_SIGNOFF}),
    DecisionStatus.DEFERRED: frozenset({DecisionStatus.IN_SIGNOFF, DecisionStatus.WITHDRAWN}),
    DecisionStatus.WITHDRAWN: frozenset(),
    DecisionStatus.SUPERSEDED: frozenset(),
}

# Challenge and declarations are taken while the decision is still being made.
OPEN_FOR_CHALLENGE_STATUSES = frozenset({DecisionStatus.OPEN_FOR_CHALLENGE, DecisionStatus.IN_SIGNOFF})
UNDECIDED_STATUSES = frozenset({DecisionStatus.DRAFT, *OPEN_FOR_CHALLENGE_STATUSES})
EDITABLE_STATUSES = frozenset({DecisionStatus.DRAFT, DecisionStatus.OPEN_FOR_CHALLENGE})
# A result that stands: `decided_at` alone does not say so, as reopening and superseding keep it.
DECIDED_STATUSES = frozenset({DecisionStatus.APPROVED, DecisionStatus.REJECTED})


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    CONFIDENTIAL = "confidential", "Confidential"


class ReferenceCounter(models.Model):
    """The last decision number used by a partnership in a year. Locked while a number is taken, so references
    have no gaps and no duplicates however many people propose at once."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="reference_counter_unique_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership.code} {self.year}: {self.last_number}"


class DecisionQuerySet(models.QuerySet):
    def awaiting_signoff(self):
        return self.filter(status=DecisionStatus.IN_SIGNOFF)

    def approved(self):
        return self.filter(status=DecisionStatus.APPROVED)

    def published(self):
        """What the public sees: approved decisions that are not confidential."""
        return self.filter(status=DecisionStatus.APPROVED, visibility=Visibility.PUBLIC)

    def with_challenge(self):
        from .challenges import Challenge

        return self.annotate(has_challenge=ProbedExists(Challenge.objects.filter(decision=OuterRef("pk"))))

    def approved_without_challenge(self):
        """The group-think signal: approved with no challenge or question on the record."""
        from .challenges import Challenge

        return self.approved().filter(~ProbedExists(Challenge.objects.filter(decision=OuterRef("pk"))))

    def decided_since(self, moment):
        """Decisions whose result stands, reached at or after `moment`: approved or rejected, and not since reopened
        (back in sign-off) or superseded, though both keep the `decided_at` of their earlier result."""
        return self.filter(status__in=DECIDED_STATUSES, decided_at__gte=moment)

    def awaiting_board_ratification(self):
        """Urgent decisions approved between meetings that the next board meeting has still to ratify."""
        return self.filter(status=DecisionStatus.APPROVED, is_urgent=True, ratified_at_meeting__isnull=True)


class Decision(TimeStampedModel):
    """A proposal to the partnership board, signed off by each organisation under its own delegated authority."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="decisions")
    reference = models.CharField(max_length=20, editable=False, help_text="For example QZZ-2026-014.")
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=200, validators=[reject_markup])
    case = models.TextField(
        "the case for the decision",
        max_length=20000,
        validators=[reject_markup, MaxLengthValidator(20000)],
        help_text="What is proposed, why, and what it will cost and change.",
    )
    options_considered = models.TextField(
        max_length=10000,
        blank=True,
        validators=[reject_markup, MaxLengthValidator(10000)],
        help_text="The other options, including doing nothing.",
    )
    reason_for_choice = models.TextField(
        "why this option",
        max_length=5000,
        blank=True,
        validators=[reject_markup, MaxLengthValidator(5000)],
    )
    category = models.CharField(max_length=30, choices=DecisionCategory.choices)
    value_pounds = models.DecimalField(
        "value (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="What it commits the partners to. Leave blank if there is no money involved.",
    )
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions_proposed")
    workstream = models.ForeignKey(
        "workstreams.WorkStream",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        help_text="The work-stream it comes from; for 'establish a work-stream', the proposed work-stream.",
    )
    meeting = models.ForeignKey(
        "workstreams.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        help_text="The meeting it comes from, if any.",
    )
    bound_organisations = models.ManyToManyField(
        Organisation,
        related_name="decisions_binding",
        blank=True,
        help_text="The organisations it would bind: by default every full member.",
    )
    review_on = models.DateField("review date", null=True, blank=True)
    status = models.CharField(max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When it was last approved or rejected.")

    is_urgent = models.BooleanField(
        "urgent", default=False, help_text="Taken by the chair and lead between meetings; ratified at the next board."
    )
    urgent_reason = models.TextField(
        "why it cannot wait", max_length=2000, blank=True, validators=[reject_markup, MaxLengthValidator(2000)]
    )
    ratified_at_meeting = models.ForeignKey(
        "workstreams.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratified_decisions",
        help_text="For an urgent decision: the board meeting that ratified it.",
    )

    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    confidential_reason = models.TextField(
        "why it is confidential",
        max_length=2000,
        blank=True,
        validators=[reject_markup, MaxLengthValidator(2000)],
    )
    confidential_review_on = models.DateField("review the reason for confidentiality on", null=True, blank=True)

    current_round = models.ForeignKey(
        "governance.SignOffRound", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )

    # The evidence from engagement lives on this side: engagement must not import governance (style.md).
    engagement_activities = models.ManyToManyField(
        "engagement.EngagementActivity",
        blank=True,
        related_name="decisions",
        help_text="The engagement whose findings inform this decision.",
    )
    feedback_addressed = models.ManyToManyField(
        "engagement.Feedback",
        blank=True,
        related_name="decisions",
        help_text='"You said" items this decision responds to ("we did").',
    )
    # Risks link to decisions from the risk register (Risk.decisions, related name "risks"), and a risk's rise above
    # the board's tolerance suggests a review of the decision from there too (`ReviewSuggestion`): a decision knows
    # nothing of risks.

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year", "number"], name="decision_number_unique_in_partnership"
            ),
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="decision_reference_unique_in_partnership"
            ),
            models.CheckConstraint(
                condition=Q(visibility=Visibility.PUBLIC)
                | (~Q(confidential_reason="") & Q(confidential_review_on__isnull=False)),
                name="decision_confidential_has_reason_and_review_date",
                violation_error_message="A confidential decision needs the reason and the date to review it.",
            ),
            models.CheckConstraint(
                condition=Q(value_pounds__isnull=True) | Q(value_pounds__gte=0),
                name="decision_value_not_negative",
                violation_error_message="The value must be £0 or more.",
            ),
            models.CheckConstraint(
                condition=~Q(status=DecisionStatus.SUPERSEDED) | Q(superseded_by__isnull=False),
                name="decision_superseded_names_its_successor",
            ),
            models.CheckConstraint(
                condition=Q(is_urgent=False) | ~Q(urgent_reason=""),
                name="decision_urgent_has_reason",
                violation_error_message="Say why the decision cannot wait for the next board meeting.",
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "status"], name="decision_status_idx"),
            models.Index(fields=["partnership", "created_at"], name="decision_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.pk])

    @property
    def is_confidential(self) -> bool:
        return self.visibility == Visibility.CONFIDENTIAL

    @property
    def is_open_for_challenge(self) -> bool:
        return self.status in OPEN_FOR_CHALLENGE_STATUSES

    @property
    def is_undecided(self) -> bool:
        return self.status in UNDECIDED_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def needs_board_ratification(self) -> bool:
        return self.is_urgent and self.status == DecisionStatus.APPROVED and self.ratified_at_meeting_id is None

    def can_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]
