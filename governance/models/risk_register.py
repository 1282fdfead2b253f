"""How a partnership scores its risks: the NHS 5×5 matrix, its bands, the escalation score, risk domains and the
board's appetite for risk in each domain."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from core.models import TimeStampedModel
from core.validators import reject_markup
from partnerships.models import Partnership


class Likelihood(models.IntegerChoices):
    RARE = 1, "Rare"
    UNLIKELY = 2, "Unlikely"
    POSSIBLE = 3, "Possible"
    LIKELY = 4, "Likely"
    ALMOST_CERTAIN = 5, "Almost certain"


class Consequence(models.IntegerChoices):
    NEGLIGIBLE = 1, "Negligible"
    MINOR = 2, "Minor"
    MODERATE = 3, "Moderate"
    MAJOR = 4, "Major"
    CATASTROPHIC = 5, "Catastrophic"


class RiskBand(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"
    EXTREME = "extreme", "Extreme"


class AppetiteLevel(models.TextChoices):
    """How much risk the board will take in a domain, from none to actively seeking it for the reward."""

    AVERSE = "averse", "Averse"
    MINIMAL = "minimal", "Minimal"
    CAUTIOUS = "cautious", "Cautious"
    OPEN = "open", "Open"
    SEEK = "seek", "Seek"


# Every score the 5×5 matrix can give: 7, 11, 13, 14, 17 to 19 and 21 to 24 cannot happen.
MATRIX_SCORES = tuple(sorted({likelihood * consequence for likelihood in range(1, 6) for consequence in range(1, 6)}))
DEFAULT_ESCALATION_SCORE = 15
DEFAULT_BAND_TOPS = {"low_max": 3, "moderate_max": 6, "high_max": 12}


def likelihood_validators() -> list:
    message = "The likelihood must be a whole number from 1 (rare) to 5 (almost certain)."
    return [MinValueValidator(1, message), MaxValueValidator(5, message)]


def consequence_validators() -> list:
    message = "The consequence must be a whole number from 1 (negligible) to 5 (catastrophic)."
    return [MinValueValidator(1, message), MaxValueValidator(5, message)]


def score_validators(what: str = "score") -> list:
    message = f"The {what} must be a whole number from 1 to 25."
    return [MinValueValidator(1, message), MaxValueValidator(25, message)]


class RiskDomainQuerySet(models.QuerySet):
    def for_partnership(self, partnership: Partnership):
        """The eight domains every partnership has, and the partnership's own."""
        return self.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


