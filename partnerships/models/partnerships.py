"""Partnerships, and the roles people hold in them (object permissions through django-guardian)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from core.models import TimeStampedModel
from core.validators import reject_markup

partnership_code_validator = RegexValidator(
    r"^[A-Z0-9]{3}$", "Enter the partnership's 3-character ODS code in capitals, like QMF.", code="partnership_code"
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

    @property
    def cache_identity(self) -> str:
        """This partnership among every one that ever held its id, for the keys of what the cache stores about it
        (the dashboard's figures, the public pages): a database rebuilt from scratch (a new demo, a restored
        backup) never meets what was stored for the partnership before it."""
        return f"{self.pk}.{self.created_at.timestamp()}"


class PartnershipRole(UserObjectPermissionBase):
    """A role held on a partnership: guardian's per-object permission with a real foreign key, so role
    look-ups and the people list are plain joins rather than generic-relation scans.

    Each role also records the organisation its holder represents in this partnership (their affiliation): the
    partnership's lead sets it, the organisation's administrators confirm it, and it decides whom the person may
    sign for here and nowhere else. All of one person's roles in a partnership carry the same affiliation."""

    content_object = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="role_grants")
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliated_roles",
        help_text="The organisation the person represents in this partnership.",
    )
    organisation_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "partnership role"
        indexes = [models.Index(fields=["content_object", "user"], name="partnership_role_idx")]
