"""An organisation's administrator keeps its record in a real browser (issue 15): they confirm a delegation the lead
recorded and accept the correction the lead proposed, and the lead then sees both. Each new page passes axe and
fits a 320 px screen without scrolling sideways."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from partnerships import services
from tests.factories import ProfileFactory, UserFactory

from .conftest import assert_accessible, sign_in, switch_to
from .test_reflow import overflow, what_overflows

pytestmark = pytest.mark.django_db(transaction=True)


def check(page) -> None:
    """No axe violations on a wide screen, and nothing to scroll sideways on a small phone."""
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    # The page lays itself out again for the narrower window: wait for that, not for a fixed time. Polled from here,
    # since Playwright's wait_for_function evaluates a string, which the pages' CSP (no 'unsafe-eval') refuses.
    for _ in range(50):
        if overflow(page) <= 0:
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail(f"{page.url} scrolls sideways at 320 px by {overflow(page)} px: {what_overflows(page)}")
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def secretary(world):
    """The trust's company secretary, appointed its administrator by a service administrator; no partnership role."""
    superuser = UserFactory(username="admin", is_superuser=True, is_staff=True)
    secretary = UserFactory(username="secretary", first_name="Ada", last_name="Secretary")
    ProfileFactory(user=secretary, organisation=world.trust, job_title="Company secretary")
    services.organisation_administrator_appoint(actor=superuser, organisation=world.trust, user=secretary)
    return secretary


def test_an_administrator_confirms_a_delegation_and_accepts_a_correction_that_the_lead_then_sees(
    page, world, secretary
):
    delegation = services.delegation_create(
        actor=world.lead,
        partnership=world.partnership,
        organisation=world.trust,
        delegate=world.board,
        categories=["finance"],
        valid_from=datetime.date(2026, 1, 1),
        source_document="Scheme of reservation and delegation",
    )

    # The lead proposes a correction from the overview's members list.
    sign_in(page, "lead")
    page.goto("/partnerships/QZZ/")
    expect(page.locator("#delegations-in-force")).to_contain_text(
        "Not confirmed by Demo Hospitals NHS Foundation Trust"
    )
    check(page)
    page.get_by_role("link", name="Propose a correction to the record of Demo Hospitals NHS Foundation Trust").click()
    check(page)
    page.get_by_label("Name", exact=True).fill("Demo Teaching Hospitals NHS Foundation Trust")
    page.get_by_label("Why should the record change?").fill("The trust became a teaching trust in April.")
    page.get_by_role("button", name="Send the correction").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        f"Demo Hospitals NHS Foundation Trust's administrators ({secretary.display_name}) will answer it"
    )

    # The administrator opens their organisation, confirms the delegation and accepts the correction.
    switch_to(page, "secretary")
    page.goto(world.trust.get_absolute_url())
    expect(page.locator("#organisation-delegations-table")).to_contain_text("Awaiting your confirmation")
    expect(page.locator("#corrections ~ div")).to_contain_text("The trust became a teaching trust in April.")
    check(page)
    page.goto(f"/delegations/{delegation.pk}/confirm/")
    check(page)
    page.get_by_role("button", name="Confirm delegation").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You have confirmed the delegation")
    expect(page.locator("#organisation-delegations-table")).to_contain_text(
        re.compile(rf"Confirmed\s+on .* by {secretary.display_name}", re.DOTALL)
    )
    page.get_by_role("link", name=re.compile("^Accept the correction from Demo Health")).click()
    check(page)
    page.get_by_role("button", name="Accept and change the record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demo Teaching Hospitals NHS Foundation Trust")
    check(page)

    # The other pages an administrator reaches.
    for path in [
        f"/organisations/{world.trust.pk}/change/",
        f"/organisations/{world.trust.pk}/administrators/appoint/",
        f"/organisations/{world.trust.pk}/administrators/{secretary.pk}/remove/",
        f"/organisations/{world.trust.pk}/affiliations/QZZ/{world.board.pk}/confirm/",
        f"/organisations/{world.trust.pk}/affiliations/QZZ/{world.board.pk}/decline/",
    ]:
        assert page.goto(path).status == 200, path
        check(page)
    page.get_by_role("button", name="Decline").click()  # no reason given: the error summary
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why this person does not represent")
    check(page)

    # The lead sees the delegation confirmed and the corrected name.
    switch_to(page, "lead")
    page.goto("/partnerships/QZZ/")
    expect(page.locator("#delegations-in-force")).to_contain_text(
        "Confirmed by Demo Teaching Hospitals NHS Foundation Trust"
    )
    expect(page.locator("#members")).to_be_visible()
    expect(page.get_by_role("link", name="Demo Teaching Hospitals NHS Foundation Trust").first).to_be_visible()
    expect(page.get_by_role("link", name="Change delegation for Demo Teaching Hospitals")).to_have_count(0)
