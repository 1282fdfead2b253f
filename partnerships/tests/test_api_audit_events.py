"""`/api/v1/audit-events/`: the audit trail, read-only, by the history pages' rule: a partnership's lead reads its
events, an organisation's administrators the changes to it, a service administrator everything, nobody else any.
Every answer is checked against the OpenAPI schema by the client."""

import datetime

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from core.audit import audit_record
from core.models import AuditEvent
from partnerships.services._common import audit_shared
from tests.factories import AgreementFactory, ProfileFactory, UserFactory

from .api_client import api_as, api_for_user

pytestmark = pytest.mark.django_db

ADDRESS = "/api/v1/audit-events/"


@pytest.fixture
def events(world):
    agreement = AgreementFactory(partnership=world.partnership, title="Data sharing agreement")
    mine = audit_record(
        actor=world.lead,
        action="agreement.created",
        target=agreement,
        summary="Added <b>the</b> agreement",
        partnership_id=world.partnership.pk,
    )
    elsewhere = audit_record(
        actor=world.outsider,
        action="partnership.updated",
        target=world.other_partnership,
        summary="Changed the other partnership",
        partnership_id=world.other_partnership.pk,
    )
    audit_shared(
        actor=None,
        action="organisation.updated",
        target=world.council,
        summary="Changed the council's website",
        organisations=[world.council],
    )
    return {"mine": mine, "elsewhere": elsewhere, "council": AuditEvent.objects.get(action="organisation.updated")}


@pytest.fixture
def council_admin(world):
    user = UserFactory(username="council_admin")
    ProfileFactory(user=user, organisation=world.council, job_title="Board secretary")
    assign_perm("partnerships.administer", user, world.council)
    return user


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", None),
        ("outsider", ["Changed the other partnership"]),
        ("viewer", []),
        ("member", []),
        ("board", []),
        ("lead", ["Changed the council's website", "Added <b>the</b> agreement"]),
    ],
)
def test_each_persona_lists_only_the_events_they_may_read(world, events, persona, expected):
    response = api_as(world, persona).get(ADDRESS)
    if expected is None:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert [row["summary"] for row in response.json()["results"]] == expected


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "viewer", "member", "lead"])
def test_one_event_is_read_by_whoever_may_list_it_and_is_404_for_the_others(world, events, persona):
    response = api_as(world, persona).get(f"{ADDRESS}{events['mine'].pk}/")
    expected = {"anonymous": 401, "lead": 200}.get(persona, 404)
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert body["partnership"] == "QZZ"
        assert body["actor"] == world.lead.pk
        assert body["target_type"] == "partnerships.agreement"
        assert body["summary"] == "Added <b>the</b> agreement"


def test_an_organisations_administrator_reads_the_changes_to_it_and_nothing_else(world, events, council_admin):
    response = api_for_user(council_admin).get(ADDRESS)
    assert [row["summary"] for row in response.json()["results"]] == ["Changed the council's website"]
    row = response.json()["results"][0]
    assert row["actor"] is None and row["actor_name"] == "System"
    assert api_for_user(council_admin).get(f"{ADDRESS}{events['mine'].pk}/").status_code == 404


def test_a_service_administrator_reads_every_event(world, events):
    admin = UserFactory(username="service_admin", is_superuser=True, is_staff=True)
    assert api_for_user(admin).get(ADDRESS).json()["count"] == AuditEvent.objects.count()


def test_the_api_is_read_only(world, events):
    lead = api_as(world, "lead")
    assert lead.post(ADDRESS, {"summary": "x"}).status_code == 405
    assert lead.patch(f"{ADDRESS}{events['mine'].pk}/", {"summary": "x"}).status_code == 405
    assert lead.delete(f"{ADDRESS}{events['mine'].pk}/").status_code == 405


def test_the_list_filters_by_partnership_action_kind_actor_and_dates(world, events):
    lead = api_as(world, "lead")

    def summaries(**query):
        response = lead.get(ADDRESS, query)
        assert response.status_code == 200, response.json()
        return [row["summary"] for row in response.json()["results"]]

    assert summaries(partnership="QYY") == []
    assert summaries(action="agreement") == ["Added <b>the</b> agreement"]
    assert summaries(action="agreement.created") == ["Added <b>the</b> agreement"]
    assert summaries(action="agreement.removed") == []
    assert summaries(kind="partnerships.organisation") == ["Changed the council's website"]
    assert summaries(actor=world.lead.pk) == ["Added <b>the</b> agreement"]
    today = timezone.localdate()
    assert len(summaries(since=today.isoformat(), until=today.isoformat())) == 2
    assert summaries(until=(today - datetime.timedelta(days=1)).isoformat()) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"actor": "abc"}, "actor"),
        ({"actor": "outsider"}, "actor"),
        ({"kind": "<script>x</script>"}, "kind"),
        ({"since": "2027-02-30"}, "since"),
        ({"until": "99999-01-01"}, "until"),
        ({"since": "2027-03-02", "until": "2027-03-01"}, "until"),
        ({"action": "x" * 81}, "action"),
    ],
)
def test_bad_filters_are_400_with_the_field_named(world, events, query, field):
    if query.get("actor") == "outsider":
        query = {"actor": world.outsider.pk}
    response = api_as(world, "lead").get(ADDRESS, query)
    assert response.status_code == 400
    assert field in response.json()


def test_a_list_costs_the_same_queries_however_many_events(world, django_assert_max_num_queries):
    lead = api_as(world, "lead")
    for number in range(120):
        person = UserFactory(username=f"person-{number}")
        audit_record(
            actor=person,
            action="partnership.updated",
            target=world.partnership,
            summary=f"Change {number}",
            partnership_id=world.partnership.pk,
        )
    with django_assert_max_num_queries(8):
        response = lead.get(ADDRESS)
    assert response.status_code == 200
    assert response.json()["count"] == 120
    assert len(response.json()["results"]) == 50
