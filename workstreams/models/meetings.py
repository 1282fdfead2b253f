"""Meetings of a work-stream group or of the partnership board: agenda, papers, attendance and minutes."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import Attachment, TimeStampedModel
from core.validators import FileRules, reject_markup
from partnerships.models import Organisation, Partnership

from .workstreams import WorkStream


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    MINUTES_DRAFT = "minutes_draft", "Minutes in draft"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"
    CANCELLED = "cancelled", "Cancelled"


class MeetingQuerySet(models.QuerySet):
    def board(self):
        return self.filter(workstream__isnull=True)

    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now()).exclude(status=MeetingStatus.CANCELLED)

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now())


class Meeting(TimeStampedModel):
    """A meeting of a work-stream's group, or, with no work-stream, of the partnership board."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    workstream = models.ForeignKey(
        WorkStream,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetings",
        help_text="Blank for a meeting of the partnership board.",
    )
    title = models.CharField(max_length=200, validators=[reject_markup])
    starts_at = models.DateTimeField("starts")
    duration_minutes = models.PositiveSmallIntegerField(
        "length in minutes", default=90, validators=[MinValueValidator(5), MaxValueValidator(720)]
    )
    place = models.CharField(max_length=200, blank=True, validators=[reject_markup])
    link = models.URLField(
        "online meeting link", max_length=500, blank=True, help_text="For example a Microsoft Teams link."
    )
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    quorate = models.BooleanField(null=True, blank=True, help_text="Computed from the attendance when it is recorded.")
    quorum_explanation = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(link=""),
                name="meeting_has_place_or_link",
                violation_error_message="Enter where the meeting is, an online link, or both.",
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "starts_at"], name="meeting_partnership_idx"),
            models.Index(fields=["workstream", "starts_at"], name="meeting_workstream_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {timezone.localtime(self.starts_at):%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:meeting_detail", args=[self.pk])

    @property
    def is_board_meeting(self) -> bool:
        return self.workstream_id is None

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def minutes_locked(self) -> bool:
        return self.status == MeetingStatus.MINUTES_APPROVED

    @property
    def group_name(self) -> str:
        return "Partnership board" if self.workstream_id is None else self.workstream.name


class AgendaPurpose(models.TextChoices):
    DECISION = "decision", "For decision"
    ASSURANCE = "assurance", "For assurance"
    DISCUSSION = "discussion", "For discussion"
    NOTE = "note", "To note"


class AgendaItem(TimeStampedModel):
    """One item on a meeting's agenda, and the minutes recorded against it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, validators=[reject_markup])
    purpose = models.CharField(max_length=20, choices=AgendaPurpose.choices)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(max_length=2000, blank=True, validators=[reject_markup])
    minutes = models.TextField(max_length=20000, blank=True, validators=[reject_markup])

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:meeting_detail", args=[self.meeting_id]) + f"#item-{self.pk}"


PAPER_RULES = FileRules(max_megabytes=20, extensions=("pdf", "docx", "doc", "odt", "xlsx", "xls", "ods", "pptx"))


class Paper(Attachment):
    """A paper for an agenda item: PDF or Office documents up to 20 MB, checked by their first bytes."""

    upload_rules = PAPER_RULES

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")

    def get_absolute_url(self) -> str:
        return reverse("workstreams:paper_download", args=[self.pk])

    def upload_folder(self) -> str:
        return f"papers/{self.agenda_item.meeting.partnership.code}/{self.agenda_item.meeting_id}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendance(models.Model):
    """Whether one member of the group came; a deputy who came names the member they stood in for."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    deputy_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member this person stood in for.",
    )
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once_per_person"),
            models.CheckConstraint(condition=~Q(deputy_for=models.F("user")), name="attendance_not_deputy_for_self"),
            models.CheckConstraint(
                condition=Q(deputy_for__isnull=True) | Q(status=AttendanceStatus.PRESENT),
                name="attendance_deputy_only_when_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:meeting_detail", args=[self.meeting_id]) + "#attendance"


class MinutesVersion(models.Model):
    """Approved minutes, frozen. An amendment adds the next version and keeps this one."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveSmallIntegerField()
    items = models.JSONField(help_text="Each agenda item's position, title, purpose and minutes, as approved.")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)
    amendment_reason = models.TextField(max_length=2000, blank=True, validators=[reject_markup])

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="minutes_version_unique")]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:minutes_version", args=[self.meeting_id, self.number])

    @property
    def is_amendment(self) -> bool:
        return self.number > 1
