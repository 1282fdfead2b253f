"""Form fields and helpers every partnerships form uses, and other apps reuse for theirs."""

from django import forms

from core.forms import DateInputField
from core.validators import reject_markup

from ..models import (
    Membership,
    Organisation,
    Partnership,
    ods_code_validator,
)


def text_field(label: str, *, required: bool = True, max_length: int = 200, missing: str = "", **kwargs):
    """A plain-text field: markup is refused, and a missing or too-long value gets a message naming it."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        validators=[reject_markup],
        error_messages={
            "required": missing or f"Enter the {label.lower()}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


def date_field(label: str, *, required: bool = True, missing: str = "", help_text: str = "") -> DateInputField:
    """A date in the NHS.UK date input; `missing` replaces "Enter the <label>" when the label reads badly in it."""
    return DateInputField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": missing} if missing else None,
    )


class OdsCodeField(forms.CharField):
    """An ODS code as people type it: spaces trimmed and letters made capitals before it is checked."""

    def to_python(self, value):
        return super().to_python(value).replace(" ", "").upper()


def ods_code_field(label: str = "ODS code", *, required: bool = False, help_text: str = ""):
    return OdsCodeField(
        label=label,
        required=required,
        max_length=6,
        help_text=help_text,
        validators=[ods_code_validator],
        error_messages={
            "required": "Enter the organisation's ODS code",
            "max_length": "An ODS code has 3 to 6 letters and digits",
        },
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        return f"{organisation.name} ({organisation.ods_code})" if organisation.ods_code else organisation.name


class PartiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        return organisation.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        profile = getattr(user, "profile", None)
        where = ", ".join(
            part
            for part in [profile and profile.job_title, profile and profile.organisation and str(profile.organisation)]
            if part
        )
        return f"{user.display_name} ({where})" if where else user.display_name


def member_organisations(partnership: Partnership):
    """Organisations the lead may pick for a person or a delegation: the partnership's current members."""
    current = Membership.objects.filter(partnership=partnership).current().values("organisation")
    return Organisation.objects.filter(pk__in=current).order_by("name")
