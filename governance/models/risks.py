"""The risk register: risks at partnership, work-stream and organisation level, scored on the NHS 5×5 matrix, with
their reviews and the history of every change of score."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import BooleanField, Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core.models import TimeStampedModel
from core.validators import reject_markup
from partnerships.models import Organisation, Partnership

from .decisions import Decision, DecisionStatus
from .risk_register import (
    DEFAULT_BAND_TOPS,
    DEFAULT_ESCALATION_SCORE,
    RiskAppetite,
    RiskBand,
    RiskDomain,
    consequence_validators,
    likelihood_validators,
)

# The trend compares the score now with the score in force this many days ago (or, for a younger risk, with the
# score it was raised at): long enough to ignore a review's noise, short enough to show this quarter's direction.
TREND_DAYS = 90


class RiskTier(models.TextChoices):
    PARTNERSHIP = "partnership", "Partnership"
    WORKSTREAM = "workstream", "Work-stream"
    ORGANISATION = "organisation", "One organisation"


class RiskSource(models.TextChoices):
    INTERNAL = "internal", "Internal"
    EXTERNAL = "external", "External"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReviewFrequency(models.IntegerChoices):
    """How often a risk is reviewed, in months."""

    MONTHLY = 1, "Every month"
    TWO_MONTHLY = 2, "Every 2 months"
    QUARTERLY = 3, "Every 3 months"
    SIX_MONTHLY = 6, "Every 6 months"
    YEARLY = 12, "Every year"


class Trend(models.TextChoices):
    RISING = "rising", "Rising"
    STEADY = "steady", "Steady"
    FALLING = "falling", "Falling"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it is shorter (31 January + 1 month: 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _score(likelihood: str, consequence: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=F(likelihood) * F(consequence), output_field=models.PositiveSmallIntegerField(), db_persist=True
    )


def _text(label: str, *, max_length: int, blank: bool = False, help_text: str = "") -> models.TextField:
    return models.TextField(
        label,
        max_length=max_length,
        blank=blank,
        validators=[reject_markup, MaxLengthValidator(max_length)],
        help_text=help_text,
    )


def _on_the_matrix(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{prefix}_likelihood__gte": 1, f"{prefix}_likelihood__lte": 5})
        & Q(**{f"{prefix}_consequence__gte": 1, f"{prefix}_consequence__lte": 5}),
        name=f"risk_{prefix}_score_on_the_matrix",
    )


class RiskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RiskStatus.OPEN)

    def scored(self, day: date | None = None):
        """With what the register shows beside each score, worked out by the database in the same query:
        `band`, `tolerance` (None if the domain has no appetite set), `above_appetite`, `escalation_score`,
        `is_escalated`, `review_overdue`, `score_then` (the score TREND_DAYS ago) and `trend`."""
        day = day or timezone.localdate()
        matrix = "partnership__risk_settings__"
        score_then = (
            RiskScoreChange.objects.filter(risk_id=OuterRef("pk"), changed_on__lte=day - timedelta(days=TREND_DAYS))
            .order_by("-changed_on", "-recorded_at", "-pk")
            .values("score")[:1]
        )
        number = IntegerField()
        return self.annotate(
            low_max=Coalesce(F(matrix + "low_max"), DEFAULT_BAND_TOPS["low_max"], output_field=number),
            moderate_max=Coalesce(F(matrix + "moderate_max"), DEFAULT_BAND_TOPS["moderate_max"], output_field=number),
            high_max=Coalesce(F(matrix + "high_max"), DEFAULT_BAND_TOPS["high_max"], output_field=number),
            escalation_score=Coalesce(F(matrix + "escalation_score"), DEFAULT_ESCALATION_SCORE, output_field=number),
            tolerance=Subquery(
                RiskAppetite.objects.filter(partnership_id=OuterRef("partnership_id"), domain_id=OuterRef("domain_id"))
                .order_by()
                .values("tolerance")[:1],
                output_field=number,
            ),
            score_then=Coalesce(Subquery(score_then), F("initial_score"), output_field=number),
        ).annotate(
            band=Case(
                When(current_score__lte=F("low_max"), then=Value(RiskBand.LOW)),
                When(current_score__lte=F("moderate_max"), then=Value(RiskBand.MODERATE)),
                When(current_score__lte=F("high_max"), then=Value(RiskBand.HIGH)),
                default=Value(RiskBand.EXTREME),
            ),
            above_appetite=Case(
                When(Q(tolerance__isnull=False) & Q(current_score__gt=F("tolerance")), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_escalated=Case(
                When(Q(status=RiskStatus.OPEN) & Q(current_score__gte=F("escalation_score")), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            review_overdue=Case(
                When(Q(status=RiskStatus.OPEN) & Q(next_review_on__lt=day), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            trend=Case(
                When(current_score__gt=F("score_then"), then=Value(Trend.RISING)),
                When(current_score__lt=F("score_then"), then=Value(Trend.FALLING)),
                default=Value(Trend.STEADY),
            ),
        )

    def for_lists(self, day: date | None = None):
        """Scored, with what every list of risks shows beside the score: domain, owner, work-stream, organisation."""
        return self.scored(day).select_related(
            "partnership", "domain", "owner__profile__organisation", "workstream", "organisation"
        )

    def above_appetite(self, day: date | None = None):
        """Open risks scoring more than the tolerance the board set for their domain."""
        return self.open().scored(day).filter(above_appetite=True)

    def escalated(self, day: date | None = None):
        """Open risks at or above their partnership's escalation score: the board's register."""
        return self.open().scored(day).filter(is_escalated=True)

    def review_overdue(self, day: date | None = None):
        """Open risks whose next review date has passed (a review due today is not overdue yet)."""
        return self.open().filter(next_review_on__lt=day or timezone.localdate())

    def escalated_since(self, since: date):
        """Risks now escalated that reached the escalation score on or after `since`: a score change (or the first
        assessment) that took them from below it to at or above it."""
        crossed = RiskScoreChange.objects.filter(
            risk_id=OuterRef("pk"), changed_on__gte=since, score__gte=OuterRef("escalation_score")
        ).filter(Q(previous_score__isnull=True) | Q(previous_score__lt=OuterRef("escalation_score")))
        return self.escalated().filter(Exists(crossed))


class Risk(TimeStampedModel):
    """Something that could stop the partnership meeting an objective: its cause, the event and its effect, who
    owns it, how it is controlled, and its score now, when raised, and where the partners aim to bring it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    number = models.PositiveIntegerField(editable=False)
    reference = models.CharField(max_length=20, editable=False, help_text="For example QZZ-R-027.")
    title = models.CharField(max_length=200, validators=[reject_markup])
    cause = _text("cause", max_length=2000, help_text="What gives rise to the risk.")
    event = _text("event", max_length=2000, help_text="What could happen.")
    effect = _text("effect", max_length=2000, help_text="The harm if it happens.")
    domain = models.ForeignKey(RiskDomain, on_delete=models.PROTECT, related_name="risks")
    source = models.CharField(max_length=20, choices=RiskSource.choices, default=RiskSource.INTERNAL)
    tier = models.CharField(max_length=20, choices=RiskTier.choices, default=RiskTier.PARTNERSHIP)
    workstream = models.ForeignKey(
        "workstreams.WorkStream",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
        help_text="For a work-stream risk: the work-stream whose group reviews it.",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
        help_text="For one organisation's risk shared with the partnership: the organisation.",
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks_owned")
    overseen_by = models.CharField(
        "overseen by",
        max_length=200,
        validators=[reject_markup],
        help_text="The committee or group that oversees it, like 'Partnership board' or 'Quality committee'.",
    )
    objective = _text("objective threatened", max_length=1000, help_text="The partnership objective it threatens.")
    controls = _text("controls", max_length=5000, blank=True, help_text="What is in place to stop it or limit it.")
    assurances = _text(
        "assurances", max_length=5000, blank=True, help_text="The evidence that the controls work (reports, audits)."
    )
    control_gaps = _text("gaps in control", max_length=5000, blank=True, help_text="Controls missing or not working.")
    assurance_gaps = _text(
        "gaps in assurance", max_length=5000, blank=True, help_text="Where there is no evidence the controls work."
    )
    actions = models.ManyToManyField(
        "workstreams.Action",
        blank=True,
        related_name="risks",
        help_text="The work-stream or board actions that mitigate it.",
    )
    decisions = models.ManyToManyField(
        Decision,
        blank=True,
        related_name="risks",
        through="RiskDecisionLink",
        help_text="Decisions that depend on it: when it rises above tolerance, their review is suggested.",
    )

    initial_likelihood = models.PositiveSmallIntegerField(validators=likelihood_validators())
    initial_consequence = models.PositiveSmallIntegerField(validators=consequence_validators())
    initial_score = _score("initial_likelihood", "initial_consequence")
    current_likelihood = models.PositiveSmallIntegerField(validators=likelihood_validators())
    current_consequence = models.PositiveSmallIntegerField(validators=consequence_validators())
    current_score = _score("current_likelihood", "current_consequence")
    target_likelihood = models.PositiveSmallIntegerField(validators=likelihood_validators())
    target_consequence = models.PositiveSmallIntegerField(validators=consequence_validators())
    target_score = _score("target_likelihood", "target_consequence")
    target_on = models.DateField("target date", null=True, blank=True, help_text="When the target score is due.")

    review_every = models.PositiveSmallIntegerField(
        "review frequency", choices=ReviewFrequency.choices, default=ReviewFrequency.QUARTERLY
    )
    next_review_on = models.DateField("next review date")
    last_reviewed_on = models.DateField("last reviewed on", null=True, blank=True)

    status = models.CharField(max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = _text("why it was closed", max_length=2000, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="risks_raised"
    )

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-current_score", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="risk_number_unique_in_partnership"),
            models.UniqueConstraint(fields=["partnership", "reference"], name="risk_reference_unique_in_partnership"),
            models.CheckConstraint(
                condition=(Q(tier=RiskTier.PARTNERSHIP) & Q(workstream__isnull=True) & Q(organisation__isnull=True))
                | (Q(tier=RiskTier.WORKSTREAM) & Q(workstream__isnull=False) & Q(organisation__isnull=True))
                | (Q(tier=RiskTier.ORGANISATION) & Q(organisation__isnull=False) & Q(workstream__isnull=True)),
                name="risk_tier_names_its_workstream_or_organisation",
                violation_error_message="A work-stream risk names its work-stream, an organisation's risk names "
                "the organisation, and a partnership risk names neither.",
            ),
            _on_the_matrix("initial"),
            _on_the_matrix("current"),
            _on_the_matrix("target"),
            models.CheckConstraint(
                condition=(Q(status=RiskStatus.OPEN) & Q(closed_on__isnull=True))
                | (Q(status=RiskStatus.CLOSED) & Q(closed_on__isnull=False)),
                name="risk_closed_on_only_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "status", "current_score"], name="risk_register_idx"),
            models.Index(fields=["partnership", "status", "next_review_on"], name="risk_review_idx"),
            models.Index(fields=["partnership", "created_at"], name="risk_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:risk_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == RiskStatus.OPEN

    @property
    def where(self) -> str:
        """The tier in words: 'Partnership', or the work-stream's or organisation's name."""
        if self.tier == RiskTier.WORKSTREAM and self.workstream is not None:
            return f"Work-stream: {self.workstream.name}"
        if self.tier == RiskTier.ORGANISATION and self.organisation is not None:
            return f"Organisation: {self.organisation.name}"
        return "Partnership"


class RiskReview(models.Model):
    """A review of a risk: when, by whom, the scores it found and what it noted, and when the next one is due."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("review date")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_reviews")
    likelihood = models.PositiveSmallIntegerField(validators=likelihood_validators())
    consequence = models.PositiveSmallIntegerField(validators=consequence_validators())
    score = _score("likelihood", "consequence")
    previous_score = models.PositiveSmallIntegerField()
    note = _text("what the review found", max_length=5000)
    next_review_on = models.DateField("next review date")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5) & Q(consequence__gte=1, consequence__lte=5),
                name="risk_review_score_on_the_matrix",
            ),
            models.CheckConstraint(
                condition=Q(next_review_on__gt=F("reviewed_on")),
                name="risk_review_next_review_after_this_one",
                violation_error_message="The next review must be after this one.",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.risk.reference} on {self.reviewed_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:risk_detail", args=[self.risk_id]) + f"#review-{self.pk}"


class RiskScoreChange(models.Model):
    """One assessment of a risk's current score: the first when it is raised, then one per review. The score
    history and the trend are read from these."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="score_changes")
    changed_on = models.DateField(help_text="The day the score took effect: the review date, or the day raised.")
    recorded_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    likelihood = models.PositiveSmallIntegerField(validators=likelihood_validators())
    consequence = models.PositiveSmallIntegerField(validators=consequence_validators())
    score = _score("likelihood", "consequence")
    previous_score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Blank for the first.")
    reason = _text("why", max_length=5000)
    review = models.OneToOneField(
        RiskReview, null=True, blank=True, on_delete=models.CASCADE, related_name="score_change"
    )

    class Meta:
        ordering = ["-changed_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["risk", "changed_on"], name="risk_score_change_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5) & Q(consequence__gte=1, consequence__lte=5),
                name="risk_score_change_on_the_matrix",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk.reference} scored {self.score} on {self.changed_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:risk_detail", args=[self.risk_id]) + "#score-history"

    @property
    def direction(self) -> str:
        """'first', 'up', 'down' or 'same', compared with the score before."""
        if self.previous_score is None:
            return "first"
        if self.score > self.previous_score:
            return "up"
        return "down" if self.score < self.previous_score else "same"


class RiskDecisionLink(models.Model):
    """A decision that depends on a risk, and who linked them: the review a rising risk suggests names that person,
    since linking is what lets a risk put a decision in question (`access.can_link_decision`)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="decision_links")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="risk_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Blank for links made before this was kept, or by the system.",
    )
    linked_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

    class Meta:
        db_table = "governance_risk_decisions"  # the table of the plain many-to-many it replaced
        constraints = [
            models.UniqueConstraint(fields=["risk", "decision"], name="risk_decision_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.risk.reference} linked to {self.decision.reference}"

    def get_absolute_url(self) -> str:
        return self.risk.get_absolute_url()


class ReviewSuggestionQuerySet(models.QuerySet):
    def in_force(self):
        """Suggestions that still apply: not dismissed, raised against the decision's current approval. Reopening
        the decision, approving it again or superseding it ends a suggestion without a word from anyone."""
        return self.filter(dismissed_at__isnull=True, decision__status=DecisionStatus.APPROVED).filter(
            Q(decision__decided_at__isnull=True) | Q(suggested_at__gte=F("decision__decided_at"))
        )


class ReviewSuggestion(models.Model):
    """A risk's rise above the board's tolerance putting in question an approved decision linked to it.

    It lives on the risk side because risks know the decisions they affect, not the other way round: the decision's
    "review suggested" is read from here (`selectors.risks.with_review_suggestion`). The lead dismisses it, saying why
    the decision stands; rows are kept, dismissed or not, as the record of what each risk put in question.
    """

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="review_suggestions")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="review_suggestions")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who linked the risk to the decision, so letting the risk suggest its review.",
    )
    suggested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField("why a review is suggested", max_length=2000, validators=[MaxLengthValidator(2000)])
    dismissed_at = models.DateTimeField(null=True, blank=True, help_text="When the lead recorded that it stands.")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissal_reason = _text("why the decision stands", max_length=2000, blank=True)

    objects = ReviewSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["suggested_at", "id"]
        indexes = [models.Index(fields=["decision", "suggested_at"], name="review_suggestion_decision_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="review_suggestion_has_reason"),
            models.CheckConstraint(
                condition=Q(dismissed_at__isnull=True) | ~Q(dismissal_reason=""),
                name="review_suggestion_dismissal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk.reference} suggests a review of {self.decision.reference}"

    def get_absolute_url(self) -> str:
        return self.decision.get_absolute_url() + "#review-suggested"
