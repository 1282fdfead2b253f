"""The history pages in a real browser (issue 17): the lead opens the partnership's history from its overview,
filters it by person, follows a change to its record; an organisation's administrator reads the changes to their
organisation. Each page passes axe and fits a 320 px screen without scrolling sideways."""

import datetime

import pytest
from playwright.sync_api import expect

from partnerships import services
from tests.factories import ProfileFactory, UserFactory

from .conftest import sign_in, switch_to
from .test_organisation_admin import check

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_lead_reads_filters_and_follows_the_history_and_an_administrator_reads_their_organisations(page, world):
    superuser = UserFactory(username="admin", is_superuser=True, is_staff=True)
    secretary = UserFactory(username="secretary", first_name="Ada", last_name="Secretary")
    ProfileFactory(user=secretary, organisation=world.trust, job_title="Company secretary")
    services.organisation_administrator_appoint(actor=superuser, organisation=world.trust, user=secretary)
    services.delegation_create(
        actor=world.lead,
        partnership=world.partnership,
        organisation=world.trust,
        delegate=world.board,
        categories=["finance"],
        valid_from=datetime.date(2026, 1, 1),
        source_document="Scheme of reservation and delegation with a long name that must wrap on a small phone",
    )
    services.partnership_update(
        actor=world.lead, partnership=world.partnership, public_description="Working together across the area"
    )

    sign_in(page, "lead")
    page.goto("/partnerships/QZZ/")
    page.get_by_role("link", name="History: every change recorded").click()
    expect(page.locator("h1")).to_contain_text("History")
    expect(page.locator("#history")).to_contain_text("Scheme of reservation")
    check(page)

    page.get_by_label("Person").select_option(label=world.lead.display_name)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results")).not_to_contain_text("0 changes")
    check(page)
    page.locator("#history").get_by_role("link", name=world.partnership.name).first.click()
    expect(page.locator("h1")).to_contain_text(world.partnership.name)

    switch_to(page, "secretary")
    page.goto(world.trust.get_absolute_url())
    page.get_by_role("link", name=f"Changes to {world.trust.name}").click()
    expect(page.locator("#organisation-history")).to_contain_text("Scheme of reservation")
    check(page)
