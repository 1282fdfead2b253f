from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """A person who signs in. Their organisation, job title and roles live in the partnerships app."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class WorkerHeartbeat(models.Model):
    """When each Celery worker last ran the heartbeat task: shown by /healthz and the pages that queue work."""

    worker = models.CharField(max_length=200, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} at {self.last_seen:%Y-%m-%d %H:%M:%S}"


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One change to a record that governance depends on: who did what to which record, when, and why."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partnership_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The partnership the record belongs to. A plain id, not a foreign key: core depends on no app.",
    )
    action = models.CharField(max_length=80, help_text="What happened, as noun.verb: decision.approved")
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    summary = models.CharField(max_length=300, help_text="One line a person reads in the history.")
    changes = models.JSONField(default=dict, blank=True, help_text="Changed fields: {field: [before, after]}.")
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_idx"),
            models.Index(fields=["partnership_id", "at"], name="audit_partnership_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"


class SentEmail(models.Model):
    """One email to one person, recorded under a unique key in the same transaction as the send (see
    `core.emails.send_once`), so a retried task never sends the same email twice."""

    key = models.CharField(
        max_length=200,
        unique=True,
        help_text="What the email is about and for whom, like outcome:<round>:<person>: the same email, the same key.",
    )
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key
