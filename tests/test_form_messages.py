"""What people met when they typed (issue 14, items 24 and 25): one voice for every form's messages, each naming its
field, all at once; ordinary text with < and > accepted (and escaped on the page); money written as on paper."""

import importlib
import inspect
import pkgutil
import re
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from core.audit import SYSTEM
from core.form_messages import NamedErrors
from governance.models import Decision
from partnerships.models import Delegation
from tests.html import error_summary, parse
from workstreams import services as workstream_services
from workstreams.models import WorkStream, WorkStreamStatus

DJANGO_WORDING = ("This field is required", "Select a valid choice", "Enter a valid", "Ensure this value")


@pytest.fixture
def diabetes(world):
    workstream = workstream_services.workstream_propose(
        actor=world.lead, partnership=world.partnership, name="Diabetes", purpose="Better care.", lead=world.board
    )
    workstream_services.workstream_accept(actor=world.lead, workstream=workstream, reason="Agreed by the board.")
    workstream_services.workstream_change_status(
        actor=SYSTEM, workstream=workstream, status=WorkStreamStatus.ACTIVE, reason="Group formed."
    )
    return workstream


def proposal(world, **fields) -> dict:
    return {
        "title": "Shared discharge team",
        "case": "The case.",
        "category": "finance",
        "visibility": "public",
        "bound_organisations": [world.trust.pk],
        **fields,
    }


def the_words_of(page, href: str) -> set[str]:
    """The words of what names a field on the page: its label, and the legend of the fieldset it is in."""
    element = page.select_one(href)
    assert element is not None, f"the error summary links to {href}, which is not on the page"
    names = [label.get_text(" ") for label in page.select(f'label[for="{element.get("id")}"]')]
    fieldset = element.find_parent("fieldset")
    if fieldset is not None:
        names.append((fieldset.find("legend") or fieldset).get_text(" "))
    return stems(" ".join(names))


def stems(text: str) -> set[str]:
    """The first five letters of each word of four or more: "reached" and "reach", "describe" and "description"."""
    common = {"your", "this", "that", "with", "from", "what", "which", "enter", "choose"}
    return {word[:5] for word in re.findall(r"[a-z]{4,}", text.lower()) if word not in common}


EMPTY_FORMS = {
    "decision proposal": lambda world, workstream: reverse("governance:decision_create", args=["QZZ"]),
    "action": lambda world, workstream: reverse("workstreams:action_create", args=[workstream.pk]),
    "engagement activity": lambda world, workstream: reverse("engagement:activity_create", args=["QZZ"]),
    "organisation": lambda world, workstream: reverse("partnerships:organisation_create", args=["QZZ"]),
    "work-stream proposal": lambda world, workstream: reverse("workstreams:workstream_create", args=["QZZ"]),
}


@pytest.mark.parametrize("form", EMPTY_FORMS)
def test_an_empty_form_names_every_field_it_needs(client, world, diabetes, form):
    client.force_login(world.lead)
    response = client.post(EMPTY_FORMS[form](world, diabetes), {})
    assert response.status_code == 400
    page, errors = parse(response), error_summary(response)
    assert len(errors) >= 3
    for message, href in errors:
        assert not message.startswith(DJANGO_WORDING), message
        assert not message.endswith("."), f"{message!r}: NHS.UK error messages have no full stop"
        assert stems(message) & the_words_of(page, href), f"{message!r} does not name its field ({href})"


def test_a_wrong_date_reads_the_same_on_every_form(client, world, diabetes):
    client.force_login(world.lead)
    wrong = {"[day]": "31", "[month]": "2", "[year]": "2027"}
    action = client.post(
        reverse("workstreams:action_create", args=[diabetes.pk]),
        {"description": "Write the plan", "owner": world.member.pk, **{f"due_on{k}": v for k, v in wrong.items()}},
    )
    organisation = client.post(
        reverse("partnerships:organisation_create", args=["QZZ"]),
        {"name": "Dales Hospice", "kind": "vcse", "membership_kind": "associate"}
        | {f"joined_on{k}": v for k, v in wrong.items()},
    )
    assert error_summary(action) == [("Enter a real date, like 27 3 2027", "#id_due_on-day")]
    assert error_summary(organisation) == [("Enter a real date, like 27 3 2027", "#id_joined_on-day")]


