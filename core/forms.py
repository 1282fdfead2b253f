"""Form pieces every app shares: the base `Form` and `ModelForm` of every page's form (messages in one voice, see
core/form_messages.py), the sign-in form, the NHS.UK date field, the money field and the bridge from Django fields to
NHS.UK macros."""

import datetime
import re
import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from .form_messages import NamedErrors, named


class PasswordResetForInvitedForm(PasswordResetForm):
    """Django's reset form, which also reaches people who were invited and never chose a password.

    Django skips accounts with an unusable password, which is what an invitation leaves until its link is used; so an
    invited person whose link had expired was told "sent" and got nothing. Still only active accounts, matched on
    the email address without regard to case."""

    def get_users(self, email):
        field = get_user_model().get_email_field_name()
        wanted = _casefolded(email)
        users = get_user_model()._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in users if _casefolded(getattr(user, field)) == wanted)


def _casefolded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "The username or password is not right. Check them and try again.",
        "inactive": "This account has been switched off. Ask your partnership lead to restore it.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


DATE_EXAMPLE = "27 3 2027"
DATE_PARTS = ("day", "month", "year")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_OR_MONTH = re.compile(r"[0-9]{1,2}")
_YEAR = re.compile(r"[0-9]{4}")


def _date_parts(value) -> list[str]:
    """Day, month and year as the three boxes show them (`27`, `3`, `2027`), from a date or an ISO date string;
    three empty strings for anything else."""
    if isinstance(value, datetime.date):
        return [str(value.day), str(value.month), str(value.year)]
    if isinstance(value, str) and (match := _ISO_DATE.fullmatch(value.strip())):
        year, month, day = match.groups()
        return [str(int(day)), str(int(month)), year]
    return ["", "", ""]


class DateInputWidget(forms.MultiWidget):
    """Three boxes named the way the NHS.UK `dateInput` macro names them with `namePrefix`: `due_on[day]`,
    `due_on[month]` and `due_on[year]`. `field()` in templates/includes/forms.html renders them, not Django."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)
        self.widgets_names = [f"[{part}]" for part in DATE_PARTS]

    def decompress(self, value) -> list[str]:
        return _date_parts(value)

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if name in data and all(part in (None, "") for part in parts):
            return data.get(name)  # a whole date under the plain name, from a script or a link
        return parts

    def value_omitted_from_data(self, data, files, name) -> bool:
        return super().value_omitted_from_data(data, files, name) and name not in data


class DateInputBoundField(BoundField):
    """A date field as a template sees it: which of its boxes to mark, and where the error summary links."""

    @property
    def parts_in_error(self) -> list[str]:
        """The boxes to mark as wrong: only the empty ones when the others were filled in. Otherwise none, and the
        NHS.UK macro marks all three, as the design system asks when the date as a whole is wrong."""
        if not self.errors:
            return []
        value = self.value()
        parts = value if isinstance(value, list | tuple) else _date_parts(value)
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not (part or "").strip()]
        return missing if len(missing) < len(DATE_PARTS) else []

    @property
    def error_link_id(self) -> str:
        """Where the error summary's link goes: the first box in error, or the day box."""
        return f"{self.auto_id}-{(self.parts_in_error or ['day'])[0]}"


