"""Who is in each partnership, who may do what there, and on whose authority."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from core.models import TimeStampedModel
from core.validators import FileRules, reject_markup

partnership_code_validator = RegexValidator(
    r"^[A-Z0-9]{3}$", "Enter the partnership's 3-character ODS code in capitals, like QMF.", code="partnership_code"
)
ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,6}$",
    "Enter an ODS code of 3 to 6 capital letters and digits, like RXH, 00L or A81001.",
    code="ods_code",
)
ons_code_validator = RegexValidator(
    r"^E\d{8}$", "Enter an ONS code: E followed by 8 digits, like E54000008.", code="ons_code"
)


class GovernanceForm(models.TextChoices):
    ADVISORY_GROUP = "advisory_group", "Advisory group"
    INDIVIDUAL_DECISION_MAKERS = "individual_decision_makers", "Individual decision-makers"
    COMMITTEES_IN_COMMON = "committees_in_common", "Committees in common"
    JOINT_COMMITTEE = "joint_committee", "Joint committee"


class DecisionCategory(models.TextChoices):
    """The kinds of decision a delegation can cover; the governance app's decisions use the same list."""

    STRATEGY = "strategy", "Strategy"
    FINANCE = "finance", "Finance"
    SERVICE_CHANGE = "service_change", "Service change"
    ESTABLISH_WORKSTREAM = "establish_workstream", "Establish a work-stream"
    POLICY = "policy", "Policy"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    """A person's roles in a partnership. Each is a django-guardian permission granted on the partnership."""

    LEAD = "partnership_lead", "Partnership lead"
    BOARD_MEMBER = "board_member", "Board member"
    NON_EXECUTIVE = "non_executive", "Non-executive or lay member"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer"


class PartnershipQuerySet(models.QuerySet):
    def with_member_counts(self):
        today = timezone.localdate()
        current = Q(memberships__joined_on__lte=today) & (
            Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today)
        )
        return self.annotate(member_count=models.Count("memberships", filter=current, distinct=True))


class Partnership(TimeStampedModel):
    """One footprint's STP or integrated care system."""

    code = models.CharField(
        "ODS code", max_length=3, unique=True, validators=[partnership_code_validator], help_text="For example QMF."
    )
    name = models.CharField(max_length=200, validators=[reject_markup])
    ons_code = models.CharField("ONS code", max_length=9, blank=True, validators=[ons_code_validator])
    region = models.CharField("NHS England region", max_length=100, blank=True, validators=[reject_markup])
    population = models.PositiveIntegerField(null=True, blank=True, help_text="People living in the footprint.")
    governance_form = models.CharField(
        max_length=40, choices=GovernanceForm.choices, default=GovernanceForm.ADVISORY_GROUP
    )
    public_description = models.TextField(
        blank=True, validators=[reject_markup], help_text="Shown on the partnership's public page."
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [(role.value, role.label) for role in Role]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:overview", args=[self.code])


class PartnershipRole(UserObjectPermissionBase):
    """A role held on a partnership: guardian's per-object permission with a real foreign key, so role
    look-ups and the people list are plain joins rather than generic-relation scans."""

    content_object = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="role_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "partnership role"
        indexes = [models.Index(fields=["content_object", "user"], name="partnership_role_idx")]


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

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
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


class DelegationQuerySet(models.QuerySet):
    def in_force(self, day=None):
        day = day or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


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


class AgreementKind(models.TextChoices):
    MOU = "mou", "Memorandum of understanding"
    CONTRACT = "contract", "Contract"
    TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
    DATA_SHARING = "data_sharing", "Data-sharing agreement"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


REVIEW_NOTICE_DAYS = 60  # an agreement is "due for review" this many days before its review date


class AgreementQuerySet(models.QuerySet):
    def due_for_review(self, day=None, *, within_days: int = REVIEW_NOTICE_DAYS):
        day = day or timezone.localdate()
        return self.filter(
            status__in=[AgreementStatus.DRAFT, AgreementStatus.SIGNED],
            review_on__isnull=False,
            review_on__lte=day + timedelta(days=within_days),
        )


def agreement_upload_path(agreement: "Agreement", filename: str) -> str:
    return f"agreements/{agreement.partnership.code}/{filename}"


class Agreement(TimeStampedModel):
    """A memorandum, contract, terms of reference or data-sharing agreement between some partners."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(max_length=30, choices=AgreementKind.choices)
    title = models.CharField(max_length=200, validators=[reject_markup])
    parties = models.ManyToManyField(Organisation, related_name="agreements")
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    effective_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    document = models.FileField(
        upload_to=agreement_upload_path,
        blank=True,
        validators=[FileRules(max_megabytes=10, extensions=("pdf", "docx", "doc", "odt"))],
        help_text="PDF, Word or OpenDocument, up to 10 MB.",
    )
    document_size = models.PositiveIntegerField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["review_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(expires_on__gte=models.F("effective_on")),
                name="agreement_expires_after_it_takes_effect",
                violation_error_message="The expiry date must be the same as or after the date it takes effect.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:agreement_detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        """Draft and signed agreements are reviewed; expired and terminated ones are history."""
        return self.status in (AgreementStatus.DRAFT, AgreementStatus.SIGNED)

    def review_state(self, day=None) -> str:
        """'overdue', 'due' (within REVIEW_NOTICE_DAYS) or '' — the same rule as `due_for_review()`."""
        day = day or timezone.localdate()
        if not self.is_live or self.review_on is None:
            return ""
        if self.review_on < day:
            return "overdue"
        if self.review_on <= day + timedelta(days=REVIEW_NOTICE_DAYS):
            return "due"
        return ""

    @property
    def document_filename(self) -> str:
        return self.document.name.rsplit("/", 1)[-1] if self.document else ""
