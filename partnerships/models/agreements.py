"""Agreements between the partners (memorandum, terms of reference and the like) and their review dates."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import TimeStampedModel
from core.validators import FileRules, reject_markup

from .organisations import Organisation
from .partnerships import Partnership


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
