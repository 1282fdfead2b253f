"""The governance API: the same permissions, services and messages as the pages."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent
from governance import services
from governance.models import (
    Challenge,
    Decision,
    DecisionDeclaration,
    DecisionStatus,
    InterestDeclaration,
    SignOff,
    SignOffRound,
)
from partnerships.tests.api_client import api_as
from tests.fixtures import PERSONAS

from .support import approved, in_signoff, propose, set_rule, sign, signatories

CONTRIBUTORS = {"member", "ned", "board", "lead"}


def counts():
    return [
        model.objects.count()
        for model in (Decision, SignOff, SignOffRound, Challenge, DecisionDeclaration, InterestDeclaration, AuditEvent)
    ]


ALL = [persona for persona in PERSONAS if persona not in ("anonymous", "outsider")]


@pytest.fixture
def things(world):
    signatories(world)
    draft = propose(world, title="Draft")
    open_one = propose(world, title="Open")
    services.decision_open_for_challenge(actor=world.member, decision=open_one)
    challenge = services.challenge_raise(actor=world.ned, decision=open_one, text="Why?")
    signing = in_signoff(world, title="Signing")
    done = approved(world, title="Approved")
    later = approved(world, title="Later")
    interest = services.interest_declare(
        actor=world.board,
        partnership=world.partnership,
        kind="financial",
        description="Shares",
        valid_from=timezone.localdate(),
    )
    return {
        "draft": draft,
        "open": open_one,
        "challenge": challenge,
        "signing": signing,
        "approved": done,
        "later": later,
        "interest": interest,
    }


READS = [
    lambda t: "/api/v1/decisions/",
    lambda t: f"/api/v1/decisions/{t['approved'].pk}/",
    lambda t: "/api/v1/signoffs/",
    lambda t: "/api/v1/ratifications/",
    lambda t: "/api/v1/challenges/",
    lambda t: "/api/v1/declarations/",
    lambda t: "/api/v1/interests/",
    lambda t: f"/api/v1/interests/{t['interest'].pk}/",
]

WRITES = [
    # (method, path, body, personas whose change is made)
    (
        "post",
        lambda t: "/api/v1/decisions/",
        lambda w, t: {"partnership": "QZZ", "title": "New", "case": "Case", "category": "policy"},
        CONTRIBUTORS,
    ),
    ("patch", lambda t: f"/api/v1/decisions/{t['draft'].pk}/", lambda w, t: {"title": "Renamed"}, {"member", "lead"}),
    ("post", lambda t: f"/api/v1/decisions/{t['draft'].pk}/open-for-challenge/", lambda w, t: {}, {"member", "lead"}),
    ("post", lambda t: f"/api/v1/decisions/{t['open'].pk}/open-sign-off/", lambda w, t: {}, {"lead"}),
    ("post", lambda t: f"/api/v1/decisions/{t['approved'].pk}/reopen/", lambda w, t: {"reason": "New facts"}, {"lead"}),
    ("post", lambda t: f"/api/v1/decisions/{t['signing'].pk}/defer/", lambda w, t: {"reason": "Later"}, {"lead"}),
    (
        "post",
        lambda t: f"/api/v1/decisions/{t['draft'].pk}/withdraw/",
        lambda w, t: {"reason": "No"},
        {"member", "lead"},
    ),
    (
        "post",
        lambda t: f"/api/v1/decisions/{t['approved'].pk}/supersede/",
        lambda w, t: {"superseded_by": t["later"].pk, "reason": "Replaced"},
        {"lead"},
    ),
    (
        "post",
        lambda t: "/api/v1/challenges/",
        lambda w, t: {"decision": t["open"].pk, "text": "And the staff?"},
        CONTRIBUTORS,
    ),
    (
        "post",
        lambda t: f"/api/v1/challenges/{t['challenge'].pk}/response/",
        lambda w, t: {"response": "They move."},
        {"member", "lead"},
    ),
    (
        "post",
        lambda t: "/api/v1/declarations/",
        lambda w, t: {"decision": t["open"].pk, "position": "no_interest"},
        CONTRIBUTORS,
    ),
    (
        "post",
        lambda t: "/api/v1/interests/",
        lambda w, t: {"partnership": "QZZ", "kind": "indirect", "description": "Brother", "valid_from": "2026-01-01"},
        CONTRIBUTORS,
    ),
    (
        "patch",
        lambda t: f"/api/v1/interests/{t['interest'].pk}/",
        lambda w, t: {"mitigation": "Leaves the room"},
        {"board", "lead"},
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_read_answers_each_persona_as_the_access_model_says(world, things, persona):
    client = api_as(world, persona)
    failures = []
    for path in READS:
        url = path(things)
        response = client.get(url)
        is_detail = url.rstrip("/").split("/")[-1].isdigit()
        wanted = 401 if persona == "anonymous" else 404 if persona == "outsider" and is_detail else 200
        if response.status_code != wanted:
            failures.append(f"{url}: {response.status_code}, wanted {wanted}")
    assert failures == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_write_is_made_only_by_the_roles_allowed_to_make_it(world, things, persona):
    client = api_as(world, persona)
    failures = []
    for method, path, body, allowed in WRITES:
        with transaction.atomic():
            before = counts()
            response = getattr(client, method)(path(things), body(world, things), format="json")
            if response.status_code >= 400 and counts() != before:
                failures.append(f"{method} {path(things)}: refused with {response.status_code} but wrote rows")
            transaction.set_rollback(True)
        if persona == "anonymous":
            wanted = {401}
        elif persona == "outsider":
            wanted = {404, 400}  # 404 for what it names in the path; an id in the body it cannot see is refused
        elif persona in allowed:
            wanted = {200, 201}
        else:
            wanted = {403}
        if response.status_code not in wanted:
            failures.append(f"{method} {path(things)}: {response.status_code} {response.content[:200]}")
    assert failures == []


def test_a_board_member_signs_through_the_api_and_the_decision_is_approved(world):
    signatories(world)
    decision = in_signoff(world)
    sign(world.council_director, decision)
    client = api_as(world, "board")
    response = client.post(
        "/api/v1/signoffs/",
        {"decision": decision.pk, "vote": "approve", "declares_no_interest": True},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["vote"] == "approve" and response.json()["organisation"]["id"] == world.trust.pk
    answer = client.get(f"/api/v1/decisions/{decision.pk}/").json()
    assert answer["status"] == DecisionStatus.APPROVED and answer["organisations_bound"] == 2


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"vote": "maybe"}, "vote", "is not a valid choice"),
        ({"vote": "reject"}, "comment", "Give your reasons for rejecting"),
        ({"vote": "approve", "decision": 999999}, "decision", "There is no record with id"),
        ({"vote": "approve", "colour": "blue"}, "colour", "This field cannot be set here."),
    ],
)
def test_bad_sign_offs_through_the_api_get_a_400_and_write_nothing(world, client, body, field, message):
    signatories(world)
    decision = in_signoff(world)
    response = api_as(world, "board").post(
        "/api/v1/signoffs/",
        {"decision": decision.pk, "declares_no_interest": True, **body},
        format="json",
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert SignOff.objects.count() == 0


def test_signing_twice_for_an_organisation_through_the_api_is_refused(world):
    signatories(world)
    decision = in_signoff(world)
    sign(world.board, decision)
    response = api_as(world, "board").post(
        "/api/v1/signoffs/",
        {"decision": decision.pk, "vote": "approve", "declares_no_interest": True},
        format="json",
    )
    assert response.status_code == 400
    assert SignOff.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value_pounds": "a lot"}, "value_pounds"),
        ({"title": "<script>x</script>"}, "title"),
        ({"category": "whim"}, "category"),
        ({"is_urgent": True, "urgent_reason": "Now"}, "is_urgent"),  # the lead only
        ({"visibility": "confidential"}, "confidential_reason"),
    ],
)
def test_bad_proposals_through_the_api_get_a_400_and_write_nothing(world, client, body, field):
    response = api_as(world, "member").post(
        "/api/v1/decisions/",
        {"partnership": "QZZ", "title": "T", "case": "C", "category": "policy", **body},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Decision.objects.count() == 0


def test_a_reopen_without_a_reason_through_the_api_is_refused(world):
    decision = approved(world)
    response = api_as(world, "lead").post(f"/api/v1/decisions/{decision.pk}/reopen/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED and decision.rounds.count() == 1


def test_hidden_votes_are_hidden_in_the_api_until_sign_off_closes(world):
    signatories(world)
    set_rule(world, hide_votes_until_closed=True)
    decision = in_signoff(world)
    sign(world.board, decision, "reject", "Too costly.")
    lead = api_as(world, "lead")
    seen_by_other = lead.get(f"/api/v1/signoffs/?decision={decision.pk}").json()["results"][0]
    assert seen_by_other["vote"] is None and seen_by_other["comment"] is None and seen_by_other["vote_hidden"] is True
    assert lead.get(f"/api/v1/decisions/{decision.pk}/").json()["organisations_bound"] is None
    own = api_as(world, "board").get(f"/api/v1/signoffs/?decision={decision.pk}").json()["results"][0]
    assert own["vote"] == "reject"


def test_the_decision_list_filters_by_partnership_status_and_no_challenge(world):
    approved(world, title="Unchallenged")
    propose(world, title="Draft")
    client = api_as(world, "viewer")
    answer = client.get("/api/v1/decisions/?partnership=QZZ&status=approved&no_challenge=true").json()
    assert [decision["title"] for decision in answer["results"]] == ["Unchallenged"]
    assert client.get("/api/v1/decisions/?partnership=QYY").json()["count"] == 0


def test_a_proposal_through_the_api_binds_every_full_member_by_default(world):
    response = api_as(world, "member").post(
        "/api/v1/decisions/",
        {
            "partnership": "QZZ",
            "title": "Joint estates plan",
            "case": "One plan.",
            "category": "strategy",
            "review_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["organisation_count"] == 2
    assert response.json()["reference"].startswith("QZZ-")
