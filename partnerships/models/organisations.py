"""Organisations, their memberships of partnerships, and each person's profile (their organisation and job title)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import TimeStampedModel
from core.validators import reject_markup

from .partnerships import Partnership

ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,6}$",
    "Enter an ODS code of 3 to 6 capital letters and digits, like RXH, 00L or A81001.",
    code="ods_code",
)


class OrganisationKind(models.TextChoices):
    ACUTE_TRUST = "acute_trust", "Acute trust"
    MENTAL_HEALTH_TRUST = "mental_health_trust", "Mental health trust"
    COMMUNITY_TRUST = "community_trust", "Community trust"
    AMBULANCE_TRUST = "ambulance_trust", "Ambulance trust"
    COMMISSIONER = "commissioner", "Commissioner (ICB or CCG)"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PRIMARY_CARE = "primary_care", "Primary care, GP federation or PCN"
    VCSE = "vcse", "Voluntary, community or social enterprise"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    OTHER = "other", "Other"


class OrganisationQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=day)).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )


class Organisation(TimeStampedModel):
    """A partner body. One organisation may belong to several partnerships."""

    ods_code = models.CharField(
        "ODS code",
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[ods_code_validator],
        help_text="Leave blank for a body without one, such as a small charity.",
    )
    name = models.CharField(max_length=200, validators=[reject_markup])
    kind = models.CharField("type", max_length=30, choices=OrganisationKind.choices)
    postcode = models.CharField(max_length=10, blank=True, validators=[reject_markup])
    opened_on = models.DateField("open date", null=True, blank=True)
    closed_on = models.DateField("close date", null=True, blank=True)
    contact_email = models.EmailField(
        "governance contact email",
        blank=True,
        help_text="Where partnerships write about the organisation's record and delegations: often the board "
        "secretary's office.",
    )
    website = models.URLField(blank=True, max_length=200)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("administer", "Organisation administrator")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="organisation_closes_after_it_opens",
                violation_error_message="The close date must be the same as or after the open date.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:organisation_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None or self.closed_on > timezone.localdate()


class MembershipKind(models.TextChoices):
    FULL = "full", "Full member"
    ASSOCIATE = "associate", "Associate"
    OBSERVER = "observer", "Observer"


class MembershipQuerySet(models.QuerySet):
    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))

    def listing_partnership_ids(self, organisation_ids) -> list[int | None]:
        """The partnerships that list, or listed, any of the organisations, in order: where a change to a shared
        record (an organisation, a delegation, an affiliation) is recorded. [None] when no partnership lists them,
        so the change is still recorded once, under no partnership."""
        ids = {pk for pk in organisation_ids if pk is not None}
        return sorted(set(self.filter(organisation_id__in=ids).values_list("partnership_id", flat=True))) or [None]


class Membership(TimeStampedModel):
    """An organisation's part in a partnership, from when to when."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    kind = models.CharField(max_length=20, choices=MembershipKind.choices, default=MembershipKind.FULL)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "joined_on"], name="membership_unique_per_start"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_leaves_after_it_joins",
                violation_error_message="The date it left must be the same as or after the date it joined.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership.code} ({self.get_kind_display()})"

    def has_left(self, day=None) -> bool:
        """Whether the organisation had left by `day` (the opposite of `current()` for members who had joined)."""
        return self.left_on is not None and self.left_on <= (day or timezone.localdate())


class Profile(TimeStampedModel):
    """Where a person works and what they do there."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    job_title = models.CharField(max_length=200, blank=True, validators=[reject_markup])
    is_clinician = models.BooleanField(
        default=False, help_text="Counts towards quorum rules that need a clinician present."
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.job_title or 'no job title'})"
