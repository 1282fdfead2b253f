"""Organisations keep their own records: their administrators (the board or company secretary and governance team),
and the corrections partnership leads propose to an organisation's shared record."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from guardian.models import UserObjectPermissionBase

from core.models import TimeStampedModel
from core.validators import reject_markup

from .organisations import Organisation
from .partnerships import Partnership


class OrganisationRole(UserObjectPermissionBase):
    """An organisation administrator: guardian's per-object permission `partnerships.administer` on an
    organisation, with a real foreign key like `PartnershipRole`. Administrators keep the organisation's record,
    confirm its people's affiliations and keep its scheme of delegation, in every partnership that lists it."""

    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="administrator_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "organisation administrator"
        indexes = [models.Index(fields=["content_object", "user"], name="organisation_role_idx")]


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the organisation"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class OrganisationCorrection(TimeStampedModel):
    """A change to an organisation's shared record that a partnership lead proposes and the organisation's
    administrators accept (the change is then made) or decline, with a reason."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="corrections")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="organisation_corrections", help_text="Proposed from."
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changes = models.JSONField(help_text="{field: [the record's value when proposed, the proposed value]}.")
    reason = models.TextField(max_length=2000, validators=[reject_markup, MaxLengthValidator(2000)])
    status = models.CharField(max_length=20, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True, max_length=2000, validators=[reject_markup, MaxLengthValidator(2000)])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"], name="correction_org_status_idx")]

    def __str__(self) -> str:
        return f"Correction to {self.organisation} proposed from {self.partnership.code}"

    @property
    def is_pending(self) -> bool:
        return self.status == CorrectionStatus.PENDING
