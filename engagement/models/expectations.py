"""Engagement expectations: how often a work-stream must engage a stakeholder group."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel

from .groups import StakeholderGroup


class EngagementExpectation(TimeStampedModel):
    """How often a work-stream must engage a stakeholder group, for example patients every 90 days."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="engagement_expectations"
    )
    workstream = models.ForeignKey(
        "workstreams.WorkStream", on_delete=models.CASCADE, related_name="engagement_expectations"
    )
    group = models.ForeignKey(StakeholderGroup, on_delete=models.PROTECT, related_name="expectations")
    interval_days = models.PositiveSmallIntegerField(
        "every (days)",
        validators=[
            MinValueValidator(7, "Expect engagement at most every 7 days."),
            MaxValueValidator(730, "Expect engagement at least every 730 days (two years)."),
        ],
        help_text="For example 90 for every three months.",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["workstream__name", "group__position", "group__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstream", "group"],
                name="engagement_expectation_unique_group",
                violation_error_message="This work-stream already has an expectation for that group.",
            ),
            models.CheckConstraint(
                condition=Q(interval_days__gte=7) & Q(interval_days__lte=730),
                name="engagement_expectation_interval_in_range",
                violation_error_message="Enter a number of days between 7 and 730.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workstream}: {self.group} every {self.interval_days} days"
