"""What an organisation must sign, ratify or act on, across every partnership that lists it: only its administrators
and the service administrators read it, confidential decisions stay untitled for readers outside the board, and it
costs the same number of queries however many partnerships and decisions there are."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.audit import SYSTEM
from governance import services as governance_services
from governance.models import Position, RiskTier, Visibility
from governance.tests.risk_support import raise_risk, workstream_with_lead
from governance.tests.support import board_member, in_signoff, sign, signatories
from partnerships import services
from partnerships.models import DecisionCategory, Role
from tests.factories import DelegationFactory, PartnershipFactory, UserFactory, grant, member_of
from tests.html import parse
from workstreams.models import ActionStatus

from .digest_support import action

pytestmark = pytest.mark.django_db


def url(organisation) -> str:
    return f"/organisations/{organisation.pk}/business/"


def administrator_of(organisation, username="secretary"):
    user = UserFactory(username=username, first_name="Sam", last_name="Secretary")
    services.organisation_administrator_appoint(actor=SYSTEM, organisation=organisation, user=user)
    return user


@pytest.fixture
def secretary(world):
    """The council's board secretary, who holds no role in any partnership."""
    return administrator_of(world.council)


def section(response, name):
    """What follows the section's heading, up to the next heading."""
    page = parse(response)
    heading = page.select_one(f"h2#{name}")
    content = page.new_tag("div")
    for sibling in list(heading.find_next_siblings()):
        if sibling.name == "h2":
            break
        content.append(sibling)
    return content


# --- Who may read it -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),  # cannot see the council at all
        ("other_administrator", 404),  # administers another organisation, and cannot see the council
        ("lead", 403),  # can see the council through the partnership, but does not administer it
        ("ned", 403),  # represents the council, but is not one of its administrators
        ("secretary", 200),
        ("superuser", 200),
    ],
)
def test_only_the_organisations_administrators_and_service_administrators_read_it(
    client, world, secretary, persona, status
):
    people = {
        "outsider": world.outsider,
        "other_administrator": lambda: administrator_of(world.other_trust, "othersecretary"),
        "lead": world.lead,
        "ned": world.ned,
        "secretary": secretary,
        "superuser": lambda: UserFactory(username="administrator", is_superuser=True),
    }
    if persona != "anonymous":
        person = people[persona]
        client.force_login(person() if callable(person) else person)
    response = client.get(url(world.council))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/sign-in/")


def test_an_organisation_that_does_not_exist_is_not_found(client, world, secretary):
    client.force_login(UserFactory(username="administrator", is_superuser=True))
    assert client.get("/organisations/999999/business/").status_code == 404


# --- What it shows ---------------------------------------------------------------------------------------------------


@pytest.fixture
def business(world, secretary):
    """The council's business in QZZ and QYY: decisions to sign and to ratify, an unconfirmed delegation, actions
    and risks, beside what it has answered or does not own."""
    signatories(world)  # `councildirector` may sign for the council, under a delegation it has not confirmed
    world.to_sign = in_signoff(world, title="Shared community diabetes service")
    world.signed = in_signoff(world, title="Falls prevention service")
    sign(world.council_director, world.signed)
    world.confidential = in_signoff(
        world,
        actor=world.lead,
        title="Sale of the Northgate clinic site",
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Commercial negotiations are under way.",
        confidential_review_on=timezone.localdate() + timedelta(days=90),
    )
    world.too_big = in_signoff(world, title="New community hospital", value_pounds=Decimal("9000000"))
    # In QYY the council has no delegation at all: its board must ratify the decision there.
    member_of(world.other_partnership, world.council)
    world.elsewhere = _decision_in(world.other_partnership, world.outsider, "Coastal urgent care centre")
    workstream, _ = workstream_with_lead(world)
    world.council_action = action(world, workstream, world.ned, world.council, days=-3, text="Publish the care fees")
    action(world, workstream, world.board, world.trust, days=5, text="A trust action")
    action(world, workstream, world.ned, world.council, days=-9, text="A finished action", status=ActionStatus.DONE)
    world.council_risk = raise_risk(
        world, title="Care home fees rising", tier=RiskTier.ORGANISATION, organisation=world.council
    )
    raise_risk(world, title="A partnership risk")
    return world


def _decision_in(partnership, lead, title):
    decision = governance_services.decision_propose(
        actor=lead,
        partnership=partnership,
        title=title,
        case="One centre for the coast.",
        category=DecisionCategory.SERVICE_CHANGE,
        value_pounds=Decimal("1000"),
    )
    governance_services.decision_open_for_challenge(actor=lead, decision=decision)
    governance_services.decision_open_signoff(actor=lead, decision=decision)
    return decision


