"""The history pages: a partnership's lead reads every change recorded in it (filtered, paginated, as CSV); an
organisation's administrators read the changes to their organisation, each once; nobody else reads either."""

import datetime
from contextlib import nullcontext

import pytest
from django.utils import timezone
from freezegun import freeze_time
from guardian.shortcuts import assign_perm

from core.audit import audit_record
from core.http import PAGE_SIZE
from partnerships.services._common import audit_shared
from tests.factories import AgreementFactory, DelegationFactory, PartnershipFactory, ProfileFactory, UserFactory
from tests.fixtures import PERSONAS, client_for
from tests.html import error_summary, parse, text

pytestmark = pytest.mark.django_db

ADMINISTRATOR = "partnerships.administer"


@pytest.fixture
def agreement(world):
    agreement = AgreementFactory(partnership=world.partnership, title="Data sharing agreement")
    audit_record(
        actor=world.lead,
        action="agreement.created",
        target=agreement,
        summary="Added the data sharing agreement",
        partnership_id=world.partnership.pk,
    )
    return agreement


@pytest.fixture
def council_admin(world):
    user = UserFactory(username="council_admin", first_name="Cora", last_name="Clerk")
    ProfileFactory(user=user, organisation=world.council, job_title="Board secretary")
    assign_perm(ADMINISTRATOR, user, world.council)
    return user


def event(world, *, actor=None, target=None, summary="Changed something", at=None, partnership=None, **kwargs):
    """One event in the partnership's history, recorded `at` a moment in the past if given (audit records cannot be
    changed afterwards, so the clock is moved instead)."""
    with freeze_time(at) if at is not None else nullcontext():
        return audit_record(
            actor=actor or world.lead,
            action=kwargs.pop("action", "partnership.updated"),
            target=target or world.partnership,
            summary=summary,
            partnership_id=(partnership or world.partnership).pk,
            **kwargs,
        )


# --- Who reads a partnership's history -----------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["/partnerships/QZZ/history/", "/partnerships/QZZ/history.csv"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_lead_reads_the_partnerships_history(client, world, agreement, persona, address):
    response = client_for(client, world, persona).get(address)
    if persona == "anonymous":
        assert response["Location"] == f"/sign-in/?next={address}"
    elif persona == "outsider":
        assert response.status_code == 404
    elif persona == "lead":
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_the_lead_finds_the_history_from_the_overview_and_others_do_not(client, world):
    assert parse(client_for(client, world, "lead").get("/partnerships/QZZ/")).select_one("#history-link")
    client.logout()
    assert not parse(client_for(client, world, "board").get("/partnerships/QZZ/")).select_one("#history-link")


def test_each_change_says_when_who_what_and_links_to_its_record(client, world, agreement):
    event(world, partnership=world.other_partnership, summary="Something elsewhere")
    response = client_for(client, world, "lead").get("/partnerships/QZZ/history/")
    assert response.status_code == 200
    page = parse(response)
    rows = page.select("#history tbody tr")
    assert len(rows) == 1
    assert "Added the data sharing agreement" in rows[0].get_text()
    assert world.lead.display_name in rows[0].get_text()
    assert rows[0].select_one(f"a[href='/agreements/{agreement.pk}/']").get_text() == "Data sharing agreement"
    assert "Something elsewhere" not in text(response)


def test_a_record_of_another_partnership_or_since_deleted_is_named_without_a_link(client, world):
    elsewhere = DelegationFactory(partnership=world.other_partnership, organisation=world.other_trust)
    event(world, action="delegation.updated", target=elsewhere, summary="A shared delegation changed")
    gone = AgreementFactory(partnership=world.partnership, title="Gone agreement")
    event(world, action="agreement.created", target=gone, summary="Added an agreement later removed")
    gone.delete()
    page = parse(client_for(client, world, "lead").get("/partnerships/QZZ/history/"))
    records = [row.select("td")[-1] for row in page.select("#history tbody tr")]
    assert all(cell.select_one("a") is None for cell in records)
    assert "a record you cannot see" in records[1].get_text()
    assert "since deleted" in records[0].get_text()


def test_text_is_shown_as_text_never_as_markup(client, world):
    event(world, summary="<script>alert('x')</script> renamed", reason="<b>bold</b>")
    response = client_for(client, world, "lead").get("/partnerships/QZZ/history/")
    assert b"<script>alert" not in response.content
    assert "<script>alert('x')</script> renamed" in text(response, "#history")


