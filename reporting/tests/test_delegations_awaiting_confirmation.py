"""Delegations the partnership lead recorded that their organisation has still to confirm: the board digest lists
them (and tells each organisation how many are its own), the dashboard counts them, and neither takes more queries
for thirty than for two. Where the partnership does not count them, the digest's to-do sends the decision to the
organisation's board."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.tests.support import delegate, in_signoff, set_rule, signatories
from partnerships.models import Delegation, OrganisationKind
from reporting.selectors.digest_signoffs import outstanding_signoffs
from reporting.selectors.digests import digest_content
from tests.factories import affiliate, member_of
from tests.html import parse, text

from .digest_support import built
from .test_digest_pages import pdf_text

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def delegations(world):
    """The trust confirmed the board member's delegation; the council has not confirmed its director's, nor one
    starting next month; an unconfirmed one that ended last week is over."""
    signatories(world)
    Delegation.objects.filter(delegate=world.board).update(confirmed_at=timezone.now())
    current = Delegation.objects.get(delegate=world.council_director)
    later = delegate(world, world.council_director, world.council, valid_from=TODAY + timedelta(days=30))
    delegate(world, world.ned, world.council, valid_from=TODAY - timedelta(days=90), valid_to=TODAY - timedelta(7))
    return {"current": current, "later": later}


def test_the_digest_lists_the_delegations_awaiting_confirmation_with_a_count(world, delegations):
    content = built(world).content
    listed = content["delegations"]["awaiting_confirmation"]
    assert [item["id"] for item in listed] == [delegations["current"].pk, delegations["later"].pk]
    assert content["delegations"]["awaiting_confirmation_count"] == 2
    first = listed[0]
    assert (first["organisation"], first["delegate"], first["recorded_on"]) == (
        world.council.name,
        str(world.council_director),
        TODAY.isoformat(),
    )
    assert "Service change" in first["categories"]
    assert content["todo"][str(world.council.pk)]["delegations_to_confirm"] == 2
    assert str(world.trust.pk) not in content["todo"] or not content["todo"][str(world.trust.pk)].get(
        "delegations_to_confirm"
    )


def test_the_digest_page_shows_the_section_and_the_readers_organisation_its_own(world, delegations, client):
    digest = built(world)
    client.force_login(world.ned)  # represents the council
    page = client.get(digest.get_absolute_url())
    assert "Delegations awaiting confirmation (2)" in text(page, "#delegations")
    rows = parse(page).select("#delegations-unconfirmed tbody tr")
    assert len(rows) == 2 and world.council.name in rows[0].get_text()
    assert "Delegations to confirm (2)" in text(page, "#your-organisation")
    client.force_login(world.board)  # the trust: nothing of its own to confirm
    assert "Delegations to confirm" not in text(client.get(digest.get_absolute_url()), "#your-organisation")


def test_the_pdf_holds_the_section_too(world, delegations, client):
    digest = built(world)
    client.force_login(world.lead)
    response = client.get(f"/digests/{digest.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert "Delegations awaiting confirmation (2)" in " ".join(pdf_text(response.content).split())


def test_the_dashboard_says_how_many_delegations_await_confirmation_and_links_to_them(world, delegations, client):
    client.force_login(world.viewer)
    page = client.get("/partnerships/QZZ/dashboard/")
    line = parse(page).select_one("#delegations-awaiting-confirmation a")
    assert line.get_text(" ", strip=True) == "2 delegations await their organisation's confirmation"
    assert line["href"] == "/partnerships/QZZ/#delegations"


def test_the_dashboard_says_nothing_when_every_delegation_is_confirmed(world, delegations, client):
    Delegation.objects.update(confirmed_at=timezone.now())
    client.force_login(world.lead)
    assert parse(client.get("/partnerships/QZZ/dashboard/")).select_one("#delegations-awaiting-confirmation") is None


def test_where_unconfirmed_delegations_do_not_count_the_digest_sends_the_decision_to_the_board(world, delegations):
    decision = in_signoff(world, title="Shared discharge team")
    waiting = {entry.decision.pk: entry for entry in outstanding_signoffs(world.partnership, TODAY)}
    assert waiting[decision.pk].awaiting_signoff == [world.council, world.trust]
    set_rule(world, unconfirmed_delegations_count=False)
    waiting = {entry.decision.pk: entry for entry in outstanding_signoffs(world.partnership, TODAY)}
    assert (waiting[decision.pk].awaiting_signoff, waiting[decision.pk].awaiting_board) == (
        [world.trust],
        [world.council],
    )


def more_unconfirmed(world, count: int) -> None:
    for number in range(count):
        organisation = member_of(world.partnership, name=f"Unconfirmed Partner {number}", kind=OrganisationKind.VCSE)
        delegate(world, world.council_director, organisation)


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_the_digest_and_dashboard_take_the_same_queries_for_thirty_unconfirmed_delegations_as_for_two(
    world, delegations, client
):
    client.force_login(world.lead)
    client.get("/partnerships/QZZ/dashboard/")  # warm the per-process caches
    few = (
        count_queries(lambda: digest_content(world.partnership, TODAY - timedelta(days=7), TODAY)),
        count_queries(lambda: client.get("/partnerships/QZZ/dashboard/")),
    )
    more_unconfirmed(world, 28)
    many = (
        count_queries(lambda: digest_content(world.partnership, TODAY - timedelta(days=7), TODAY)),
        count_queries(lambda: client.get("/partnerships/QZZ/dashboard/")),
    )
    assert many == few
    assert (
        digest_content(world.partnership, TODAY - timedelta(days=7), TODAY)["delegations"][
            "awaiting_confirmation_count"
        ]
        == 30
    )


def test_a_readers_copy_opens_with_the_organisation_they_represent_in_the_partnership_not_their_profiles(world, client):
    signatories(world)
    affiliate(world.board, world.partnership, world.council)  # her profile names the trust
    digest = built(world)
    client.force_login(world.board)
    assert "For Demo City Council" in text(client.get(digest.get_absolute_url()), "#your-organisation")
