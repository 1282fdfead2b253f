"""The audit trail is tamper-evident: each partnership's events, and the service's own, form a hash chain that
`manage.py verify_audit` checks; a row changed, removed or rewritten behind the application's back is found, and on
PostgreSQL the table refuses UPDATE and DELETE outright (docs/adr/0017-tamper-evident-audit-trail.md)."""

import io
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from core.audit import SYSTEM, audit_anchor_heads, audit_record, chain_head, event_hash, target_label
from core.models import AuditAnchor, AuditChainHead, AuditEvent
from core.request_id import request_id_from
from core.tasks import record_audit_chain_heads
from tests.concurrency import postgresql_only, run_at_once  # noqa: F401 (a fixture)
from tests.factories import UserFactory
from tests.fixtures import skip_or_fail

pytestmark = pytest.mark.django_db


def record(partnership_id, summary, *, actor=SYSTEM, target=None):
    target = target or (actor if actor is not SYSTEM else UserFactory(username="target"))
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action="test.recorded",
            target=target,
            summary=summary,
            changes={"amount": ["1.50", "2.00"], "on": ["2026-12-01", None], "name": ["Zoë", "Zoe"]},
            partnership_id=partnership_id,
        )


@pytest.fixture
def trail(world):
    """Three events in each of two partnerships' chains and two in the service's, interleaved."""
    for number in range(3):
        record(world.partnership.pk, f"QZZ change {number + 1}", actor=world.lead)
        record(world.other_partnership.pk, f"QYY change {number + 1}", actor=world.outsider)
        if number < 2:
            record(None, f"Account change {number + 1}", actor=world.member)
    return world


def verify() -> str:
    """verify_audit's report; raises CommandError (with the report as its note) when a chain is broken."""
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=io.StringIO())
    except CommandError as error:
        error.add_note(out.getvalue())
        raise
    return out.getvalue()


def broken_report() -> str:
    with pytest.raises(CommandError) as failure:
        verify()
    return "\n".join(failure.value.__notes__)