# --- Filters -------------------------------------------------------------------------------------------------------


def test_the_lead_filters_by_person_kind_of_record_and_dates(client, world, agreement):
    event(world, actor=world.board, summary="Board member's change", at=timezone.now() - datetime.timedelta(days=40))
    lead = client_for(client, world, "lead")

    by_person = parse(lead.get(f"/partnerships/QZZ/history/?actor={world.board.pk}"))
    assert [row.select("td")[2].get_text(strip=True) for row in by_person.select("#history tbody tr")] == [
        "Board member's change"
    ]
    people = [option.get_text() for option in by_person.select("select[name=actor] option")]
    assert people == ["Anyone", *sorted([world.board.display_name, world.lead.display_name])]

    by_kind = parse(lead.get("/partnerships/QZZ/history/?kind=partnerships.agreement"))
    assert len(by_kind.select("#history tbody tr")) == 1
    kinds = [option["value"] for option in by_kind.select("select[name=kind] option")]
    assert kinds == ["", "partnerships.agreement", "partnerships.partnership"]

    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    recent = parse(lead.get(f"/partnerships/QZZ/history/?since={since}"))
    assert "Added the data sharing agreement" in recent.select_one("#history").get_text()
    assert "Board member's change" not in recent.select_one("#history").get_text()
    until = timezone.localdate() - datetime.timedelta(days=30)
    older = parse(
        lead.get(
            "/partnerships/QZZ/history/",
            {"until[day]": until.day, "until[month]": until.month, "until[year]": until.year},
        )
    )
    assert [row.select("td")[2].get_text(strip=True) for row in older.select("#history tbody tr")] == [
        "Board member's change"
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("actor=abc", "actor", "person"),
        ("actor=outsider", "actor", "person"),
        ("kind=nonsense", "kind", "kind of record"),
        ("kind=<b>x</b>", "kind", "kind of record"),
        ("since=2027-13-45", "since", "real date"),
        ("since=99999-01-01", "since", "real date"),
        ("since=2027-03-02&until=2027-03-01", "until", "'to' date"),
    ],
)
def test_bad_filters_are_refused_with_a_message_never_a_server_error(client, world, agreement, query, field, message):
    query = query.replace("outsider", str(world.outsider.pk))
    response = client_for(client, world, "lead").get(f"/partnerships/QZZ/history/?{query}")
    assert response.status_code == 400
    messages = error_summary(response)
    assert any(message in summary.lower() for summary, _link in messages), messages


def test_the_earliest_and_latest_dates_there_are_are_no_error(client, world, agreement):
    response = client_for(client, world, "lead").get("/partnerships/QZZ/history/?since=0001-01-01&until=9999-12-31")
    assert response.status_code == 200
    assert len(parse(response).select("#history tbody tr")) == 1


def test_the_csv_holds_the_filtered_changes_safe_for_spreadsheets(client, world, agreement):
    event(world, actor=world.board, summary="=HYPERLINK('http://example.com')")
    response = client_for(client, world, "lead").get(f"/partnerships/QZZ/history.csv?actor={world.board.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="history-QZZ-')
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("When,Who,Action,Kind of record,Record,Summary,Changes,Reason,Link")
    assert len(lines) == 2
    assert "'=HYPERLINK" in lines[1]
    assert world.board.display_name in lines[1]


def test_the_csv_links_each_record(client, world, agreement):
    response = client_for(client, world, "lead").get("/partnerships/QZZ/history.csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert (
        lines[1].endswith(f"http://testserver/agreements/{agreement.pk}/") or f"/agreements/{agreement.pk}/" in lines[1]
    )


def test_a_page_of_history_costs_the_same_queries_however_long_the_history(
    client, world, django_assert_max_num_queries
):
    lead = client_for(client, world, "lead")
    lead.get("/partnerships/QZZ/history/")  # the session and the content types, cached once
    for number in range(60):
        agreement = AgreementFactory(partnership=world.partnership, title=f"Agreement {number}")
        person = UserFactory(username=f"person-{number}")
        event(world, actor=person, action="agreement.created", target=agreement, summary=f"Added agreement {number}")
        delegation = DelegationFactory(partnership=world.partnership, organisation=world.trust)
        event(
            world,
            action="delegation.updated",
            target=delegation,
            summary=f"Delegation {number}",
            changes={"delegate": [person.pk, world.board.pk], "organisation": [world.trust.pk, world.council.pk]},
        )
    with django_assert_max_num_queries(20):
        response = lead.get("/partnerships/QZZ/history/?page=2")
    assert response.status_code == 200
    assert len(parse(response).select("#history tbody tr")) == min(PAGE_SIZE, 120 - PAGE_SIZE)
    with django_assert_max_num_queries(30):
        response = lead.get("/partnerships/QZZ/history.csv")
        assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) == 121


