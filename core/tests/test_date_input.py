"""The NHS.UK date input: a date typed as day, month and year in three boxes, with the same messages on every page."""

import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.conf import settings
from django.template import engines

from core.forms import DateInputField


class DueForm(forms.Form):
    due_on = DateInputField(label="Due date", error_messages={"required": "Enter the date the action is due"})
    review_on = DateInputField(label="Review date", required=False)


def typed(day="", month="", year="", name="due_on") -> dict:
    return {f"{name}[day]": day, f"{name}[month]": month, f"{name}[year]": year}


def rendered(form) -> BeautifulSoup:
    """The form's error summary and date fields as the pages render them, through `field()` and the NHS.UK macro."""
    template = engines["jinja2"].env.from_string(
        '{% from "includes/forms.html" import error_summary, field %}'
        "{{ error_summary(form) }}{{ field(form.due_on) }}{{ field(form.review_on) }}"
    )
    return BeautifulSoup(template.render({"form": form}), "html.parser")


def errors(data) -> list[str]:
    form = DueForm(data)
    assert not form.is_valid()
    return form.errors["due_on"]


def test_a_date_typed_as_day_month_and_year_is_read():
    form = DueForm(typed("27", "3", "2027"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"due_on": datetime.date(2027, 3, 27), "review_on": None}


def test_leading_zeros_and_spaces_are_fine():
    form = DueForm(typed(" 07 ", "03", "2027"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == datetime.date(2027, 3, 7)


def test_an_iso_date_under_the_plain_name_is_read_for_scripts_and_links():
    form = DueForm({"due_on": "2027-03-27", "review_on": "2027-04-01"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"due_on": datetime.date(2027, 3, 27), "review_on": datetime.date(2027, 4, 1)}


@pytest.mark.parametrize(
    "data",
    [
        typed("31", "2", "2027"),
        typed("27", "13", "2027"),
        typed("27", "March", "2027"),
        typed("27", "3", "27"),
        {"due_on": "2027-02-31"},
        {"due_on": "next Tuesday"},
        {"due_on": "27/03/2027"},
    ],
    ids=["31 February", "month 13", "month in words", "two-digit year", "impossible ISO date", "words", "slashes"],
)
def test_a_date_that_is_not_real_asks_for_a_real_one(data):
    assert errors(data) == ["Enter a real date, like 27 3 2027"]


def test_a_missing_date_gives_the_fields_own_message():
    assert errors(typed()) == ["Enter the date the action is due"]
    assert errors({"due_on": ""}) == ["Enter the date the action is due"]
    assert errors({}) == ["Enter the date the action is due"]


def test_without_a_message_of_its_own_a_missing_date_names_the_field():
    form = forms.Form({})
    form.fields["held_on"] = DateInputField(label="Meeting date")
    assert not form.is_valid() and form.errors["held_on"] == ["Enter the meeting date"]


def test_a_missing_part_is_named():
    assert errors(typed("27", "", "2027")) == ["Due date must include a month"]
    assert errors(typed("", "3", "")) == ["Due date must include a day and year"]


def test_an_optional_date_left_empty_is_none():
    form = DueForm({**typed("27", "3", "2027"), **typed(name="review_on")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["review_on"] is None


def test_the_nhsuk_date_input_has_three_labelled_boxes_in_a_fieldset():
    page = rendered(DueForm(initial={"due_on": datetime.date(2027, 3, 27)}))
    fieldset = page.select_one("fieldset.nhsuk-fieldset")
    assert fieldset.select_one("legend").get_text(strip=True) == "Due date"
    assert fieldset.select_one(".nhsuk-hint").get_text(strip=True) == "For example, 27 3 2027"
    boxes = fieldset.select(".nhsuk-date-input#id_due_on .nhsuk-date-input__input")
    assert [(box["name"], box["id"], box["value"], box["inputmode"]) for box in boxes] == [
        ("due_on[day]", "id_due_on-day", "27", "numeric"),
        ("due_on[month]", "id_due_on-month", "3", "numeric"),
        ("due_on[year]", "id_due_on-year", "2027", "numeric"),
    ]
    labels = [page.select_one(f"label[for={box['id']}]").get_text(strip=True) for box in boxes]
    assert labels == ["Day", "Month", "Year"]


def test_after_an_error_the_form_keeps_what_was_typed_and_marks_every_box():
    page = rendered(DueForm(typed("31", "2", "2027")))
    boxes = page.select("#id_due_on input")
    assert [box["value"] for box in boxes] == ["31", "2", "2027"]
    assert all("nhsuk-input--error" in box["class"] for box in boxes)
    assert page.select_one("#id_due_on-error").get_text(" ", strip=True) == "Error: Enter a real date, like 27 3 2027"
    assert page.select_one(".nhsuk-error-summary a")["href"] == "#id_due_on-day"


def test_a_missing_part_marks_only_its_box_and_the_summary_links_to_it():
    page = rendered(DueForm(typed("27", "", "2027")))
    marked = [box["id"] for box in page.select("#id_due_on input") if "nhsuk-input--error" in box["class"]]
    assert marked == ["id_due_on-month"]
    assert page.select_one(".nhsuk-error-summary a")["href"] == "#id_due_on-month"
    assert [box["value"] for box in page.select("#id_due_on input")] == ["27", "", "2027"]


def test_an_iso_date_from_a_link_is_shown_in_the_three_boxes():
    page = rendered(DueForm({"due_on": "2026-01-05"}))
    assert [box["value"] for box in page.select("#id_due_on input")] == ["5", "1", "2026"]
    assert not page.select(".nhsuk-input--error")


def test_no_form_uses_a_native_date_field():
    """Every date in every form is the NHS.UK date input, so dates are typed and checked the same way everywhere."""
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for app in ["partnerships", "workstreams", "engagement", "governance", "reporting"]
        for path in (root / app / "forms").rglob("*.py")
        if "forms.DateField(" in path.read_text() or "forms.DateInput(" in path.read_text()
    ]
    assert not offenders, f"use core.forms.DateInputField in {offenders}"
