"""The lead's form for when the board digest is built and emailed. The service checks everything again, so every
way in gets the same answers."""

from django import forms

from core.forms import Form

from ..models import DigestFrequency, Weekday
from ..models.digests import hour_label


class DigestScheduleForm(Form):
    frequency = forms.ChoiceField(
        label="How often",
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how often the digest is built",
            "invalid_choice": "Choose weekly, or off",
        },
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week",
        coerce=int,
        choices=Weekday.choices,
        error_messages={"required": "Choose the day of the week", "invalid_choice": "Choose a day of the week"},
    )
    hour = forms.TypedChoiceField(
        label="Time",
        coerce=int,
        choices=[(hour, hour_label(hour)) for hour in range(24)],
        help_text="UK time, on the hour. The digest is built and emailed then.",
        error_messages={"required": "Choose the time", "invalid_choice": "Choose a time on the hour"},
    )
