"""Forms for the register of interests and for declaring on a decision."""

from django import forms

from core.forms import Form
from partnerships.forms import date_field

from ..models import InterestDeclaration, InterestKind, Position
from .decisions import long_text
from .lifecycle import reason_field

KIND_FIELD = {
    "label": "Type of interest",
    "widget": forms.RadioSelect,
    "choices": InterestKind.choices,
    "error_messages": {"required": "Choose the type of interest", "invalid_choice": "Choose a type of interest"},
}


class InterestForm(Form):
    kind = forms.ChoiceField(**KIND_FIELD)
    description = long_text(
        "The interest",
        max_length=2000,
        missing="Describe the interest",
        help_text="The organisation, role or relationship, and what the interest is.",
    )
    valid_from = date_field("From", missing="Enter the date the interest began")
    valid_to = date_field("To", required=False, help_text="Leave blank while the interest continues.")
    mitigation = long_text(
        "How it is managed",
        max_length=2000,
        required=False,
        help_text="For example: leaves the meeting for items about the company.",
    )

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", "The end date must be the same as or after the start date")
        return data


class RegisterEntryField(forms.ModelChoiceField):
    def label_from_instance(self, entry: InterestDeclaration) -> str:
        return f"{entry.get_kind_display()}: {entry.description[:80]}"


class DecisionDeclarationForm(Form):
    position = forms.ChoiceField(
        label="What do you declare?",
        widget=forms.RadioSelect,
        choices=[
            (Position.NO_INTEREST, "I have no interest in this decision"),
            (Position.INTEREST, "I have an interest, but it is not a conflict: I will take part"),
            (Position.CONFLICT, "I have a conflict of interest: I will not take part or sign"),
        ],
        error_messages={"required": "Choose what you declare"},
    )
    kind = forms.ChoiceField(**{**KIND_FIELD, "required": False})
    description = long_text("The interest", max_length=2000, required=False, help_text="Only if you have one.")
    register_entry = RegisterEntryField(
        label="From your register of interests",
        queryset=InterestDeclaration.objects.none(),
        required=False,
        empty_label="None of these",
        error_messages={"invalid_choice": "Choose an entry from your own register"},
    )

    def __init__(self, *args, register_entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register_entry"].queryset = register_entries

    def clean(self):
        data = super().clean()
        if data.get("position") in (Position.INTEREST, Position.CONFLICT):
            if not data.get("kind"):
                self.add_error("kind", "Choose the type of interest")
            if not data.get("description"):
                self.add_error("description", "Describe the interest")
        return data


class WithdrawalRequestForm(Form):
    """Ask the partnership lead to withdraw your declared conflict: what you declare instead, and why."""

    position = forms.ChoiceField(
        label="What do you declare instead?",
        widget=forms.RadioSelect,
        choices=[
            (Position.NO_INTEREST, "I have no interest in this decision"),
            (Position.INTEREST, "I have an interest, but it is not a conflict: I will take part"),
        ],
        error_messages={"required": "Choose what you declare instead"},
    )
    reason = reason_field("Why should the conflict be withdrawn?", missing="Say why the conflict should be withdrawn")
