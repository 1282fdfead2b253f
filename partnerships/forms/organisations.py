"""The lead's forms for the partnership's details, its organisations and their memberships."""

from django import forms
from django.core.validators import MaxLengthValidator

from core.forms import Form
from core.validators import reject_markup

from ..access import ORGANISATION_REFERENCE_FIELDS as REFERENCE_FIELDS
from ..models import (
    GovernanceForm,
    MembershipKind,
    Organisation,
    OrganisationKind,
    ons_code_validator,
)
from ..services import ORGANISATION_FIELDS
from .fields import date_field, ods_code_field, text_field


class PartnershipDetailsForm(Form):
    name = text_field("Name", missing="Enter the partnership's name")
    ons_code = forms.CharField(
        label="ONS code",
        required=False,
        max_length=9,
        validators=[ons_code_validator],
        help_text="E followed by 8 digits, like E54000008. Leave blank if you do not know it.",
    )
    region = text_field("NHS England region", required=False, max_length=100)
    population = forms.IntegerField(
        label="Population",
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        help_text="People living in the footprint, as a whole number, like 1200000.",
        error_messages={
            "invalid": "Enter the population as a whole number, like 1200000",
            "min_value": "The population must be 0 or more",
            "max_value": "The population is too large",
        },
    )
    governance_form = forms.ChoiceField(
        label="How the partnership takes decisions",
        choices=GovernanceForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the partnership takes decisions"},
    )
    public_description = forms.CharField(
        label="Public description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_markup, MaxLengthValidator(5000)],
        help_text="Shown on the partnership's public page. Plain text.",
    )


class OrganisationFields(Form):
    name = text_field("Name", missing="Enter the organisation's name")
    ods_code = ods_code_field(
        help_text="3 to 6 capital letters and digits, like RXH or A81001. Leave blank if it has none, "
        "as for many charities."
    )
    kind = forms.ChoiceField(
        label="Type of organisation",
        choices=[("", "Choose a type"), *OrganisationKind.choices],
        error_messages={"required": "Choose the type of organisation"},
    )
    postcode = text_field("Postcode", required=False, max_length=10)
    opened_on = date_field("Open date", required=False, help_text="When the organisation was established, if known.")

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean_ods_code(self) -> str:
        code = self.cleaned_data["ods_code"]
        if code:
            taken = Organisation.objects.filter(ods_code=code)
            if self.organisation is not None:
                taken = taken.exclude(pk=self.organisation.pk)
            if taken.exists():
                raise forms.ValidationError(
                    f"An organisation with ODS code {code} is already on the register. "
                    "Add it as an existing organisation instead."
                )
        return code

    def organisation_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ["name", "ods_code", "kind", "postcode", "opened_on"]}


class OrganisationCreateForm(OrganisationFields):
    membership_kind = forms.ChoiceField(
        label="Its part in the partnership",
        choices=MembershipKind.choices,
        initial=MembershipKind.FULL,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose its part in the partnership"},
    )
    joined_on = date_field("Date it joined", missing="Enter the date it joined the partnership")


class OrganisationChangeForm(OrganisationFields):
    """The shared record of an organisation. Its administrators keep all but the reference fields from the NHS
    data (ODS code and postcode), which the form leaves out unless `reference_fields`."""

    closed_on = date_field("Close date", required=False, help_text="Only if the organisation has closed.")
    contact_email = forms.EmailField(
        label="Governance contact email",
        required=False,
        max_length=254,
        help_text="Where partnerships write about the organisation's record and delegations: often the board "
        "secretary's office.",
        error_messages={"invalid": "Enter an email address in the right format, like governance@example.nhs.uk"},
    )
    website = forms.URLField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address in the right format, like https://www.example.nhs.uk"},
    )

    def __init__(self, *args, reference_fields: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not reference_fields:
            for name in REFERENCE_FIELDS:
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        opened, closed = cleaned.get("opened_on"), cleaned.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", "The close date must be the same as or after the open date")
        return cleaned

    def organisation_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ORGANISATION_FIELDS if name in self.fields}


class CorrectionForm(OrganisationChangeForm):
    """A lead's proposed correction: the record as they think it should be, and why."""

    reason = forms.CharField(
        label="Why should the record change?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[reject_markup],
        help_text="The organisation's administrators read this before they accept or decline the correction.",
        error_messages={
            "required": "Say why the record should change",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )


class MembershipAddForm(Form):
    ods_code = ods_code_field(required=True, help_text="The organisation must already be on the register.")
    kind = forms.ChoiceField(
        label="Its part in the partnership",
        choices=MembershipKind.choices,
        initial=MembershipKind.FULL,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose its part in the partnership"},
    )
    joined_on = date_field("Date it joined", missing="Enter the date it joined the partnership")

    def clean_ods_code(self) -> str:
        code = self.cleaned_data["ods_code"]
        self.organisation = Organisation.objects.filter(ods_code=code).first()
        if self.organisation is None:
            raise forms.ValidationError(
                f"No organisation on the register has ODS code {code}. Check the code, or add a new organisation."
            )
        return code


class MembershipChangeForm(Form):
    kind = forms.ChoiceField(
        label="Its part in the partnership",
        choices=MembershipKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose its part in the partnership"},
    )
    joined_on = date_field("Date it joined")
    left_on = date_field(
        "Date it left",
        required=False,
        help_text="To record that the organisation has left the partnership, enter the date it left.",
    )

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", "The date it left must be the same as or after the date it joined")
        return cleaned