class DateInputField(forms.MultiValueField):
    """A date as the NHS.UK date input asks for it: day, month and year in three boxes (`due_on[day]`,
    `due_on[month]`, `due_on[year]`), rendered through the `dateInput` macro by `field()`.

    It also accepts a whole ISO date under the field's plain name (`due_on=2027-03-27`), so that scripted clients,
    the API filters that share these fields, links such as the dashboard's `?decided_from=2026-01-01` and tests that
    post one value keep working. The messages read the same on every page: the field's own "required" message when
    nothing is given ("Enter the <label>" unless the form says otherwise), "<Label> must include a month" when a box
    is left empty, and "Enter a real date, like 27 3 2027" for anything that is not a date.
    """

    widget = DateInputWidget
    bound_field_class = DateInputBoundField
    default_error_messages = {"invalid": f"Enter a real date, like {DATE_EXAMPLE}"}

    def __init__(self, *, label=None, error_messages=None, **kwargs):
        boxes = [forms.CharField(required=False) for _ in DATE_PARTS]
        super().__init__(boxes, label=label, error_messages=error_messages, require_all_fields=False, **kwargs)
        if not (error_messages or {}).get("required"):
            self.error_messages["required"] = f"Enter {named(str(label))}" if label else "Enter a date"

    def clean(self, value):
        if not isinstance(value, list | tuple):
            value = self._whole_date(value)
        return super().clean(value)

    def _whole_date(self, value) -> list[str]:
        if value is None or (isinstance(value, str) and not value.strip()):
            return []
        parts = _date_parts(value)
        if not any(parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parts

    def compress(self, data_list) -> datetime.date | None:
        if not data_list or not any(data_list):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        day, month, year = data_list
        missing = [name for name, part in zip(DATE_PARTS, data_list, strict=True) if not part]
        if missing:
            raise ValidationError(
                "%(label)s must include a %(parts)s",
                code="incomplete",
                params={"label": self.label or "The date", "parts": " and ".join(missing)},
            )
        if not (_DAY_OR_MONTH.fullmatch(day) and _DAY_OR_MONTH.fullmatch(month) and _YEAR.fullmatch(year)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def has_changed(self, initial, data) -> bool:
        if not isinstance(data, list | tuple):
            data = _date_parts(data)
        return super().has_changed(initial, data)


class PoundsField(forms.DecimalField):
    """An amount of money as people write it: "1250000", "1,250,000", "£1,250,000" or "£ 1 250 000.50". The pound
    sign, commas and spaces are dropped before the number is read."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[£,\s]", "", value)
        return super().to_python(value)


def pounds_field(label: str, *, noun: str, help_text: str = "") -> PoundsField:
    """An optional amount in pounds and pence, £0 or more, as every money field on our pages asks for it; `noun`
    names it in the messages ("Enter the limit as an amount in pounds, like £250,000")."""
    return PoundsField(
        label=label,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput,
        help_text=help_text,
        error_messages={
            "invalid": f"Enter the {noun} as an amount in pounds, like £250,000",
            "min_value": f"The {noun} must be £0 or more",
            "max_digits": f"The {noun} must be less than £1,000,000,000,000",
            "max_decimal_places": f"Enter the {noun} in pounds and pence, like £250,000.50",
            "max_whole_digits": f"The {noun} must be less than £1,000,000,000,000",
        },
    )


class Form(NamedErrors, forms.Form):
    """The base of every form on our pages (see NamedErrors)."""


class ModelForm(NamedErrors, forms.ModelForm):
    """The base of every model form on our pages (see NamedErrors)."""


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, so the page shows it like the form's own: each message on the
    field it names where the form has that field, else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


_INPUT_TYPES = {
    forms.EmailInput: "email",
    forms.PasswordInput: "password",
    forms.URLInput: "url",
    forms.NumberInput: "text",  # NHS.UK asks for text with inputmode=numeric, not type=number
    forms.TimeInput: "time",
    forms.DateTimeInput: "datetime-local",
}


def widget_kind(bound_field: BoundField) -> str:
    """Which NHS.UK component renders this field: input, textarea, select, radios, checkboxes, file or date."""
    widget = bound_field.field.widget
    if isinstance(widget, DateInputWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect, so it is tested first.
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def field_params(bound_field: BoundField, **overrides) -> dict:
    """The parameters an NHS.UK macro needs to render `bound_field`, with its errors and current value."""
    field, widget = bound_field.field, bound_field.field.widget
    kind = widget_kind(bound_field)
    params: dict = {
        "id": bound_field.auto_id,
        "name": bound_field.html_name,
        "label": {"text": bound_field.label},
    }
    if field.help_text:
        params["hint"] = {"text": str(field.help_text)}
    if bound_field.errors:
        params["errorMessage"] = {"text": " ".join(str(error) for error in bound_field.errors)}
    attributes = {
        key: value
        for key, value in widget.attrs.items()
        if key in {"maxlength", "minlength", "min", "max", "step", "accept", "rows"}
    }
    if field.required and kind in {"input", "textarea", "select", "file"}:
        attributes["required"] = "required"
    if attributes:
        params["attributes"] = attributes
    if "autocomplete" in widget.attrs:
        params["autocomplete"] = widget.attrs["autocomplete"]

    value = bound_field.value()
    if kind == "input":
        params["type"] = next((t for cls, t in _INPUT_TYPES.items() if isinstance(widget, cls)), "text")
        if isinstance(widget, forms.NumberInput):
            params["inputmode"] = "decimal"
        params["value"] = "" if value is None else widget.format_value(value)
    elif kind == "date":
        del params["label"], params["name"]  # a legend names the three boxes; each box's name has the prefix
        params.update(_date_input_params(bound_field, value))
    elif kind == "textarea":
        params["value"] = value or ""
    elif kind in {"select", "radios", "checkboxes"}:
        params.update(_choice_params(bound_field, kind, value))
        if kind != "select":
            # The boxes take their ids from idPrefix; an id on the group would clash with the first box's.
            params.pop("id")
    params.update(overrides)
    return params


def _date_input_params(bound_field: BoundField, value) -> dict:
    """The `dateInput` macro's parameters: a legend instead of a label, the three boxes with what was typed, and the
    error state only on the boxes left empty when the others were filled in (else the macro marks all three)."""
    parts = value if isinstance(value, list | tuple) else _date_parts(value)
    marked = bound_field.parts_in_error
    return {
        "namePrefix": bound_field.html_name,
        "fieldset": {"legend": {"text": bound_field.label}},
        # The design system's hint for a date: an example in the same shape as the error message's.
        "hint": {"text": str(bound_field.field.help_text or f"For example, {DATE_EXAMPLE}")},
        "items": [
            {"name": part, "value": part_value or "", "width": 4 if part == "year" else 2}
            | ({"error": True} if part in marked else {})
            for part, part_value in zip(DATE_PARTS, parts, strict=True)
        ],
    }


def _choice_params(bound_field: BoundField, kind: str, value) -> dict:
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return {
            "fieldset": {"legend": {"text": bound_field.label, "size": "s"}},
            "items": [{"value": "on", "text": bound_field.label, "checked": bool(value)}],
            "idPrefix": bound_field.auto_id,
        }
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    flag = "selected" if kind == "select" else "checked"
    items = [
        {"value": str(option_value), "text": str(option_label), flag: str(option_value) in chosen}
        for option_value, option_label in bound_field.field.choices
    ]
    if kind == "select":
        return {"items": items}
    return {
        "items": items,
        "idPrefix": bound_field.auto_id,
        "fieldset": {"legend": {"text": bound_field.label, "size": "s"}},
    }
