"""Our text inputs, selects and date inputs give the NHS.UK macros' markup, whitespace aside."""

import pytest
from django import forms
from markupsafe import Markup

from core.fields import render_field
from core.forms import DateInputField, field_params, widget_kind
from core.tests.nhsuk import macro_output, normalised

MACROS = {
    "input": ("nhsuk/components/input/macro.jinja", "input"),
    "select": ("nhsuk/components/select/macro.jinja", "select"),
    "date": ("nhsuk/components/date-input/macro.jinja", "dateInput"),
}


def _macro(kind: str, params) -> str:
    return macro_output(*MACROS[kind], params)


class Everything(forms.Form):
    title = forms.CharField(label="Title <b>", max_length=200, help_text="What it is & why")
    amount = forms.DecimalField(label="Value", required=False)
    email = forms.EmailField(label="Email", required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    status = forms.ChoiceField(label="Status", choices=[("", "Any"), ("open", "Open & active"), ("closed", "Closed")])
    due = DateInputField(label="Due on", required=False)
    since = DateInputField(label="Since")


FORM_DATA = {
    "empty": {},
    "filled in": {
        "title": "Discharge <plan>",
        "amount": "12.5",
        "email": "a@example.org",
        "status": "open",
        "due[day]": "5",
        "due[month]": "3",
        "due[year]": "2027",
        "since": "2026-01-01",
    },
    "wrong": {"title": "x" * 201, "amount": "lots", "status": "nope", "due[day]": "31", "due[year]": "2027"},
    "not a date": {"since[day]": "40", "since[month]": "13", "since[year]": "2026"},
}


def _bound_fields() -> list:
    params = []
    for label, data in FORM_DATA.items():
        form = Everything(data=data or None)
        form.is_valid()
        params += [pytest.param(bound_field, id=f"{label}-{bound_field.name}") for bound_field in form]
    return params


@pytest.mark.parametrize("bound_field", _bound_fields())
def test_a_forms_fields_as_the_macros_render_them(bound_field):
    kind = widget_kind(bound_field)
    params = field_params(bound_field)

    ours = render_field(kind, params)

    assert ours is not None
    assert normalised(ours) == normalised(_macro(kind, params))


OVERRIDES = {
    "prefix and width": {"prefix": "£", "classes": "nhsuk-input--width-10"},
    "suffix": {"suffix": "%", "classes": "nhsuk-input--width-3"},
    "no spelling check": {"spellcheck": False, "autocomplete": "off"},
    "numeric keyboard": {"inputmode": "numeric"},
    "hint as HTML": {"hint": {"html": Markup('If not, <a href="/declare/">declare it</a>.')}},
}


@pytest.mark.parametrize("overrides", OVERRIDES.values(), ids=OVERRIDES.keys())
def test_overrides_the_pages_pass(overrides):
    form = Everything(data={"title": "x" * 201})
    form.is_valid()
    params = field_params(form["title"], **overrides)

    assert normalised(render_field("input", params)) == normalised(_macro("input", params))


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("input", {"id": "a", "name": "a", "label": {"text": "A", "isPageHeading": True}}),
        ("input", {"id": "a", "name": "a", "label": {"text": "A"}, "hint": {"text": "H", "classes": "x"}}),
        ("input", {"id": "a", "name": "a", "label": {"text": "A"}, "attributes": {"disabled": True}}),
        ("select", {"id": "a", "name": "a", "label": {"text": "A"}, "items": [], "formGroup": {"classes": "x"}}),
        ("date", {"id": "a", "namePrefix": "a", "fieldset": {"legend": {"text": "A", "size": "l"}}, "items": []}),
        ("textarea", {"id": "a", "name": "a", "label": {"text": "A"}}),
    ],
    ids=["label as heading", "hint classes", "boolean attribute", "form group", "legend size", "textarea"],
)
def test_other_shapes_are_left_to_the_macros(kind, params):
    assert render_field(kind, params) is None


def test_text_is_escaped():
    form = Everything(data=FORM_DATA["filled in"])
    form.is_valid()

    html = render_field("input", field_params(form["title"]))

    assert "Title &lt;b&gt;" in html
    assert 'value="Discharge &lt;plan&gt;"' in html
    assert "What it is &amp; why" in html
