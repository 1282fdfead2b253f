"""My partnerships lists the organisations the user administers, with what awaits them: the way in for a board
secretary, who may hold no partnership role at all."""

import datetime

import pytest
from django.test import Client

from core.audit import SYSTEM
from partnerships import services
from tests.factories import DelegationFactory, OrganisationFactory, ProfileFactory, UserFactory, member_of
from tests.html import parse

from .test_pages_read import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(world):
    user = UserFactory(username="secretary")
    ProfileFactory(user=user, organisation=world.trust, job_title="Company secretary")
    services.organisation_administrator_appoint(actor=SYSTEM, organisation=world.trust, user=user)
    return user


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(client) -> dict[str, list[str]]:
    table = parse(client.get("/partnerships/")).select_one("#my-organisations-table")
    if table is None:
        return {}
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in table.select("tbody tr")]
    return {row[0]: row[1:] for row in rows}


def test_an_administrator_without_a_partnership_role_finds_their_organisation_and_what_awaits_it(world, secretary):
    DelegationFactory(partnership=world.partnership, organisation=world.trust)  # recorded by the lead: unconfirmed
    DelegationFactory(  # ended: nothing to confirm
        partnership=world.partnership,
        organisation=world.trust,
        valid_from=datetime.date(2019, 4, 1),
        valid_to=datetime.date(2020, 3, 31),
    )
    services.correction_propose(
        actor=world.lead, partnership=world.partnership, organisation=world.trust, reason="Renamed.", name="New name"
    )
    client = _signed_in(secretary)
    page = parse(client.get("/partnerships/"))
    assert "You do not have a role in any partnership." in page.text
    assert _rows(client) == {world.trust.name: ["1", "1", f"What it must act on : {world.trust.name}"]}
    links = [link["href"] for link in page.select("#my-organisations-table a")]
    assert links == [world.trust.get_absolute_url(), f"/organisations/{world.trust.pk}/business/"]


def test_people_who_administer_nothing_see_no_such_section(world):
    assert _rows(_signed_in(world.lead)) == {}


def test_the_list_takes_the_same_queries_for_one_organisation_as_for_many(world, secretary):
    client = _signed_in(secretary)
    DelegationFactory(partnership=world.partnership, organisation=world.trust)
    one = queries_for(client, "/partnerships/")
    for number in range(8):
        organisation = member_of(world.partnership, OrganisationFactory(name=f"Trust {number}"))
        services.organisation_administrator_appoint(actor=SYSTEM, organisation=organisation, user=secretary)
        DelegationFactory.create_batch(2, partnership=world.partnership, organisation=organisation)
    assert len(_rows(client)) == 9
    assert queries_for(client, "/partnerships/") == one
