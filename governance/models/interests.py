"""Declarations of interest: each person's register, and what they declare on a particular decision."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import TimeStampedModel
from core.validators import reject_markup
from partnerships.models import Organisation, Partnership

from .decisions import Decision


class InterestKind(models.TextChoices):
    """The four kinds of interest in NHS England's guidance on managing conflicts of interest."""

    FINANCIAL = "financial", "Financial"
    NON_FINANCIAL_PROFESSIONAL = "non_financial_professional", "Non-financial professional"
    NON_FINANCIAL_PERSONAL = "non_financial_personal", "Non-financial personal"
    INDIRECT = "indirect", "Indirect"


class InterestDeclarationQuerySet(models.QuerySet):
    def open_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class InterestDeclaration(TimeStampedModel):
    """One entry in a person's register of interests, kept by the partnership they serve."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="interest_declarations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interest_declarations")
    kind = models.CharField("type of interest", max_length=40, choices=InterestKind.choices)
    description = models.TextField(
        "the interest",
        max_length=2000,
        validators=[reject_markup, MaxLengthValidator(2000)],
        help_text="The organisation, role or relationship, and what the interest is.",
    )
    valid_from = models.DateField("from")
    valid_to = models.DateField("to", null=True, blank=True, help_text="Leave blank while the interest continues.")
    mitigation = models.TextField(
        "how it is managed",
        max_length=2000,
        blank=True,
        validators=[reject_markup, MaxLengthValidator(2000)],
        help_text="For example: leaves the meeting for items about the company.",
    )

    objects = InterestDeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="interest_ends_after_it_starts",
                violation_error_message="The end date must be the same as or after the start date.",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "person"], name="interest_person_idx")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} interest"

    def get_absolute_url(self) -> str:
        return reverse("governance:interest_list", args=[self.partnership.code]) + f"#interest-{self.pk}"

    def is_open_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class Position(models.TextChoices):
    """What a person declares on one decision. A conflict recuses them: it is not an abstention."""

    NO_INTEREST = "no_interest", "No interest"
    INTEREST = "interest", "Interest declared, taking part"
    CONFLICT = "conflict", "Conflict declared, recused"


class DecisionDeclaration(TimeStampedModel):
    """A person's declaration on one decision. One per person; a change is kept in the audit trail."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="decision_declarations")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.CharField(max_length=20, choices=Position.choices)
    kind = models.CharField("type of interest", max_length=40, choices=InterestKind.choices, blank=True)
    description = models.TextField(
        "the interest", max_length=2000, blank=True, validators=[reject_markup, MaxLengthValidator(2000)]
    )
    register_entry = models.ForeignKey(
        InterestDeclaration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision_declarations",
        help_text="The entry in their register of interests this concerns, if any.",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "person"],
                name="decision_declaration_once_per_person",
                violation_error_message="You have already declared on this decision. Change your declaration instead.",
            ),
            models.CheckConstraint(
                condition=Q(position=Position.NO_INTEREST) | (~Q(kind="") & ~Q(description="")),
                name="decision_declaration_describes_the_interest",
                violation_error_message="Say what type of interest it is and describe it.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.decision.reference}: {self.get_position_display()}"

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.decision_id]) + "#interests"

    @property
    def is_conflict(self) -> bool:
        return self.position == Position.CONFLICT


# What a withdrawn conflict becomes: anything lower than a conflict.
WITHDRAWAL_POSITIONS = [
    (Position.NO_INTEREST, Position.NO_INTEREST.label),
    (Position.INTEREST, Position.INTEREST.label),
]


class WithdrawalStatus(models.TextChoices):
    REQUESTED = "requested", "Awaiting the partnership lead"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"


class DeclarationWithdrawal(TimeStampedModel):
    """A person's request to withdraw the conflict they declared on a decision. Recusal is not self-service: the
    conflict, and the recusal, stand until the partnership lead (not the person) confirms; or the lead declines."""

    declaration = models.ForeignKey(DecisionDeclaration, on_delete=models.CASCADE, related_name="withdrawals")
    position = models.CharField(
        "declare instead",
        max_length=20,
        choices=WITHDRAWAL_POSITIONS,
        help_text="What the person declares once the conflict is withdrawn: no interest, or an interest, taking part.",
    )
    reason = models.TextField(max_length=2000, validators=[reject_markup, MaxLengthValidator(2000)])
    status = models.CharField(max_length=20, choices=WithdrawalStatus.choices, default=WithdrawalStatus.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(
        "the lead's reason",
        max_length=2000,
        blank=True,
        validators=[reject_markup, MaxLengthValidator(2000)],
        help_text="Why the lead confirmed or declined the withdrawal.",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration"],
                condition=Q(status=WithdrawalStatus.REQUESTED),
                name="declaration_withdrawal_one_pending",
                violation_error_message="You have already asked for this conflict to be withdrawn.",
            ),
            models.CheckConstraint(
                condition=Q(position__in=[Position.NO_INTEREST, Position.INTEREST]),
                name="declaration_withdrawal_lowers_the_position",
                violation_error_message="Choose no interest, or an interest you will take part with.",
            ),
            models.CheckConstraint(
                condition=Q(status=WithdrawalStatus.REQUESTED, decided_at__isnull=True)
                | (~Q(status=WithdrawalStatus.REQUESTED) & Q(decided_at__isnull=False)),
                name="declaration_withdrawal_decided_when_answered",
                violation_error_message="A confirmed or declined withdrawal records when it was answered.",
            ),
        ]

    def __str__(self) -> str:
        return f"Withdrawal of {self.declaration}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.declaration.get_absolute_url()

    @property
    def is_pending(self) -> bool:
        return self.status == WithdrawalStatus.REQUESTED
