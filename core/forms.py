"""Form pieces every app shares: the sign-in form and the bridge from Django fields to NHS.UK macros."""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.boundfield import BoundField


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "The username or password is not right. Check them and try again.",
        "inactive": "This account has been switched off. Ask your partnership lead to restore it.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


_INPUT_TYPES = {
    forms.EmailInput: "email",
    forms.PasswordInput: "password",
    forms.URLInput: "url",
    forms.NumberInput: "text",  # NHS.UK asks for text with inputmode=numeric, not type=number
    forms.DateInput: "date",
    forms.TimeInput: "time",
    forms.DateTimeInput: "datetime-local",
}


def widget_kind(bound_field: BoundField) -> str:
    """Which NHS.UK component renders this field: input, textarea, select, radios, checkboxes or file."""
    widget = bound_field.field.widget
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
        if params["type"] == "date" and isinstance(value, datetime.date):
            params["value"] = value.isoformat()  # what <input type="date"> reads, whatever the locale
        else:
            params["value"] = "" if value is None else widget.format_value(value)
    elif kind == "textarea":
        params["value"] = value or ""
    elif kind in {"select", "radios", "checkboxes"}:
        params.update(_choice_params(bound_field, kind, value))
        if kind != "select":
            # The boxes take their ids from idPrefix; an id on the group would clash with the first box's.
            params.pop("id")
    params.update(overrides)
    return params


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
