"""Every list in the partnerships API makes the same number of queries for 3 rows as for 30."""

import pytest
from django.urls import reverse

from partnerships.models import Role
from tests.factories import (
    AgreementFactory,
    DelegationFactory,
    PartnershipFactory,
    ProfileFactory,
    UserFactory,
    grant,
    member_of,
)

from .api_client import api_as, queries_for

pytestmark = pytest.mark.django_db


def add_partnerships(world, count):
    for _ in range(count):
        grant(world.lead, PartnershipFactory(), Role.VIEWER)


def add_members(world, count):
    for _ in range(count):
        member_of(world.partnership)


def add_people(world, count):
    for _ in range(count):
        person = UserFactory()
        ProfileFactory(user=person, organisation=world.trust)
        grant(person, world.partnership, Role.MEMBER, Role.BOARD_MEMBER)


def add_delegations(world, count):
    for _ in range(count):
        organisation = member_of(world.partnership)
        delegate = UserFactory()
        ProfileFactory(user=delegate, organisation=organisation)
        grant(delegate, world.partnership, Role.BOARD_MEMBER)
        DelegationFactory(partnership=world.partnership, organisation=organisation, delegate=delegate)


def add_agreements(world, count):
    for index in range(count):
        agreement = AgreementFactory(partnership=world.partnership, document=f"agreements/QZZ/{index}.pdf")
        agreement.parties.set([world.trust, world.council, member_of(world.partnership)])


LISTS = [
    ("partnership-list", add_partnerships),
    ("organisation-list", add_members),
    ("membership-list", add_members),
    ("role-list", add_people),
    ("delegation-list", add_delegations),
    ("agreement-list", add_agreements),
]


@pytest.mark.parametrize(("url_name", "add"), LISTS, ids=[name for name, _ in LISTS])
def test_a_list_makes_as_many_queries_for_30_rows_as_for_3(world, url_name, add):
    client = api_as(world, "lead")
    url = reverse(f"api:{url_name}")
    add(world, 3)
    few = queries_for(client, url)
    add(world, 27)
    many = queries_for(client, url)
    assert client.get(url).json()["count"] >= 30
    assert many == few
    assert few <= 6, "token, count and rows, plus one prefetch at most"
