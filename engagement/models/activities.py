"""Engagement activities: when, how, whom they reached and how many, what was heard, and their documents.

An activity's link to the decision(s) it informs is owned by the governance app: engagement may not import
governance (dependencies run one way), so that link lives on the decision.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Attachment, TimeStampedModel
from core.validators import FileRules, reject_markup

from .groups import StakeholderGroup

GUNNING_FIELDS = [
    "gunning_formative",
    "gunning_sufficient_information",
    "gunning_adequate_time",
    "gunning_conscientious_consideration",
]


def validate_people_count(value: int) -> None:
    """The number of people reached from one group: a positive whole number, with a message for each mistake."""
    if value is None:
        return
    if value < 0:
        raise ValidationError("The number of people cannot be negative.", code="negative")
    if value == 0:
        raise ValidationError(
            "Enter at least 1, or leave the number blank if no one from this group took part.", code="zero"
        )


class Method(models.TextChoices):
    MEETING = "meeting", "Meeting"
    WORKSHOP = "workshop", "Workshop"
    SURVEY = "survey", "Survey"
    FOCUS_GROUP = "focus_group", "Focus group"
    PUBLIC_EVENT = "public_event", "Public event"
    CONSULTATION = "consultation", "Consultation"
    ONLINE = "online", "Online"
    ONE_TO_ONE = "one_to_one", "One-to-one"
    OTHER = "other", "Other"


class Level(models.TextChoices):
    """How much say people had, from the spectrum of public participation."""

    INFORM = "inform", "Inform"
    CONSULT = "consult", "Consult"
    INVOLVE = "involve", "Involve"
    COLLABORATE = "collaborate", "Collaborate"
    EMPOWER = "empower", "Empower"


LEVEL_MEANINGS = {
    Level.INFORM: "we told people about our plans",
    Level.CONSULT: "we asked for views on options",
    Level.INVOLVE: "we worked with people throughout",
    Level.COLLABORATE: "we shaped the plans together",
    Level.EMPOWER: "people made the decision",
}


class EngagementActivityQuerySet(models.QuerySet):
    def in_partnership(self, partnership):
        return self.filter(partnership=partnership)

    def between(self, start=None, end=None):
        queryset = self
        if start is not None:
            queryset = queryset.filter(held_on__gte=start)
        if end is not None:
            queryset = queryset.filter(held_on__lte=end)
        return queryset

    def with_people_reached(self):
        return self.annotate(people_reached=models.Sum("reach__people_count"))

    def for_listing(self):
        """What a list, an export or the API shows of each activity, in a fixed number of queries."""
        return (
            self.select_related("partnership", "logged_by")
            .prefetch_related(
                models.Prefetch("reach", queryset=GroupReached.objects.select_related("group")),
                "workstreams",
            )
            .with_people_reached()
            .order_by("-held_on", "-id")
        )


class EngagementActivity(TimeStampedModel):
    """One engagement activity: whom it reached, how, what they said, and which work-streams it informs."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="engagement_activities"
    )
    held_on = models.DateField("date", help_text="The day it took place, or the closing day of a survey.")
    title = models.CharField(max_length=200, validators=[reject_markup])
    method = models.CharField(max_length=20, choices=Method.choices)
    level = models.CharField(max_length=20, choices=Level.choices)
    groups = models.ManyToManyField(StakeholderGroup, through="GroupReached", related_name="activities")
    workstreams = models.ManyToManyField(
        "workstreams.WorkStream", blank=True, related_name="engagement_activities", verbose_name="work-streams"
    )
    # The decision(s) it informs: a link owned by the governance app (governance may import engagement).
    organisations = models.ManyToManyField(
        "partnerships.Organisation", blank=True, related_name="engagement_activities"
    )
    reached_seldom_heard = models.BooleanField("reached seldom-heard or protected-characteristic groups", default=False)
    seldom_heard_groups = models.CharField(
        "which seldom-heard or protected-characteristic groups",
        max_length=500,
        blank=True,
        validators=[reject_markup],
        help_text="For example: people who are homeless, Gypsy and Traveller communities, young carers.",
    )
    summary = models.TextField(blank=True, validators=[reject_markup])
    themes_heard = models.TextField(blank=True, validators=[reject_markup], help_text="What people told you, in brief.")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The Gunning principles a lawful consultation meets; answered for consultations only.
    gunning_formative = models.BooleanField(
        "proposals still at a formative stage", null=True, blank=True, help_text="No decision had been taken yet."
    )
    gunning_sufficient_information = models.BooleanField(
        "sufficient information given",
        null=True,
        blank=True,
        help_text="People had enough to give an intelligent response.",
    )
    gunning_adequate_time = models.BooleanField(
        "adequate time given", null=True, blank=True, help_text="People had enough time to consider and respond."
    )
    gunning_conscientious_consideration = models.BooleanField(
        "conscientious consideration",
        null=True,
        blank=True,
        help_text="Responses will be taken into account before deciding.",
    )
    gunning_notes = models.TextField("notes on the Gunning principles", blank=True, validators=[reject_markup])

    objects = EngagementActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name_plural = "engagement activities"
        indexes = [models.Index(fields=["partnership", "held_on"], name="engagement_activity_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(method=Method.CONSULTATION) | Q(**{f"{name}__isnull": True for name in GUNNING_FIELDS}),
                name="engagement_activity_gunning_only_for_consultations",
                violation_error_message="Answer the Gunning principles for consultations only.",
            ),
            models.CheckConstraint(
                condition=Q(reached_seldom_heard=True) | Q(seldom_heard_groups=""),
                name="engagement_activity_seldom_heard_named_only_if_reached",
                violation_error_message="Name seldom-heard groups only if you reached some.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("engagement:activity_detail", args=[self.pk])

    @property
    def is_consultation(self) -> bool:
        return self.method == Method.CONSULTATION

    @property
    def gunning_answers(self) -> list[tuple[str, bool | None]]:
        """Each Gunning principle's label and answer, in the order the case law gives them."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in GUNNING_FIELDS]

    @property
    def gunning_failed(self) -> list[str]:
        return [label for label, answer in self.gunning_answers if answer is False]


class GroupReached(models.Model):
    """How many people from one stakeholder group an activity reached."""

    activity = models.ForeignKey(EngagementActivity, on_delete=models.CASCADE, related_name="reach")
    group = models.ForeignKey(StakeholderGroup, on_delete=models.PROTECT, related_name="reach")
    people_count = models.PositiveIntegerField(
        "number of people",
        validators=[validate_people_count, MaxValueValidator(10_000_000, "Enter a number up to 10,000,000.")],
    )

    class Meta:
        ordering = ["group__position", "group__name"]
        verbose_name_plural = "groups reached"
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "group"],
                name="engagement_reach_unique_group",
                violation_error_message="Enter each group once.",
            ),
            models.CheckConstraint(
                condition=Q(people_count__gte=1),
                name="engagement_reach_count_positive",
                violation_error_message="The number of people must be 1 or more.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.people_count}"


ATTACHMENT_RULES = FileRules(max_megabytes=10, extensions=("pdf", "docx", "doc", "odt", "xlsx", "pptx", "csv"))


class ActivityAttachment(Attachment):
    """A document from an activity: slides, a survey report, notes."""

    upload_rules = ATTACHMENT_RULES

    activity = models.ForeignKey(EngagementActivity, on_delete=models.CASCADE, related_name="attachments")

    def get_absolute_url(self) -> str:
        return reverse("engagement:attachment_download", args=[self.pk])

    def upload_folder(self) -> str:
        return f"engagement/{self.activity.partnership.code}/{self.activity_id}"
