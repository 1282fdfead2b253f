"""Highlight reports: a work-stream's account of a period for the board."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import TimeStampedModel
from core.validators import reject_markup
from partnerships.models import Partnership

from .workstreams import Rag, WorkStream


class HighlightReport(TimeStampedModel):
    """What a work-stream did in a period, how it is going, what threatens it and what it asks of the board."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="highlight_reports")
    workstream = models.ForeignKey(WorkStream, on_delete=models.CASCADE, related_name="highlight_reports")
    period_start = models.DateField("period from")
    period_end = models.DateField("period to")
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices)
    progress = models.TextField("progress in the period", max_length=5000, validators=[reject_markup])
    risks_and_issues = models.TextField(max_length=5000, blank=True, validators=[reject_markup])
    asks_of_board = models.TextField("asks of the board", max_length=5000, blank=True, validators=[reject_markup])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstream", "period_start"],
                name="highlight_report_one_per_period",
                violation_error_message="There is already a highlight report for a period starting on that date.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="highlight_report_period_ends_after_it_starts",
                violation_error_message="The period must end on or after the day it starts.",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "period_end"], name="highlight_partnership_idx")]

    def __str__(self) -> str:
        return f"{self.workstream}: {self.period_start:%d %b %Y} to {self.period_end:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:highlight_report_detail", args=[self.pk])
