"""The partnership lead's journey through the partnerships pages in a real browser, checked with axe on each page,
and an outsider who cannot reach the partnership."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.models import AgreementStatus
from tests.factories import AgreementFactory, DelegationFactory

from .conftest import assert_accessible, fill_date, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_lead_adds_a_delegation_through_the_form_and_sees_it_on_the_overview(page, world):
    sign_in(page, "lead")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My partnerships").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My partnerships")
    assert_accessible(page)

    page.get_by_role("link", name="Demo Health and Care Partnership").click()
    page.wait_for_url("**/partnerships/QZZ/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demo Health and Care Partnership")
    assert_accessible(page)

    page.get_by_role("link", name="Add a delegation").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add delegation").click()  # nothing filled in: the error summary
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the organisation that delegates")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)

    page.get_by_label("Organisation that delegates").select_option(label="Demo City Council (Z1001)")
    page.get_by_label("Person who holds the delegation").select_option(
        label=f"{world.ned.display_name} (Lay member, Demo City Council)"
    )
    page.get_by_label("Policy").check()
    page.get_by_label("Service change").check()
    page.get_by_label("Limit in pounds").fill("250000")
    fill_date(page, "Start date", datetime.date(2026, 4, 1))
    page.get_by_label("Source document").fill("Constitution, part 3: responsibility for functions")
    page.get_by_role("button", name="Add delegation").click()

    page.wait_for_url(re.compile(r"/partnerships/QZZ/#delegations$"))
    banner = page.locator(".nhsuk-notification-banner")
    expect(banner).to_contain_text("The delegation for Demo City Council has been added")
    row = page.locator("#delegations-in-force tbody tr", has_text="Demo City Council")
    assert row.inner_text().split("\t")[:4] == [
        "Demo City Council",
        world.ned.display_name,
        "Service change, Policy",
        "£250,000",
    ]
    assert_accessible(page)

    row.get_by_role("link", name="Demo City Council", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Demo City Council$"))).to_be_visible()
    delegations = page.locator("#delegations ~ table").first
    expect(delegations).to_contain_text("Constitution, part 3: responsibility for functions")
    assert_accessible(page)

    sign_out(page)
    sign_in(page, "outsider")
    response = page.goto("/partnerships/QZZ/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
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
    for path in [
        f"/agreements/{agreement.pk}/",
        f"/agreements/{agreement.pk}/change/",
        "/partnerships/QZZ/agreements/new/",
        f"/delegations/{delegation.pk}/change/",
        "/partnerships/QZZ/details/",
        "/partnerships/QZZ/organisations/new/",
        "/partnerships/QZZ/members/add/",
        f"/memberships/{membership.pk}/change/",
        "/partnerships/QZZ/people/invite/",
        f"/partnerships/QZZ/people/{world.viewer.pk}/change/",
        f"/partnerships/QZZ/people/{world.viewer.pk}/remove/",
        f"/partnerships/QZZ/organisations/{world.trust.pk}/correct/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)
    # An organisation's shared record is kept by its administrators: the lead is told to propose a correction.
    change_organisation = f"/partnerships/QZZ/organisations/{world.trust.pk}/change/"
    assert page.goto(change_organisation).status == 403
    expect(page.get_by_text("Propose a correction instead")).to_be_visible()
    assert_accessible(page)
    world.lead.is_superuser = True
    world.lead.save(update_fields=["is_superuser"])  # save(), not update(): the signed-in-person cache hears of it
    assert page.goto(change_organisation).status == 200
    assert_accessible(page)
