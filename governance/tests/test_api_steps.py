"""The steps on a decision's page that the API also takes: extending sign-off and recording the board's ratification
of an urgent decision, through the same services, rules and messages."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent
from governance.models import Decision, SignOffRound
from partnerships.tests.api_client import api_as
from tests.fixtures import PERSONAS

from .support import approved, board_meeting, held_board_meeting, in_signoff, signatories

LATER = (timezone.localdate() + timedelta(days=60)).isoformat()


@pytest.fixture
def things(world):
    signatories(world)
    signing = in_signoff(world, title="Signing")
    urgent = approved(world, title="Urgent", is_urgent=True, urgent_reason="Contract lapses.", actor=world.lead)
    Decision.objects.filter(pk=urgent.pk).update(decided_at=timezone.now() - timedelta(days=5))
    return {"signing": signing, "urgent": urgent, "meeting": held_board_meeting(world, days_from_now=-1)}


STEPS = [
    # (path, body)
    (
        lambda t: f"/api/v1/decisions/{t['signing'].pk}/extend-sign-off/",
        lambda t: {"closes_on": LATER, "reason": "Summer"},
    ),
    (lambda t: f"/api/v1/decisions/{t['urgent'].pk}/board-ratification/", lambda t: {"meeting": t["meeting"].pk}),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_lead_extends_sign_off_or_records_the_boards_ratification_through_the_api(world, things, persona):
    client = api_as(world, persona)
    wanted = {"anonymous": 401, "outsider": 404, "lead": 200}.get(persona, 403)
    failures = []
    for path, body in STEPS:
        with transaction.atomic():
            before = AuditEvent.objects.count()
            response = client.post(path(things), body(things), format="json")
            if response.status_code != wanted:
                failures.append(f"{path(things)}: {response.status_code} {response.content[:200]}")
            if response.status_code >= 400 and AuditEvent.objects.count() != before:
                failures.append(f"{path(things)}: refused with {response.status_code} but wrote an audit record")
            transaction.set_rollback(True)
    assert failures == []


def test_the_lead_extends_sign_off_through_the_api(world, things):
    decision = things["signing"]
    response = api_as(world, "lead").post(
        f"/api/v1/decisions/{decision.pk}/extend-sign-off/", {"closes_on": LATER, "reason": "Summer"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["current_round"]["closes_at"].startswith(LATER)
    assert timezone.localdate(SignOffRound.objects.get(pk=decision.current_round_id).closes_at).isoformat() == LATER
    assert AuditEvent.objects.filter(action="signoff.extended", target_id=decision.pk).exists()


def test_the_lead_records_the_boards_ratification_of_an_urgent_decision_through_the_api(world, things):
    decision, meeting = things["urgent"], things["meeting"]
    response = api_as(world, "lead").post(
        f"/api/v1/decisions/{decision.pk}/board-ratification/", {"meeting": meeting.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["ratified_at_meeting"] == meeting.pk
    decision.refresh_from_db()
    assert decision.ratified_at_meeting == meeting


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"reason": "Summer"}, "closes_on", "This field is required."),
        ({"closes_on": "soon", "reason": "Summer"}, "closes_on", "Date has wrong format"),
        ({"closes_on": LATER, "reason": ""}, "reason", "Say why sign-off is extended."),
        ({"closes_on": "2020-01-01", "reason": "Summer"}, "closes_on", "The closing date must be in the future."),
        ({"closes_on": LATER, "reason": "Summer", "colour": "red"}, "colour", "This field cannot be set here."),
    ],
)
def test_a_bad_extension_through_the_api_gets_a_400_and_changes_nothing(world, things, body, field, message):
    decision = things["signing"]
    closes_at = decision.current_round.closes_at
    response = api_as(world, "lead").post(f"/api/v1/decisions/{decision.pk}/extend-sign-off/", body, format="json")
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])
    assert SignOffRound.objects.get(pk=decision.current_round_id).closes_at == closes_at
    assert not AuditEvent.objects.filter(action="signoff.extended").exists()


@pytest.mark.parametrize(
    ("meeting", "message"),
    [
        (lambda w, t: board_meeting(w, days_from_now=-1).pk, "is scheduled, not held"),
        (lambda w, t: held_board_meeting(w, quorate=None).pk, "is not recorded, so it does not show"),
        (lambda w, t: held_board_meeting(w, quorate=False).pk, "was not quorate"),
        (lambda w, t: board_meeting(w, days_from_now=3).pk, "has not taken place yet"),
        (lambda w, t: held_board_meeting(w, days_from_now=-20).pk, "held after the decision was approved"),
        (lambda w, t: None, "This field may not be null."),
        (lambda w, t: 999999, "There is no record with id"),
    ],
    ids=["scheduled", "attendance not recorded", "not quorate", "in the future", "before approval", "null", "unknown"],
)
def test_a_meeting_that_cannot_ratify_is_refused_through_the_api_with_why(world, things, meeting, message):
    decision = things["urgent"]
    response = api_as(world, "lead").post(
        f"/api/v1/decisions/{decision.pk}/board-ratification/", {"meeting": meeting(world, things)}, format="json"
    )
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["meeting"])
    decision.refresh_from_db()
    assert decision.ratified_at_meeting is None
    assert not AuditEvent.objects.filter(action="decision.ratified_at_board").exists()


def test_the_schema_describes_both_steps_with_their_request_bodies(world):
    schema = api_as(world, "lead").get("/api/schema/?format=json").json()
    paths = schema["paths"]
    extend = paths["/api/v1/decisions/{id}/extend-sign-off/"]["post"]
    ratify = paths["/api/v1/decisions/{id}/board-ratification/"]["post"]
    assert extend["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ExtendSignoffInput")
    assert ratify["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/BoardRatificationInput")
    assert set(schema["components"]["schemas"]["ExtendSignoffInput"]["required"]) == {"closes_on", "reason"}