@contextmanager
def behind_the_applications_back():
    """Raw SQL as a database owner could run it; on PostgreSQL with the trigger switched off for the moment (only
    an owner may, which is why the application's role must not be one)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred foreign key check
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_immutable")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_immutable")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def event_at(world_partnership_id, sequence) -> AuditEvent:
    return AuditEvent.objects.get(chain=str(world_partnership_id), sequence=sequence)


def test_each_partnership_and_the_service_have_a_chain_of_their_own(trail):
    qzz = list(AuditEvent.objects.filter(partnership_id=trail.partnership.pk).order_by("sequence"))
    assert [event.sequence for event in qzz] == [1, 2, 3]
    assert [event.summary for event in qzz] == ["QZZ change 1", "QZZ change 2", "QZZ change 3"]
    assert qzz[0].previous_hash == "" and [event.previous_hash for event in qzz[1:]] == [e.hash for e in qzz[:2]]
    service = AuditEvent.objects.filter(chain="service").order_by("sequence")
    assert list(service.values_list("sequence", "partnership_id")) == [(1, None), (2, None)]
    assert chain_head(trail.partnership.pk).hash == qzz[-1].hash and chain_head(trail.partnership.pk).sequence == 3
    assert chain_head(None).sequence == 2 and chain_head(trail.other_partnership.pk).sequence == 3


def test_the_hash_covers_the_event_as_it_is_read_back(trail):
    event = AuditEvent.objects.get(summary="QZZ change 2")
    assert event.changes == {"amount": ["1.50", "2.00"], "on": ["2026-12-01", None], "name": ["Zoë", "Zoe"]}
    assert event_hash(event, target_label(event.target_type)) == event.hash


def test_verify_passes_on_a_fresh_database_and_on_an_intact_trail(db, trail):
    report = verify()
    assert f"Chain {trail.partnership.pk}: 3 events, intact" in report
    assert "Chain service: 2 events, intact" in report
    assert "The audit trail is intact: 8 events in 3 chains" in report


def test_verify_passes_with_no_events_at_all(db):
    assert "The audit trail is intact: 0 events in 0 chains" in verify()


def test_a_summary_changed_by_raw_sql_is_found_at_its_place(trail):
    changed = event_at(trail.partnership.pk, 2)
    with behind_the_applications_back() as cursor:
        cursor.execute("UPDATE core_auditevent SET summary = %s WHERE id = %s", ["Nothing happened", changed.pk])
    report = broken_report()
    assert (
        f"Chain {trail.partnership.pk}: BROKEN: event 2 (id {changed.pk}, test.recorded): its content does not match"
        in report
    )
    assert f"Chain {trail.other_partnership.pk}: 3 events, intact" in report


def test_a_change_whose_hash_was_recomputed_breaks_the_next_link(trail):
    changed = event_at(trail.partnership.pk, 1)
    changed.summary = "Nothing happened"
    with behind_the_applications_back() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET summary = %s, hash = %s WHERE id = %s",
            [changed.summary, event_hash(changed, target_label(changed.target_type)), changed.pk],
        )
    assert f"Chain {trail.partnership.pk}: BROKEN: event 2 " in broken_report()
    assert "its link does not match the hash of event 1" in broken_report()


def test_a_deleted_event_is_reported_as_missing(trail):
    with behind_the_applications_back() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event_at(trail.partnership.pk, 2).pk])
    assert "event 3 (id" in broken_report() and "event 2 is missing before it" in broken_report()


def test_a_deleted_last_event_is_found_by_the_chains_head(trail):
    with behind_the_applications_back() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event_at(trail.partnership.pk, 3).pk])
    assert "the chain ends at event 2 but its head says 3" in broken_report()


def test_a_chain_rewritten_from_its_start_is_found_by_the_daily_anchor(trail):
    assert record_audit_chain_heads() == 3
    assert record_audit_chain_heads() == 0  # the same heads are kept once
    previous = ""
    with behind_the_applications_back() as cursor:  # a careful forger recomputes every hash and the head
        for event in AuditEvent.objects.filter(chain=str(trail.partnership.pk)).order_by("sequence"):
            event.summary, event.previous_hash = f"Rewritten {event.sequence}", previous
            event.hash = previous = event_hash(event, target_label(event.target_type))
            cursor.execute(
                "UPDATE core_auditevent SET summary = %s, previous_hash = %s, hash = %s WHERE id = %s",
                [event.summary, event.previous_hash, event.hash, event.pk],
            )
    AuditChainHead.objects.filter(chain=str(trail.partnership.pk)).update(hash=previous)
    assert "event 3 (id" in broken_report() and "does not match the head kept for this place" in broken_report()


def test_the_daily_task_keeps_each_chains_head(trail):
    made = audit_anchor_heads()
    assert {(anchor.chain, anchor.sequence) for anchor in made} == {
        (str(trail.partnership.pk), 3),
        (str(trail.other_partnership.pk), 3),
        ("service", 2),
    }
    record(trail.partnership.pk, "QZZ change 4", actor=trail.lead)
    assert [(anchor.chain, anchor.sequence) for anchor in audit_anchor_heads()] == [(str(trail.partnership.pk), 4)]
    assert AuditAnchor.objects.count() == 4
    assert "intact" in verify()


def test_a_person_who_acted_cannot_be_deleted_so_their_events_stay_as_written(trail):
    with pytest.raises(ProtectedError):
        trail.lead.delete()


def test_each_event_carries_the_requests_correlation_id(client, world):
    response = client.post(
        "/sign-in/", {"username": "lead", "password": "wrong"}, HTTP_X_REQUEST_ID="edge-7f3a.9c", REMOTE_ADDR="10.0.0.9"
    )
    assert response["X-Request-ID"] == "edge-7f3a.9c"
    assert AuditEvent.objects.get(action="account.sign_in_failed").request_id == "edge-7f3a.9c"
    assert "intact" in verify()


def test_a_request_without_a_sane_correlation_id_gets_a_new_one(client, db):
    made = client.get("/sign-in/", HTTP_X_REQUEST_ID="<script>\n")["X-Request-ID"]
    assert len(made) == 36 and made != client.get("/sign-in/")["X-Request-ID"]
    assert request_id_from("a" * 65) != "a" * 65 and request_id_from("") and request_id_from(None)


def test_events_written_outside_a_request_have_no_correlation_id(trail):
    assert set(AuditEvent.objects.values_list("request_id", flat=True)) == {""}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_verify_passes_on_the_demo(demo):
    report = verify()
    assert "The audit trail is intact" in report and "BROKEN" not in report
    assert AuditEvent.objects.count() > 100


# --- PostgreSQL: the table refuses changes ---------------------------------------------------------------------------


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("The trigger that refuses changes is PostgreSQL's: set DATABASE_URL to a PostgreSQL database")


@pytest.mark.services
@pytest.mark.usefixtures("postgresql")
@pytest.mark.parametrize(
    "change",
    [
        lambda event: AuditEvent.objects.filter(pk=event.pk).update(summary="Nothing happened"),
        lambda event: AuditEvent.objects.filter(pk=event.pk).delete(),
        lambda event: AuditAnchor.objects.all().update(hash=""),
        lambda event: AuditAnchor.objects.all().delete(),
    ],
    ids=["update event", "delete event", "update anchor", "delete anchor"],
)
def test_postgresql_refuses_to_change_or_delete_audit_records(trail, change):
    audit_anchor_heads()
    event = event_at(trail.partnership.pk, 2)
    with pytest.raises(DatabaseError, match="audit records cannot be changed or deleted"), transaction.atomic():
        change(event)
    assert AuditEvent.objects.get(pk=event.pk).summary == "QZZ change 2" and AuditAnchor.objects.count() == 3


@pytest.mark.services
@pytest.mark.usefixtures("postgresql_only")
@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_chain_take_turns(world):
    target = UserFactory(username="target")

    def write_ten():
        for number in range(10):
            record(world.partnership.pk, f"Change {number}", target=target)

    run_at_once(write_ten, write_ten, write_ten)
    sequences = list(AuditEvent.objects.filter(chain=str(world.partnership.pk)).values_list("sequence", flat=True))
    assert sorted(sequences) == list(range(1, 31))
    assert "intact" in verify()
