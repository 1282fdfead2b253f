import mimetypes
import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from knox.models import AbstractAuthToken

from .validators import FileRules, reject_markup


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


def attachment_upload_path(attachment: "Attachment", filename: str) -> str:
    """Where an attachment's file is stored: in the folder its model names, which starts with the kind of document and
    the partnership, so one partnership's documents can be found, backed up or removed together."""
    return f"{attachment.upload_folder()}/{filename}"


def check_attachment_file(file) -> None:
    """Check an attachment's file against its own model's `upload_rules`: each kind of document has its types and
    its size limit."""
    type(file.instance).upload_rules(file)


class Attachment(TimeStampedModel):
    """A document uploaded to a record: a meeting's paper, an engagement activity's slides. The file has no public
    URL: the app's download view lets a reader through its `get_<noun>_for_user` and hands the file over with
    `core.http.download`. It was uploaded at `created_at`.

    A concrete model adds the record it belongs to, `upload_rules` (a `core.validators.FileRules`) and
    `upload_folder()`."""

    upload_rules: ClassVar[FileRules] = FileRules()

    title = models.CharField(max_length=200, validators=[reject_markup])
    file = models.FileField(upload_to=attachment_upload_path, max_length=300, validators=[check_attachment_file])
    original_name = models.CharField(
        max_length=255, blank=True, help_text="The file's name as it was uploaded: the name it downloads under."
    )
    size = models.PositiveIntegerField(help_text="In bytes.")
    content_type = models.CharField(
        max_length=100, blank=True, help_text="The type of document its checked extension names, sent with it."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def upload_folder(self) -> str:
        """The folder the file is stored in, like `papers/<partnership>/<meeting>`."""
        raise NotImplementedError

    def take_file(self, file, *, title: str = "") -> None:
        """Take an uploaded file, with its name, size and type, and a title (the file's name when none is given)."""
        self.original_name = file.name.replace("\\", "/").rsplit("/", 1)[-1][:255]
        self.file = file
        self.size = file.size
        self.content_type = mimetypes.guess_type(self.original_name)[0] or "application/octet-stream"
        self.title = title.strip() or self.original_name[:200]

    @property
    def filename(self) -> str:
        """The name to download it under: as uploaded, or the stored file's name for one uploaded before we kept it."""
        return self.original_name or self.file.name.rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else ""


class AuditEvent(models.Model):
    """One change to a record that governance depends on: who did what to which record, when, and why.

    Events are written once, by `core.audit.audit_record`, and never changed: each partnership's events (and the
    service's own, which belong to no partnership) form a hash chain, in which each event's hash covers its content
    and the hash before it, so `manage.py verify_audit` finds a changed, removed or inserted event. On PostgreSQL a
    trigger refuses every UPDATE and DELETE of the table (docs/adr/0017-tamper-evident-audit-trail.md)."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # Not SET_NULL: that would rewrite the event (and break its hash). People who acted are deactivated instead.
        on_delete=models.PROTECT,
        related_name="+",
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
    request_id = models.CharField(
        max_length=64, blank=True, help_text="The correlation id of the request that made the change, if one did."
    )
    chain = models.CharField(
        max_length=20, help_text="The hash chain the event belongs to: its partnership's id, or 'service' for none."
    )
    sequence = models.PositiveBigIntegerField(help_text="The event's place in its chain, from 1.")
    previous_hash = models.CharField(max_length=64, blank=True, help_text="The hash of the event before; none first.")
    hash = models.CharField(max_length=64, help_text="SHA-256 of the event's content and the previous hash.")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_idx"),
            models.Index(fields=["partnership_id", "at"], name="audit_partnership_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["chain", "sequence"], name="audit_chain_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"


class AuditChainHead(models.Model):
    """The last event of one audit chain. `audit_record` locks this row to append to the chain, so two writers of
    one partnership's history take turns; `verify_audit` checks that the chain still ends here (a removed last
    event leaves no other trace)."""

    chain = models.CharField(max_length=20, unique=True)
    sequence = models.PositiveBigIntegerField(default=0, help_text="How many events the chain holds.")
    hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, help_text="When the last event was appended.")

    def __str__(self) -> str:
        return f"{self.chain} at {self.sequence}: {self.hash[:16]}"


class AuditAnchor(models.Model):
    """A chain's head as the daily task (`core.tasks.record_audit_chain_heads`) found it: `verify_audit` checks
    that the event at that place still has that hash, so a chain rewritten from its start after that day is found
    too. The task logs the same heads, and each board digest prints its partnership's: copies outside the database."""

    chain = models.CharField(max_length=20)
    sequence = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["chain", "sequence"]
        constraints = [models.UniqueConstraint(fields=["chain", "sequence"], name="audit_anchor_unique")]

    def __str__(self) -> str:
        return f"{self.chain} at {self.sequence} on {self.recorded_at:%Y-%m-%d}: {self.hash[:16]}"


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


class ApiToken(AbstractAuthToken):
    """A personal API token (django-rest-knox's, named): only the SHA-512 digest of the token is stored, so it is
    shown once, when it is made. Knox deletes a token once it has expired; revoking one deletes it too."""

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Names the token in addresses, never the digest."
    )
    name = models.CharField(max_length=100, help_text="What the owner uses it for, so they know which to revoke.")
    last_used = models.DateTimeField(null=True, blank=True, help_text="To the minute: not written on every request.")

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"


class SecondFactorMethod(models.TextChoices):
    """How a person proved their second factor (recorded on a vote: "signed with two factors")."""

    NONE = "", "None"
    APP = "app", "Authenticator app"
    RECOVERY_CODE = "recovery_code", "Recovery code"
    SINGLE_SIGN_ON = "single_sign_on", "Single sign-on provider's second factor"


class SignedInSession(models.Model):
    """One browser signed in as a person, for their "Your sessions" page. The session itself lives in Django's
    session store under the same key; this row only describes it, and is written at most once a minute."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(
        max_length=300, blank=True, help_text="As the browser sent it, cut to 300 characters."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, help_text="When the person signed in.")
    last_seen_at = models.DateTimeField(default=timezone.now, help_text="To the minute: not written on every request.")

    class Meta:
        ordering = ["-last_seen_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"


class OutboxMessage(models.Model):
    """Something to do once a change has committed (an email, a digest build), written in the change's own
    transaction: it is handed to the worker after the commit, and again by beat until a worker has done it
    (core/outbox.py). So a broker that is down loses nothing, and a change never fails because of it."""

    task = models.CharField(max_length=200, help_text="The Celery task's dotted path.")
    args = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took it; taken again if not done within the lease."
    )
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["done_at", "created_at"], name="outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)} ({'done' if self.done_at else 'pending'})"
