"""Board digests: when each partnership's digest is built (its schedule), and the digests themselves.

A digest is a snapshot. Its content is stored as JSON when it is built, so later changes to decisions, risks or
actions never rewrite what the board was told. There is one digest per partnership and period, held by a unique
constraint: a task run twice, retried after a crash, or a lead pressing "build now" twice, all find the same row.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import TimeStampedModel
from partnerships.models import Partnership

# Each digest covers the seven days to its date: from the same weekday a week before, to the day it is for.
PERIOD_DAYS = 7


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    OFF = "off", "Off: only when the lead builds one"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class DigestSchedule(TimeStampedModel):
    """When a partnership's digest is built and emailed. A partnership without a row is weekly, on Mondays at 7am
    (`for_partnership`); the lead's first change saves one. Times are UK local time."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="digest_schedule")
    frequency = models.CharField(max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField("day of the week", choices=Weekday.choices, default=Weekday.MONDAY)
    hour = models.PositiveSmallIntegerField(
        "time", default=7, validators=[MinValueValidator(0), MaxValueValidator(23)], help_text="On the hour, 0 to 23."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(hour__lte=23), name="digest_schedule_hour_of_the_day"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="digest_schedule_day_of_the_week"),
        ]

    def __str__(self) -> str:
        return f"Digest schedule of {self.partnership}: {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:digest_schedule_update", args=[self.partnership.code])

    @classmethod
    def for_partnership(cls, partnership: Partnership) -> "DigestSchedule":
        """The partnership's schedule, or the default (unsaved) if the lead has never changed it."""
        return cls.objects.filter(partnership=partnership).first() or cls(partnership=partnership)

    @property
    def is_off(self) -> bool:
        return self.frequency == DigestFrequency.OFF

    @property
    def description(self) -> str:
        """'Weekly, on Mondays at 7am' or 'Off'."""
        if self.is_off:
            return "Off"
        return f"Weekly, on {Weekday(self.weekday).label}s at {hour_label(self.hour)}"

    def last_due_at(self, now: datetime) -> datetime | None:
        """The latest scheduled moment at or before `now`, or None when the schedule is off."""
        if self.is_off:
            return None
        local = timezone.localtime(now)
        day = local.date() - timedelta(days=(local.weekday() - self.weekday) % 7)
        moment = timezone.make_aware(datetime.combine(day, time(self.hour)))
        if moment > now:
            moment = timezone.make_aware(datetime.combine(day - timedelta(days=7), time(self.hour)))
        return moment

    def next_due_at(self, now: datetime) -> datetime | None:
        last = self.last_due_at(now)
        if last is None:
            return None
        return timezone.make_aware(datetime.combine(timezone.localdate(last) + timedelta(days=7), time(self.hour)))

    def due_period_end(self, now: datetime) -> date | None:
        """The day of the digest the schedule asks for at `now`: that of the latest scheduled moment, unless the
        schedule was changed after it (a change counts from the next moment, so it never builds one at once)."""
        moment = self.last_due_at(now)
        if moment is None or (self.pk is not None and self.updated_at > moment):
            return None
        return timezone.localdate(moment)


def hour_label(hour: int) -> str:
    """7 → '7am', 0 → 'midnight', 12 → 'midday', 15 → '3pm': the NHS.UK style for times."""
    if hour == 0:
        return "midnight"
    if hour == 12:
        return "midday"
    return f"{hour}am" if hour < 12 else f"{hour - 12}pm"


class DigestStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILT = "built", "Built"


class Digest(TimeStampedModel):
    """One board digest of a partnership, for the seven days to `period_end`."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="digests")
    period_start = models.DateField()
    period_end = models.DateField(help_text="The day the digest is for; it covers the seven days before it.")
    status = models.CharField(max_length=10, choices=DigestStatus.choices, default=DigestStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The lead who asked for it; blank when the schedule did.",
    )
    send_email = models.BooleanField(default=True, help_text="Email it to the board once it is built.")
    built_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, help_text="When every board member's copy was sent.")
    content = models.JSONField(default=dict, blank=True, help_text="What the digest said when it was built.")

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "period_end"], name="digest_one_per_partnership_period"),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="digest_period_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(status=DigestStatus.QUEUED) | Q(built_at__isnull=False), name="digest_built_has_built_at"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="digest_status_idx")]

    def __str__(self) -> str:
        return f"Board digest of {self.partnership.code} for {self.period_end:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:digest_detail", args=[self.pk])

    @property
    def is_built(self) -> bool:
        return self.status == DigestStatus.BUILT

    @property
    def pdf_filename(self) -> str:
        return f"{self.partnership.code}-digest-{self.period_end.isoformat()}.pdf"

    @property
    def email_state(self) -> str:
        """In words, for the history table."""
        if not self.send_email:
            return "Not emailed"
        if self.emailed_at is not None:
            return "Emailed to the board"
        return "Emails waiting for the background worker" if self.is_built else "Emailed once built"


def period_for(period_end: date) -> tuple[date, date]:
    return period_end - timedelta(days=PERIOD_DAYS), period_end