def test_the_administrator_sees_the_decisions_awaiting_the_organisations_signature(client, business, secretary):
    client.force_login(secretary)
    response = client.get(url(business.council))
    table = section(response, "to-sign").get_text(" ", strip=True)
    assert f"{business.to_sign.reference}: Shared community diabetes service" in table
    assert "Falls prevention service" not in table  # signed already
    assert "(delegation not yet confirmed)" in table
    assert business.council_director.display_name in table
    # The secretary has no role in QZZ: a confidential decision is named by its reference only, and nothing links.
    assert f"Confidential decision {business.confidential.reference}" in table
    assert "Northgate" not in response.content.decode()
    assert not section(response, "to-sign").select("a")


def test_a_service_administrator_reads_the_confidential_title_and_follows_the_links(client, business):
    client.force_login(UserFactory(username="administrator", is_superuser=True))
    response = client.get(url(business.council))
    table = section(response, "to-sign")
    assert "Sale of the Northgate clinic site" in table.get_text()
    assert table.select_one(f"a[href='{business.to_sign.get_absolute_url()}']") is not None


def test_decisions_no_one_may_sign_for_it_await_its_own_board(client, business, secretary):
    client.force_login(secretary)
    table = section(client.get(url(business.council)), "to-ratify").get_text(" ", strip=True)
    assert "New community hospital" in table  # above the council's delegated limit
    assert "Coastal urgent care centre" in table and "Other Health and Care Partnership" in table  # in QYY
    assert "Shared community diabetes service" not in table


def test_the_delegations_awaiting_confirmation_have_a_confirm_link_for_the_administrator(client, business, secretary):
    client.force_login(secretary)
    table = section(client.get(url(business.council)), "delegations")
    assert business.council_director.display_name in table.get_text()
    delegation = business.council.delegations.get()
    assert table.select_one(f"a[href='/delegations/{delegation.pk}/confirm/']") is not None


def test_open_actions_and_risks_it_owns_are_listed_and_nothing_else(client, business, secretary):
    client.force_login(secretary)
    response = client.get(url(business.council))
    actions = section(response, "actions").get_text(" ", strip=True)
    risks = section(response, "risks").get_text(" ", strip=True)
    assert "Publish the care fees" in actions and "Overdue" in actions
    assert "A trust action" not in actions and "A finished action" not in actions
    assert "Care home fees rising" in risks and "A partnership risk" not in risks


def test_each_section_says_when_nothing_awaits(client, world, secretary):
    client.force_login(secretary)
    response = client.get(url(world.council))
    texts = {
        name: section(response, name).get_text(" ", strip=True) for name in ("to-sign", "to-ratify", "delegations")
    }
    assert texts == {
        "to-sign": "No decision in sign-off is waiting for Demo City Council to sign.",
        "to-ratify": "No decision is waiting for ratification by the board of Demo City Council.",
        "delegations": "No delegation of Demo City Council is waiting for its confirmation.",
    }
    assert section(response, "actions").get_text(strip=True) == "Demo City Council owns no open action."
    assert section(response, "risks").get_text(strip=True) == "Demo City Council owns no open risk in its partnerships."


def test_everyone_able_to_sign_being_recused_leaves_nothing_awaited(client, world, secretary):
    signatories(world)
    decision = in_signoff(world, title="Shared community diabetes service")
    governance_services.decision_declare(
        actor=world.council_director,
        decision=decision,
        position=Position.CONFLICT,
        kind="financial",
        description="My partner runs a care agency bidding for it.",
    )
    client.force_login(secretary)
    response = client.get(url(world.council))
    assert "Shared community diabetes service" not in response.content.decode()


# --- Queries -----------------------------------------------------------------------------------------------------


def _another_partnership(world, number: int, decisions: int) -> None:
    """A partnership listing the council, with a council signatory, `decisions` decisions in sign-off, an action
    and a risk owned by the council."""
    partnership = PartnershipFactory(code=f"Q{number:02d}", name=f"Partnership {number}")
    member_of(partnership, world.council)
    lead = UserFactory(username=f"lead{number}")
    grant(lead, partnership, Role.LEAD)
    director = UserFactory(username=f"director{number}")
    grant(director, partnership, Role.BOARD_MEMBER, organisation=world.council)
    DelegationFactory(
        partnership=partnership, organisation=world.council, delegate=director, valid_from=timezone.localdate()
    )
    for count in range(decisions):
        _decision_in(partnership, lead, f"Decision {count} of partnership {number}")


def _queries(client, organisation) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(organisation)).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_whatever_the_number_of_partnerships_and_decisions(
    client, world, secretary, django_assert_max_num_queries
):
    client.force_login(secretary)
    _another_partnership(world, 1, 1)
    few = _queries(client, world.council)
    for number in range(2, 6):
        _another_partnership(world, number, 4)
    board_member(world, "extra", world.council)
    with django_assert_max_num_queries(few):
        response = client.get(url(world.council))
    assert section(response, "to-sign").get_text().count("Decision ") == 17
    assert few <= 16
