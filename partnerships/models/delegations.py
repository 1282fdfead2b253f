"""Delegations: the authority an organisation gives its people to commit it to a partnership decision."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import TimeStampedModel
from core.validators import reject_markup

from .organisations import Organisation
from .partnerships import DecisionCategory, Partnership, Role


class DelegationQuerySet(models.QuerySet):
    def in_force(self, day=None):
        day = day or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def not_ended(self, day=None):
        """In force, or starting later."""
        day = day or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)


class Delegation(TimeStampedModel):
    """Who may commit an organisation to which kinds of partnership decision, up to what value, and when."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="delegations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="delegations")
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations",
        help_text="The person who holds the delegation; or leave blank and choose a role.",
    )
    delegate_role = models.CharField(
        max_length=30,
        choices=[
            (Role.BOARD_MEMBER.value, Role.BOARD_MEMBER.label),
            (Role.NON_EXECUTIVE.value, Role.NON_EXECUTIVE.label),
        ],
        blank=True,
        help_text="Anyone from the organisation holding this role in the partnership.",
    )
    categories = models.JSONField(
        default=list, help_text="The decision categories covered (values of DecisionCategory)."
    )
    limit_pounds = models.DecimalField(
        "limit (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message="The limit must be £0 or more.")],
        help_text="The highest value the delegate may commit the organisation to. Blank means no limit.",
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source_document = models.CharField(
        max_length=200, validators=[reject_markup], help_text="For example: Scheme of reservation and delegation."
    )
    source_version = models.CharField(max_length=50, blank=True, validators=[reject_markup])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation's administrator who confirmed it against the organisation's own scheme.",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(delegate__isnull=False) & Q(delegate_role=""))
                | (Q(delegate__isnull=True) & ~Q(delegate_role="")),
                name="delegation_to_a_person_or_a_role",
                violation_error_message="Choose a person or a role to hold the delegation, not both.",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="delegation_ends_after_it_starts",
                violation_error_message="The end date must be the same as or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(limit_pounds__isnull=True) | Q(limit_pounds__gte=0),
                name="delegation_limit_not_negative",
                violation_error_message="The limit must be £0 or more.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.delegate_display}"

    @property
    def delegate_display(self) -> str:
        return str(self.delegate) if self.delegate_id else f"any {Role(self.delegate_role).label.lower()}"

    @property
    def is_confirmed(self) -> bool:
        """Confirmed by one of the organisation's administrators: from then on only they change or end it."""
        return self.confirmed_at is not None

    @property
    def category_labels(self) -> list[str]:
        """The labels of the categories covered, in the order of DecisionCategory."""
        return [category.label for category in DecisionCategory if category.value in self.categories]

    def in_force_on(self, day) -> bool:
        """The same rule as `Delegation.objects.in_force(day)`, for a delegation already loaded."""
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def covers(self, *, category: str, value, day) -> bool:
        """Whether this delegation lets its delegate commit the organisation to such a decision on `day`."""
        within_limit = self.limit_pounds is None or value is None or value <= self.limit_pounds
        return self.in_force_on(day) and category in self.categories and within_limit
