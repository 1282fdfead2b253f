"""Forms to sign a decision and to record a partner board's ratification."""

from django import forms

from core.forms import Form
from partnerships.forms import OrganisationChoiceField, date_field, text_field

from ..models import RatificationOutcome, Vote
from .decisions import long_text

NO_INTEREST = "no_interest"
INTEREST_DECLARED = "interest_declared"


class SignOffForm(Form):
    interest = forms.ChoiceField(
        label="Your interests",
        widget=forms.RadioSelect,
        choices=[
            (NO_INTEREST, "I declare that I have no interest in this decision"),
            (INTEREST_DECLARED, "I have declared an interest in this decision, and it is not a conflict"),
        ],
        error_messages={"required": "Declare whether you have an interest in this decision"},
    )
    vote = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=Vote.choices,
        error_messages={
            "required": "Choose approve, reject or abstain",
            "invalid_choice": "Choose approve, reject or abstain",
        },
    )
    comment = long_text(
        "Comment",
        max_length=5000,
        required=False,
        help_text="Required if you reject: your reasons are recorded as dissent.",
    )

    def clean(self):
        data = super().clean()
        if data.get("vote") == Vote.REJECT and not data.get("comment"):
            self.add_error("comment", "Give your reasons for rejecting: dissent is recorded with them")
        return data

    @property
    def declares_no_interest(self) -> bool:
        return self.cleaned_data.get("interest") == NO_INTEREST


class RatificationForm(Form):
    organisation = OrganisationChoiceField(
        label="Organisation",
        queryset=None,
        error_messages={
            "required": "Choose the organisation",
            "invalid_choice": "Choose an organisation awaiting its own board",
        },
    )
    body = text_field("Board or committee", missing="Enter the board or committee that took the decision")
    ratified_on = date_field("Date of the meeting", missing="Enter the date of the meeting")
    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        choices=RatificationOutcome.choices,
        error_messages={"required": "Choose ratified or not ratified"},
    )
    note = long_text("Note", max_length=2000, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
