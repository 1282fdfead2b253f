"""The lead's forms for people: inviting, changing roles and profile, removing."""

from django import forms

from core.forms import Form
from core.validators import reject_markup

from ..models import (
    Organisation,
    Partnership,
    Role,
)
from .fields import OrganisationChoiceField, member_organisations, text_field


class ConfirmForm(Form):
    """A button that confirms an action: no fields, but a POST, so the service's refusal has somewhere to show."""


class SecondFactorResetForm(Form):
    reason = forms.CharField(
        label="Why are you resetting it?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_markup],
        help_text="For example: lost phone, reported by telephone on 7 December. Kept in the audit trail.",
        error_messages={
            "required": "Say why you are resetting the second factor",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )


ROLE_HINT = (
    "A partnership lead manages members, people, delegations and agreements. Board and non-executive members "
    "take decisions. Members contribute to work-streams and engagement. Viewers can only read."
)


class PersonFields(Form):
    organisation = OrganisationChoiceField(
        label="Organisation they work for",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not one of the partnership's organisations",
        error_messages={"invalid_choice": "Choose one of the partnership's organisations"},
    )
    job_title = text_field("Job title", required=False)
    is_clinician = forms.BooleanField(label="They are a clinician", required=False)
    roles = forms.MultipleChoiceField(
        label="Roles in the partnership",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=ROLE_HINT,
        error_messages={"required": "Choose at least one role", "invalid_choice": "Choose roles from the list"},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_organisations(partnership)


class PersonInviteForm(PersonFields):
    first_name = text_field("First name", max_length=150)
    last_name = text_field("Last name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send the link to choose a password here.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the right format, like name@example.nhs.uk",
        },
    )
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="They sign in with this. Letters, digits and @ . + - _ only, like a.patel",
        error_messages={"required": "Enter a username"},
    )
    field_order = ["first_name", "last_name", "email", "username", "organisation", "job_title", "is_clinician"]


class PersonChangeForm(PersonFields):
    """The lead sets whom the person represents in this partnership. Their job title and clinician flag belong to
    their profile, which is theirs in every partnership: the form offers them only where the lead may change it."""

    def __init__(self, *args, partnership: Partnership, may_change_profile: bool, **kwargs):
        super().__init__(*args, partnership=partnership, **kwargs)
        field = self.fields["organisation"]
        field.label = f"Organisation they represent in {partnership.name}"
        field.help_text = (
            "This changes nothing in other partnerships. The organisation's administrators confirm that the person "
            "represents it; until they do, it shows as awaiting confirmation."
        )
        if not may_change_profile:
            del self.fields["job_title"], self.fields["is_clinician"]