# --- An organisation's changes, for its administrators ---------------------------------------------------------------


ORGANISATION_PERSONAS = ["anonymous", "outsider", "viewer", "lead", "council_admin", "service_admin"]


@pytest.mark.parametrize("persona", ORGANISATION_PERSONAS)
def test_only_the_organisations_administrators_read_its_changes(client, world, council_admin, persona):
    address = f"/organisations/{world.council.pk}/history/"
    people = {
        "council_admin": council_admin,
        "service_admin": UserFactory(username="service_admin", is_superuser=True, is_staff=True),
    }
    if persona in people:
        client.force_login(people[persona])
    else:
        client_for(client, world, persona)
    response = client.get(address)
    if persona == "anonymous":
        assert response["Location"] == f"/sign-in/?next={address}"
    elif persona == "outsider":
        assert response.status_code == 404
    elif persona in people:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_an_administrator_reads_each_change_to_their_organisation_once_and_nothing_else(client, world, council_admin):
    # The council is also a member of a second partnership: a change to it is recorded in both histories.
    second = PartnershipFactory(code="QXX", name="Second Partnership")
    from tests.factories import member_of

    member_of(second, world.council)
    audit_shared(
        actor=world.lead,
        action="organisation.updated",
        target=world.council,
        summary="Changed the council's website",
        organisations=[world.council],
    )
    delegation = DelegationFactory(partnership=world.partnership, organisation=world.council, delegate=world.ned)
    audit_shared(
        actor=world.lead,
        action="delegation.created",
        target=delegation,
        summary="The lay member may sign for the council",
        organisations=[world.council],
    )
    audit_shared(
        actor=council_admin,
        action="affiliation.declined",
        target=world.member,
        summary="Declined that the member represents the council",
        changes={"organisation": [world.council.pk, None]},
        organisations=[world.council],
    )
    event(world, summary="The partnership's own change")
    audit_shared(
        actor=world.lead,
        action="organisation.updated",
        target=world.trust,
        summary="Changed the trust's website",
        organisations=[world.trust],
    )
    client.force_login(council_admin)
    assert parse(client.get(f"/organisations/{world.council.pk}/")).select_one("#organisation-history-link")
    response = client.get(f"/organisations/{world.council.pk}/history/")
    rows = [
        row.select("td")[2].get_text(strip=True) for row in parse(response).select("#organisation-history tbody tr")
    ]
    assert [row.split("Organisation:")[0] for row in rows] == [
        "Declined that the member represents the council",
        "The lay member may sign for the council",
        "Changed the council's website",
    ]
    link = parse(response).select("#organisation-history tbody tr")[2].select_one("a")
    assert link["href"] == f"/organisations/{world.council.pk}/"


def test_a_page_of_an_organisations_changes_costs_the_same_queries_however_many(
    client, world, council_admin, django_assert_max_num_queries
):
    client.force_login(council_admin)
    address = f"/organisations/{world.council.pk}/history/"
    client.get(address)  # the session and the content types, cached once
    for number in range(60):
        delegation = DelegationFactory(partnership=world.partnership, organisation=world.council, delegate=world.ned)
        audit_shared(
            actor=UserFactory(username=f"changer-{number}"),
            action="delegation.updated",
            target=delegation,
            summary=f"Delegation {number} changed",
            changes={"delegate": [world.board.pk, world.ned.pk], "organisation": [world.trust.pk, world.council.pk]},
            organisations=[world.council],
        )
    with django_assert_max_num_queries(20):
        response = client.get(f"{address}?page=2")
    assert response.status_code == 200
    assert len(parse(response).select("#organisation-history tbody tr")) == min(PAGE_SIZE, 60 - PAGE_SIZE)
