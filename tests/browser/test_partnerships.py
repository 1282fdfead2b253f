"""The partnership lead's journey through the partnerships pages in a real browser, checked with axe on each page,
and an outsider who cannot reach the partnership."""

import datetime
import re

import pytest
from django.utils import timezone

from partnerships.models import AgreementStatus
from tests.factories import AgreementFactory, DelegationFactory

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_lead_adds_a_delegation_through_the_form_and_sees_it_on_the_overview(page, world):
    sign_in(page, "lead")
    page.wait_for_url("**/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My partnerships").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My partnerships"
    assert_accessible(page)

    page.get_by_role("link", name="Demo Health and Care Partnership").click()
    assert "Demo Health and Care Partnership" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Add a delegation").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add delegation").click()  # nothing filled in: the error summary
    summary = page.locator(".nhsuk-error-summary")
    assert "Choose the organisation that delegates" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("Organisation that delegates").select_option(label="Demo City Council (Z1001)")
    page.get_by_label("Person who holds the delegation").select_option(
        label=f"{world.ned.display_name} (Lay member, Demo City Council)"
    )
    page.get_by_label("Policy").check()
    page.get_by_label("Service change").check()
    page.get_by_label("Limit in pounds").fill("250000")
    page.get_by_label("Start date").fill("2026-04-01")
    page.get_by_label("Source document").fill("Constitution, part 3: responsibility for functions")
    page.get_by_role("button", name="Add delegation").click()

    page.wait_for_url(re.compile(r"/partnerships/QZZ/#delegations$"))
    assert (
        "The delegation for Demo City Council has been added" in page.locator(".nhsuk-notification-banner").inner_text()
    )
    row = page.locator("#delegations-in-force tbody tr", has_text="Demo City Council")
    assert row.inner_text().split("\t")[:4] == [
        "Demo City Council",
        world.ned.display_name,
        "Service change, Policy",
        "£250,000",
    ]
    assert_accessible(page)

    row.get_by_role("link", name="Demo City Council", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("Demo City Council")
    assert (
        "Constitution, part 3: responsibility for functions" in page.locator("#delegations ~ table").first.inner_text()
    )
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "outsider")
    page.wait_for_url("**/")
    response = page.goto("/partnerships/QZZ/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page)


def test_every_partnerships_page_and_form_is_accessible(page, world):
    delegation = DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board)
    agreement = AgreementFactory(
        partnership=world.partnership,
        title="Memorandum of understanding",
        status=AgreementStatus.SIGNED,
        review_on=timezone.localdate() + datetime.timedelta(days=10),  # shows the "review due soon" callout
    )
    agreement.parties.set([world.trust, world.council])
    membership = world.trust.memberships.get()
    sign_in(page, "lead")
    page.wait_for_url("**/")
    for path in [
        f"/agreements/{agreement.pk}/",
        f"/agreements/{agreement.pk}/change/",
        "/partnerships/QZZ/agreements/new/",
        f"/delegations/{delegation.pk}/change/",
        "/partnerships/QZZ/details/",
        "/partnerships/QZZ/organisations/new/",
        f"/partnerships/QZZ/organisations/{world.trust.pk}/change/",
        "/partnerships/QZZ/members/add/",
        f"/memberships/{membership.pk}/change/",
        "/partnerships/QZZ/people/invite/",
        f"/partnerships/QZZ/people/{world.viewer.pk}/change/",
        f"/partnerships/QZZ/people/{world.viewer.pk}/remove/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)
