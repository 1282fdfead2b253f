"""What the partnerships API lists and shows: only what the person may see, paginated, filtered, in a stable shape."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from partnerships.models import AgreementStatus, Membership, Organisation, OrganisationKind, Role
from tests.factories import TODAY, AgreementFactory, DelegationFactory, MembershipFactory, member_of

from .api_client import api_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with freeze_time(TODAY):
        yield


def listed(client, url_name, **filters):
    response = client.get(reverse(f"api:{url_name}"), filters)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(results):
    return {result["id"] for result in results}


@pytest.fixture
def theirs(world):
    """Records of the other partnership (QYY), which nobody in QZZ may see."""
    agreement = AgreementFactory(partnership=world.other_partnership)
    agreement.parties.set([world.other_trust])
    return {
        "delegation": DelegationFactory(
            partnership=world.other_partnership, organisation=world.other_trust, delegate=world.outsider
        ),
        "agreement": agreement,
    }


@pytest.mark.parametrize("url_name", ["delegation-list", "agreement-list", "membership-list", "role-list"])
def test_lists_hold_only_the_records_of_partnerships_the_person_is_in(world, theirs, url_name):
    DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board)
    agreement = AgreementFactory(partnership=world.partnership)
    agreement.parties.set([world.trust])

    for persona, code in [("viewer", "QZZ"), ("outsider", "QYY")]:
        results = listed(api_as(world, persona), url_name)
        assert results, persona
        assert {result["partnership"] for result in results} == {code}, persona


def test_organisations_are_listed_only_where_the_person_can_see_them(world):
    assert {o["name"] for o in listed(api_as(world, "outsider"), "organisation-list")} == {"Elsewhere NHS Trust"}
    assert {o["name"] for o in listed(api_as(world, "viewer"), "organisation-list")} == {
        "Demo City Council",
        "Demo Hospitals NHS Foundation Trust",
    }


def test_an_organisation_in_two_partnerships_is_listed_once(world):
    MembershipFactory(partnership=world.other_partnership, organisation=world.trust)
    names = [o["name"] for o in listed(api_as(world, "lead"), "organisation-list")]
    assert names.count("Demo Hospitals NHS Foundation Trust") == 1


def test_a_partnership_shows_its_details_and_member_count(world):
    answer = api_as(world, "viewer").get(reverse("api:partnership-detail", args=["QZZ"])).json()
    assert answer["code"] == "QZZ"
    assert answer["member_count"] == 2
    assert set(answer) == {
        "code",
        "name",
        "ons_code",
        "region",
        "population",
        "governance_form",
        "public_description",
        "member_count",
        "updated_at",
    }


def test_a_delegation_shows_its_organisation_and_delegate_without_private_details(world):
    delegation = DelegationFactory(
        partnership=world.partnership, organisation=world.trust, delegate=world.board, limit_pounds="250000"
    )
    answer = api_as(world, "member").get(reverse("api:delegation-detail", args=[delegation.pk])).json()
    assert answer["partnership"] == "QZZ"
    assert answer["organisation"] == {
        "id": world.trust.pk,
        "ods_code": "RZZ",
        "name": "Demo Hospitals NHS Foundation Trust",
        "kind": "acute_trust",
    }
    assert answer["delegate"]["username"] == "board"
    assert answer["delegate"]["job_title"] == "Chief executive"
    assert "email" not in answer["delegate"]
    assert answer["limit_pounds"] == "250000.00"
    assert answer["in_force"] is True


def test_roles_say_who_holds_which_role(world):
    results = listed(api_as(world, "viewer"), "role-list", partnership="QZZ")
    held = {(result["person"]["username"], result["role"]) for result in results}
    assert held == {
        ("lead", Role.LEAD),
        ("board", Role.BOARD_MEMBER),
        ("ned", Role.NON_EXECUTIVE),
        ("member", Role.MEMBER),
        ("viewer", Role.VIEWER),
    }


def test_roles_filter_by_role_person_and_mine(world):
    client = api_as(world, "ned")
    assert [r["person"]["username"] for r in listed(client, "role-list", role=Role.LEAD)] == ["lead"]
    assert [r["role"] for r in listed(client, "role-list", person=world.board.pk)] == [Role.BOARD_MEMBER]
    assert [r["role"] for r in listed(client, "role-list", mine="true")] == [Role.NON_EXECUTIVE]


def test_lists_are_paginated(world):
    for _ in range(7):
        member_of(world.partnership)
    client = api_as(world, "lead")
    first = client.get(reverse("api:organisation-list"), {"page_size": 5}).json()
    assert first["count"] == 9
    assert len(first["results"]) == 5
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 4
    assert second["next"] is None
    assert ids(first["results"]).isdisjoint(ids(second["results"]))


def test_a_page_holds_at_most_200_records(world):
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Practice {index}", kind=OrganisationKind.PRIMARY_CARE) for index in range(205)
    )
    Membership.objects.bulk_create(
        Membership(partnership=world.partnership, organisation=organisation, joined_on=TODAY)
        for organisation in organisations
    )
    answer = api_as(world, "lead").get(reverse("api:organisation-list"), {"page_size": 100000}).json()
    assert answer["count"] == 207
    assert len(answer["results"]) == 200


def test_organisations_filter_by_kind_ods_code_name_partnership_and_open(world):
    closed = member_of(
        world.partnership,
        name="Old Primary Care Trust",
        kind=OrganisationKind.COMMISSIONER,
        opened_on=datetime.date(2002, 4, 1),
        closed_on=datetime.date(2013, 3, 31),
    )
    client = api_as(world, "lead")

    assert ids(listed(client, "organisation-list", kind="local_authority")) == {world.council.pk}
    assert ids(listed(client, "organisation-list", ods_code="rzz")) == {world.trust.pk}
    assert ids(listed(client, "organisation-list", search="city")) == {world.council.pk}
    assert ids(listed(client, "organisation-list", is_open="false")) == {closed.pk}
    assert ids(listed(client, "organisation-list", partnership="QYY")) == set()


def test_memberships_filter_by_organisation_and_current(world):
    left = MembershipFactory(
        partnership=world.partnership,
        organisation=member_of(world.other_partnership),
        joined_on=datetime.date(2019, 4, 1),
        left_on=datetime.date(2022, 3, 31),
    )
    client = api_as(world, "board")
    assert ids(listed(client, "membership-list", is_current="false")) == {left.pk}
    current = listed(client, "membership-list", is_current="true", organisation=world.council.pk)
    assert [m["organisation"]["name"] for m in current] == ["Demo City Council"]
    assert current[0]["is_current"] is True


def test_delegations_filter_by_organisation_delegate_role_and_date_in_force(world):
    ended = DelegationFactory(
        partnership=world.partnership,
        organisation=world.trust,
        delegate=world.board,
        valid_from=datetime.date(2020, 4, 1),
        valid_to=datetime.date(2024, 3, 31),
    )
    current = DelegationFactory(
        partnership=world.partnership,
        organisation=world.trust,
        delegate=world.board,
        valid_from=datetime.date(2024, 4, 1),
    )
    by_role = DelegationFactory(
        partnership=world.partnership, organisation=world.council, delegate=None, delegate_role=Role.NON_EXECUTIVE
    )
    client = api_as(world, "viewer")

    assert ids(listed(client, "delegation-list", in_force_on="2023-01-01")) == {ended.pk}
    assert ids(listed(client, "delegation-list", in_force_on=TODAY.isoformat())) == {current.pk, by_role.pk}
    assert ids(listed(client, "delegation-list", organisation=world.council.pk)) == {by_role.pk}
    assert ids(listed(client, "delegation-list", delegate=world.board.pk)) == {ended.pk, current.pk}
    assert ids(listed(client, "delegation-list", delegate_role=Role.NON_EXECUTIVE)) == {by_role.pk}


def test_agreements_filter_by_status_party_and_due_for_review(world):
    due = AgreementFactory(partnership=world.partnership, review_on=TODAY + datetime.timedelta(days=30))
    due.parties.set([world.trust])
    later = AgreementFactory(
        partnership=world.partnership, status=AgreementStatus.SIGNED, review_on=TODAY + datetime.timedelta(days=400)
    )
    later.parties.set([world.trust, world.council])
    client = api_as(world, "viewer")

    assert ids(listed(client, "agreement-list", due_for_review="true")) == {due.pk}
    assert ids(listed(client, "agreement-list", due_for_review="false")) == {later.pk}
    assert ids(listed(client, "agreement-list", status="signed")) == {later.pk}
    assert ids(listed(client, "agreement-list", party=world.council.pk)) == {later.pk}
    assert listed(client, "agreement-list", party=world.council.pk)[0]["review_state"] == ""
    assert listed(client, "agreement-list", due_for_review="true")[0]["review_state"] == "due"


def test_partnerships_filter_by_search(world):
    client = api_as(world, "outsider")
    assert [p["code"] for p in listed(client, "partnership-list", search="qyy")] == ["QYY"]
    assert listed(client, "partnership-list", search="Demo") == []


def test_an_agreement_without_a_document_says_so(world):
    agreement = AgreementFactory(partnership=world.partnership)
    client = api_as(world, "viewer")
    assert client.get(reverse("api:agreement-detail", args=[agreement.pk])).json()["document"] is None
    response = client.get(reverse("api:agreement-document", args=[agreement.pk]))
    assert response.status_code == 404
    assert response.json()["detail"] == "This agreement has no document."