def test_html_and_a_missing_lead_are_both_reported_in_the_first_round(client, world):
    client.force_login(world.lead)
    response = client.post(
        reverse("workstreams:workstream_create", args=["QZZ"]), {"name": "<b>Diabetes</b>", "purpose": "Care."}
    )
    assert response.status_code == 400
    assert error_summary(response) == [
        ("Remove the HTML tags from the name", "#id_name"),
        ("Choose the lead", "#id_lead"),
    ]
    assert not WorkStream.objects.exists()


@pytest.mark.parametrize("text", ["If cost < budget and benefit > cost then proceed", "a<b", "x <3 and y> 2"])
def test_text_with_a_less_than_sign_is_accepted_and_shown_as_typed(client, world, text):
    client.force_login(world.lead)
    response = client.post(reverse("governance:decision_create", args=["QZZ"]), proposal(world, case=text))
    assert response.status_code == 302, error_summary(response)
    decision = Decision.objects.get()
    assert decision.case == text
    page = client.get(decision.get_absolute_url())
    assert text.replace("<", "&lt;").replace(">", "&gt;") in page.content.decode()
    assert text in parse(page).get_text()


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "<script", "Fine <b>bold</b>", '<img src="x">', "</div>", "<!-- note -->"]
)
def test_a_real_html_tag_is_still_refused(client, world, text):
    client.force_login(world.lead)
    response = client.post(reverse("governance:decision_create", args=["QZZ"]), proposal(world, title=text))
    assert response.status_code == 400
    assert error_summary(response) == [("Remove the HTML tags from the title", "#id_title")]
    assert not Decision.objects.exists()


@pytest.mark.parametrize("written", ["1250000", "1,250,000", "£1,250,000", "£ 1 250 000.00"])
def test_money_written_with_commas_or_a_pound_sign_is_accepted(client, world, written):
    client.force_login(world.lead)
    response = client.post(reverse("governance:decision_create", args=["QZZ"]), proposal(world, value_pounds=written))
    assert response.status_code == 302, error_summary(response)
    assert Decision.objects.get().value_pounds == Decimal("1250000")


def test_a_delegations_limit_written_as_on_paper_is_accepted(client, world):
    client.force_login(world.lead)
    response = client.post(
        reverse("partnerships:delegation_create", args=["QZZ"]),
        {
            "organisation": world.trust.pk,
            "delegate": world.board.pk,
            "categories": ["finance"],
            "limit_pounds": "£1,250,000",
            "valid_from": "2026-01-01",
            "source_document": "Scheme of delegation",
        },
    )
    assert response.status_code == 302, error_summary(response)
    assert Delegation.objects.get(delegate=world.board).limit_pounds == Decimal("1250000")


def test_money_that_is_not_an_amount_is_refused_with_an_example(client, world):
    client.force_login(world.lead)
    response = client.post(reverse("governance:decision_create", args=["QZZ"]), proposal(world, value_pounds="lots"))
    assert error_summary(response) == [("Enter the value as an amount in pounds, like £250,000", "#id_value_pounds")]


def test_every_form_on_our_pages_speaks_with_the_one_voice():
    """Each form in an app's forms/ derives from core.forms.Form or ModelForm, which write the messages."""
    strays = []
    for app in ["partnerships", "workstreams", "engagement", "governance", "reporting"]:
        package = importlib.import_module(f"{app}.forms")
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{app}.forms.{module_info.name}")
            for name, value in vars(module).items():
                defined_here = inspect.isclass(value) and value.__module__ == module.__name__
                if defined_here and issubclass(value, forms.BaseForm) and not issubclass(value, NamedErrors):
                    strays.append(f"{module.__name__}.{name}")
    assert not strays, f"derive these from core.forms.Form or core.forms.ModelForm: {strays}"
