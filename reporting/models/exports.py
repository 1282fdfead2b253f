"""A lead's "Download everything": one archive of the partnership's complete record (reporting/services/archive.py),
built by the background worker while the lead's page shows how far it has got, then kept for a few days to be
downloaded and deleted after that.

There is at most one archive being prepared for a partnership at a time, held by a partial unique constraint: a lead
pressing the button twice, or two leads at once, share the same one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import TimeStampedModel
from partnerships.models import Partnership


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Deleted"


# Being worked on: the lead cannot ask for another until it is ready or has failed.
IN_PROGRESS = [ExportStatus.QUEUED, ExportStatus.BUILDING]


def export_upload_path(export: "PartnershipExport", filename: str) -> str:
    """Beside the partnership's other stored files, under a folder no URL serves (settings.MEDIA_URL has no route)."""
    return f"exports/{export.partnership.code}/{filename}"


class PartnershipExport(TimeStampedModel):
    """One archive of a partnership's complete record, asked for by its lead."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    steps_done = models.PositiveIntegerField(default=0, help_text="Parts written so far: each register, then more.")
    steps_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_upload_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="The archive's size in bytes.")
    chain_intact = models.BooleanField(null=True, blank=True, help_text="The audit chain's check inside the archive.")
    built_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="When the archive is deleted.")
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status__in=IN_PROGRESS),
                name="export_one_in_progress_per_partnership",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.READY) | (Q(built_at__isnull=False) & Q(expires_at__isnull=False)),
                name="export_ready_has_dates",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="export_status_expiry_idx")]

    def __str__(self) -> str:
        return f"Archive of {self.partnership.code} asked for on {timezone.localtime(self.created_at):%d %B %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:export_list", args=[self.partnership.code])

    @property
    def percent(self) -> int:
        """How far the build has got, 0 to 100."""
        if self.status == ExportStatus.READY:
            return 100
        return min(99, self.steps_done * 100 // self.steps_total) if self.steps_total else 0

    def is_downloadable(self, now=None) -> bool:
        return self.status == ExportStatus.READY and (now or timezone.now()) < self.expires_at

    @property
    def filename(self) -> str:
        day = timezone.localtime(self.built_at or self.created_at)
        return f"{self.partnership.code}-complete-record-{day:%Y-%m-%d}.zip"
