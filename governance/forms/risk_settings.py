"""Forms for the lead's risk settings: the bands and escalation score, the board's appetite in each domain, and the
partnership's own domains. The services check everything again, so the API gets the same answers."""

from django import forms

from core.forms import Form
from partnerships.forms import text_field

from ..models import MATRIX_SCORES, AppetiteLevel, RiskBand, RiskSettings
from .decisions import long_text


def _whole_number(label: str, *, low: int = 1, high: int = 25, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a whole number, like 12",
            "min_value": f"The {label.lower()} must be {low} or more",
            "max_value": f"The {label.lower()} must be {high} or less",
        },
    )


class RiskSettingsForm(Form):
    low_max = _whole_number("Highest low score", help_text="Low runs from 1 to this score.")
    moderate_max = _whole_number("Highest moderate score", help_text="Moderate runs from the next score to this one.")
    high_max = _whole_number(
        "Highest high score", help_text="High runs from the next score to this one; every score above it is extreme."
    )
    escalation_score = _whole_number(
        "Escalation score", help_text=RiskSettings._meta.get_field("escalation_score").help_text
    )


def tolerance_choices(settings: RiskSettings) -> list[tuple[int, str]]:
    """Only scores the 5×5 matrix can give, each with its band: '8 (high)'."""
    return [(score, f"{score} ({RiskBand(settings.band_for(score)).label.lower()})") for score in MATRIX_SCORES]


class RiskAppetiteForm(Form):
    level = forms.ChoiceField(
        label="Appetite",
        choices=AppetiteLevel.choices,
        widget=forms.RadioSelect,
        help_text="Averse: avoid risk. Minimal: as little as possible. Cautious: prefer safe options. Open: accept "
        "risk for a benefit. Seek: eager to take risk for the reward.",
        error_messages={
            "required": "Choose the board's appetite",
            "invalid_choice": "Choose an appetite from the list",
        },
    )
    tolerance = forms.TypedChoiceField(
        label="Tolerance: the highest acceptable score",
        coerce=int,
        help_text="A risk in this domain scoring more than this is flagged above appetite.",
        error_messages={"required": "Choose the tolerance", "invalid_choice": "Choose a score the matrix can give"},
    )
    statement = long_text("Appetite statement", max_length=2000, required=False, help_text="The board's own words.")

    def __init__(self, *args, settings: RiskSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tolerance"].choices = [("", "Choose a score"), *tolerance_choices(settings)]


class RiskDomainForm(Form):
    name = text_field("Name", max_length=100, missing="Enter the name of the risk domain")
    description = text_field("Description", required=False, max_length=300, help_text="What risks it covers.")
