"""Emails already sent, each under a unique key, so a retried task never sends the same email twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .decisions import Decision
from .digests import Digest


class NotificationKind(models.TextChoices):
    SIGNOFF_OPENED = "signoff_opened", "Sign-off opened"
    SIGNOFF_REMINDER = "signoff_reminder", "Sign-off reminder"
    OUTCOME = "outcome", "Outcome"
    DIGEST = "digest", "Board digest"


class SentNotification(models.Model):
    """One email to one person. The row is written in the same transaction as the send: see `notifications.py`."""

    key = models.CharField(
        max_length=200, unique=True, help_text="kind:round:recipient; the same email twice has the same key."
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    digest = models.ForeignKey(Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key
