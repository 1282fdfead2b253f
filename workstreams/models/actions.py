"""Actions agreed by a group or the board, with their owners, due dates and progress notes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import TimeStampedModel
from core.validators import reject_markup
from partnerships.models import Organisation, Partnership

from .meetings import AgendaItem, Meeting
from .workstreams import WorkStream


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionQuerySet(models.QuerySet):
    def open(self):
        """Still to do: open or in progress."""
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.exclude(status__in=OPEN_STATUSES)

    def overdue(self, day=None):
        """Open or in progress, and past the due date."""
        return self.open().filter(due_on__lt=day or timezone.localdate())


class Action(TimeStampedModel):
    """Something a person agreed to do for a work-stream or the board, by a date."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    workstream = models.ForeignKey(
        WorkStream,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        help_text="Blank for an action of the partnership board.",
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="actions", help_text="Where it arose."
    )
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField(max_length=2000, validators=[reject_markup])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_owned")
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    due_on = models.DateField("due date")
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField("completed date", null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions_raised"
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=ActionStatus.DONE) & Q(completed_on__isnull=False))
                | (~Q(status=ActionStatus.DONE) & Q(completed_on__isnull=True)),
                name="action_completed_date_only_when_done",
            ),
            models.CheckConstraint(
                condition=Q(workstream__isnull=False) | Q(meeting__isnull=False),
                name="action_belongs_to_workstream_or_meeting",
            ),
            models.CheckConstraint(
                condition=Q(agenda_item__isnull=True) | Q(meeting__isnull=False),
                name="action_item_needs_its_meeting",
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "status", "due_on"], name="action_partnership_idx"),
            # The API's list of a partnership's actions, in its order: the first page without sorting them all.
            models.Index(fields=["partnership", "due_on", "id"], name="action_partnership_due_idx"),
            models.Index(fields=["workstream", "status", "due_on"], name="action_workstream_idx"),
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_idx"),
            models.Index(fields=["raised_by", "status", "due_on"], name="action_raised_by_idx"),
        ]

    def __str__(self) -> str:
        text = self.description if len(self.description) <= 60 else self.description[:57] + "..."
        return f"{self.reference}: {text}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:action_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """How every page, export, email and history names the action: "A17", followed where there is room by its
        description ("A17: Draft the pathway", as `__str__` gives)."""
        return f"A{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class ActionNote(models.Model):
    """A dated note of progress on an action, with the status change it recorded, if any."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    written_on = models.DateField(default=timezone.localdate)
    text = models.TextField(max_length=2000, blank=True, validators=[reject_markup])
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(to_status=""), name="action_note_has_text_or_status_change"
            )
        ]

    def __str__(self) -> str:
        return f"Note on A{self.action_id}, {self.written_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:action_detail", args=[self.action_id]) + f"#note-{self.pk}"