class RiskDomain(models.Model):
    """What kind of harm a risk threatens. The eight NHS defaults (partnership blank) are made by a data migration;
    a partnership's lead adds its own, which only that partnership sees."""

    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="risk_domains",
        help_text="Blank for the domains every partnership has.",
    )
    name = models.CharField(max_length=100, validators=[reject_markup])
    description = models.CharField(max_length=300, blank=True, validators=[reject_markup])
    position = models.PositiveSmallIntegerField(default=100, help_text="Where it comes in lists.")

    objects = RiskDomainQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(partnership__isnull=True),
                name="risk_domain_default_name_unique",
            ),
            models.UniqueConstraint(
                Lower("name"),
                "partnership",
                name="risk_domain_name_unique_in_partnership",
                violation_error_message="This partnership already has a risk domain with that name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """A partnership's own domain on its appetite page; one of the eight, which belong to no page, in the API."""
        if self.partnership_id is None:
            return reverse("api:risk-domain-detail", args=[self.pk])
        return reverse("governance:risk_appetite", args=[self.partnership.code]) + f"#domain-{self.pk}"

    @property
    def is_default(self) -> bool:
        return self.partnership_id is None


@dataclass(frozen=True)
class BandRange:
    band: str
    lowest: int  # the lowest score the matrix can give in the band
    highest: int

    @property
    def label(self) -> str:
        return RiskBand(self.band).label

    def __str__(self) -> str:
        scores = str(self.lowest) if self.lowest == self.highest else f"{self.lowest}–{self.highest}"
        return f"{self.label} {scores}"


class RiskSettings(TimeStampedModel):
    """One partnership's risk matrix: where each band ends, and the score at which a risk goes to the board.

    Each band is stored by its highest score and starts at the score after the band below, so the bands cover 1 to
    25 with no gap or overlap by construction; `clean` checks they are in order and that each can hold a score the
    matrix can give. A partnership without a row uses the defaults; its first risk saves one, which then also holds
    the register's reference counter.
    """

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="risk_settings")
    low_max = models.PositiveSmallIntegerField(
        "highest low score", default=3, validators=score_validators("highest low score")
    )
    moderate_max = models.PositiveSmallIntegerField(
        "highest moderate score", default=6, validators=score_validators("highest moderate score")
    )
    high_max = models.PositiveSmallIntegerField(
        "highest high score",
        default=12,
        validators=score_validators("highest high score"),
        help_text="Scores above it are extreme.",
    )
    escalation_score = models.PositiveSmallIntegerField(
        default=DEFAULT_ESCALATION_SCORE,
        validators=score_validators("escalation score"),
        help_text="A risk scoring this or more goes on the board's register of escalated risks.",
    )
    last_number = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="The register's last reference number, locked while a new risk takes the next: no gaps, "
        "no duplicates.",
    )

    class Meta:
        verbose_name = "risk settings"
        verbose_name_plural = "risk settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(low_max__gte=1)
                & Q(moderate_max__gt=models.F("low_max"))
                & Q(high_max__gt=models.F("moderate_max"))
                & Q(high_max__lt=25),
                name="risk_settings_bands_in_order",
                violation_error_message="Each band must end above the band below it, and the high band below 25.",
            ),
            models.CheckConstraint(
                condition=Q(escalation_score__gte=1) & Q(escalation_score__lte=25),
                name="risk_settings_escalation_score_on_the_matrix",
            ),
        ]

    def __str__(self) -> str:
        return f"Risk matrix of {self.partnership}"

    def get_absolute_url(self) -> str:
        return reverse("governance:risk_settings_update", args=[self.partnership.code])

    @classmethod
    def for_partnership(cls, partnership: Partnership) -> "RiskSettings":
        """The partnership's settings, or the defaults (unsaved) if it has none yet."""
        return cls.objects.filter(partnership=partnership).first() or cls(partnership=partnership)

    def clean(self) -> None:
        errors = {}
        if self.low_max is None or self.low_max < 1:
            return  # the field's own error says it
        tops = [("moderate_max", "moderate", self.moderate_max), ("high_max", "high", self.high_max)]
        below_name, below_top = "low", self.low_max
        for field, name, top in tops:
            if top is None:
                return  # the field's own "required" error says it
            if top <= below_top:
                errors[field] = (
                    f"The {name} band must end above the {below_name} band's highest score ({below_top}), "
                    "so the bands do not overlap."
                )
            elif not any(below_top < score <= top for score in MATRIX_SCORES):
                errors[field] = (
                    f"No risk can score from {below_top + 1} to {top} on the 5×5 matrix: "
                    f"widen the {name} band so it can hold a score."
                )
            below_name, below_top = name, max(top, below_top)
        if self.high_max >= 25 and "high_max" not in errors:
            errors["high_max"] = "The high band must end below 25, so that 25 is extreme."
        if errors:
            raise ValidationError(errors)

    def band_for(self, score: int) -> str:
        if score <= self.low_max:
            return RiskBand.LOW
        if score <= self.moderate_max:
            return RiskBand.MODERATE
        if score <= self.high_max:
            return RiskBand.HIGH
        return RiskBand.EXTREME

    def bands(self) -> list[BandRange]:
        """Each band with the lowest and highest scores the matrix can give in it: low 1–3, moderate 4–6, ..."""
        ranges, below = [], 0
        for band, top in zip(RiskBand.values, (self.low_max, self.moderate_max, self.high_max, 25), strict=True):
            scores = [score for score in MATRIX_SCORES if below < score <= top]
            ranges.append(BandRange(band, scores[0], scores[-1]))
            below = top
        return ranges

    def score_range(self, band: str) -> tuple[int, int]:
        """The lowest and highest scores of a band, as stored (for filtering)."""
        tops = {"low": (1, self.low_max), "moderate": (self.low_max + 1, self.moderate_max)}
        tops.update(high=(self.moderate_max + 1, self.high_max), extreme=(self.high_max + 1, 25))
        return tops[band]


class RiskAppetite(TimeStampedModel):
    """The board's appetite for risk in one domain: a level, and the highest score it will tolerate."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risk_appetites")
    domain = models.ForeignKey(RiskDomain, on_delete=models.PROTECT, related_name="appetites")
    level = models.CharField(max_length=20, choices=AppetiteLevel.choices)
    tolerance = models.PositiveSmallIntegerField(
        validators=score_validators("tolerance"),
        help_text="The highest score the board accepts in this domain: a risk scoring more is above appetite.",
    )
    statement = models.TextField(
        "appetite statement",
        max_length=2000,
        blank=True,
        validators=[reject_markup, MaxLengthValidator(2000)],
        help_text="The board's words, for example: 'We will not accept risks that could harm patients'.",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["domain__position", "domain__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "domain"],
                name="risk_appetite_one_per_domain",
                violation_error_message="The appetite for this domain is already set: change it instead.",
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=1) & Q(tolerance__lte=25), name="risk_appetite_tolerance_on_the_matrix"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.get_level_display().lower()}, tolerance {self.tolerance}"

    def get_absolute_url(self) -> str:
        return reverse("governance:risk_appetite", args=[self.partnership.code]) + f"#domain-{self.domain_id}"
