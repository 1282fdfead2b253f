"""Forms to raise a challenge or question and to answer it."""

from django import forms

from core.forms import Form

from ..models import ChallengeKind
from .decisions import long_text


class ChallengeForm(Form):
    kind = forms.ChoiceField(
        label="Is it a challenge or a question?",
        widget=forms.RadioSelect,
        choices=ChallengeKind.choices,
        initial=ChallengeKind.CHALLENGE,
        error_messages={"required": "Choose challenge or question"},
    )
    text = long_text(
        "Your challenge or question",
        max_length=5000,
        missing="Enter your challenge or question",
        help_text="For example: what risks were considered, what evidence supports it, who was not heard.",
    )


class ResponseForm(Form):
    response = long_text("Your response", max_length=5000, missing="Enter your response")
