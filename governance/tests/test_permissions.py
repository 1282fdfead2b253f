"""The permission matrix of every governance page: anonymous → sign-in, outsider → 404, a role that may not act →
403, the roles that may → 200 (pages) or 302 (a change made). Public pages answer everyone."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from governance import services
from governance.models import Decision, Ratification
from partnerships.models import Delegation
from tests.fixtures import PERSONAS, client_for

from .support import approved, held_board_meeting, in_signoff, propose, signatories

ALL = [persona for persona in PERSONAS if persona not in ("anonymous", "outsider")]
CONTRIBUTORS = {"member", "ned", "board", "lead"}
LEAD = {"lead"}
PROPOSER_OR_LEAD = {"member", "lead"}  # `member` proposed every decision here


@pytest.fixture
def things(world):
    signatories(world)
    draft = propose(world, title="Draft")
    open_one = propose(world, title="Open for challenge")
    services.decision_open_for_challenge(actor=world.member, decision=open_one)
    challenge = services.challenge_raise(actor=world.ned, decision=open_one, text="Why?")
    signing = in_signoff(world, title="In sign-off")
    done = approved(world, title="Approved")
    urgent = approved(world, title="Urgent", is_urgent=True, urgent_reason="Contract lapses.", actor=world.lead)
    urgent.proposer = world.member
    urgent.save(update_fields=["proposer"])
    Decision.objects.filter(pk=urgent.pk).update(decided_at=timezone.now() - timedelta(days=5))
    meeting = held_board_meeting(world, days_from_now=-1)
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
        "urgent": urgent,
        "meeting": meeting,
        "interest": interest,
    }


PAGES = [
    # (path, personas who may open it)
    (lambda t: "/partnerships/QZZ/decisions/", ALL),
    (lambda t: "/partnerships/QZZ/decisions/?status=approved&search=Appr", ALL),
    (lambda t: "/partnerships/QZZ/decisions/export.csv", ALL),
    (lambda t: "/partnerships/QZZ/decisions/new/", CONTRIBUTORS),
    (lambda t: "/partnerships/QZZ/decision-rule/", LEAD),
    (lambda t: f"/decisions/{t['approved'].pk}/", ALL),
    (lambda t: f"/decisions/{t['draft'].pk}/edit/", PROPOSER_OR_LEAD),
    (lambda t: f"/decisions/{t['draft'].pk}/publication/", LEAD),
    (lambda t: f"/decisions/{t['draft'].pk}/open-for-challenge/", PROPOSER_OR_LEAD),
    (lambda t: f"/decisions/{t['open'].pk}/open-sign-off/", LEAD),
    (lambda t: f"/decisions/{t['signing'].pk}/extend-sign-off/", LEAD),
    (lambda t: f"/decisions/{t['approved'].pk}/reopen/", LEAD),
    (lambda t: f"/decisions/{t['signing'].pk}/defer/", LEAD),
    (lambda t: f"/decisions/{t['draft'].pk}/withdraw/", PROPOSER_OR_LEAD),
    (lambda t: f"/decisions/{t['approved'].pk}/supersede/", LEAD),
    (lambda t: f"/decisions/{t['urgent'].pk}/board-ratification/", LEAD),
    (lambda t: f"/decisions/{t['signing'].pk}/sign/", CONTRIBUTORS),
    (lambda t: f"/decisions/{t['signing'].pk}/ratifications/new/", LEAD),
    (lambda t: f"/decisions/{t['open'].pk}/challenges/new/", CONTRIBUTORS),
    (lambda t: f"/challenges/{t['challenge'].pk}/respond/", PROPOSER_OR_LEAD),
    (lambda t: f"/decisions/{t['open'].pk}/declare/", CONTRIBUTORS),
    (lambda t: "/partnerships/QZZ/interests/", ALL),
    (lambda t: "/partnerships/QZZ/interests/new/", CONTRIBUTORS),
    (lambda t: f"/interests/{t['interest'].pk}/edit/", {"board", "lead"}),
]


def expected_status(persona: str, allowed, *, success: int) -> int:
    if persona == "anonymous":
        return 302  # to the sign-in page, checked below
    if persona == "outsider":
        return 404
    return success if persona in allowed else 403


def check(response, persona, allowed, *, success: int) -> str | None:
    """None if the answer is right; otherwise what was wrong, for the list of failures."""
    wanted = expected_status(persona, allowed, success=success)
    if response.status_code != wanted:
        return f"{response.request['PATH_INFO']}: {response.status_code}, wanted {wanted}"
    if persona == "anonymous" and not response["Location"].startswith("/sign-in/"):
        return f"{response.request['PATH_INFO']}: redirected to {response['Location']}, not to sign in"
    return None


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_answers_each_persona_as_the_access_model_says(world, things, client, persona):
    client = client_for(client, world, persona)
    failures = [check(client.get(path(things)), persona, allowed, success=200) for path, allowed in PAGES]
    assert [failure for failure in failures if failure] == []


@pytest.mark.parametrize("persona", ["outsider", *ALL])
def test_my_sign_offs_opens_for_everyone_signed_in(world, things, client, persona):
    assert client_for(client, world, persona).get("/my-sign-offs/").status_code == 200


def test_my_sign_offs_needs_sign_in(db, client):
    response = client.get("/my-sign-offs/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_public_pages_answer_everyone_without_sign_in(world, things, client, persona):
    client = client_for(client, world, persona)
    assert client.get("/public/QZZ/").status_code == 200
    assert client.get("/public/QZZ/decisions.atom").status_code == 200
    assert client.get(f"/public/QZZ/decisions/{things['approved'].reference}/").status_code == 200


def _today():
    return timezone.localdate().isoformat()


WRITES = [
    # (path, form data, personas whose change is made; a role that may not act gets 403)
    (
        lambda t: "/partnerships/QZZ/decisions/new/",
        lambda w, t: {
            "title": "New",
            "case": "Case",
            "category": "policy",
            "visibility": "public",
            "bound_organisations": [w.trust.pk],
        },
        CONTRIBUTORS,
    ),
    (
        lambda t: "/partnerships/QZZ/decision-rule/",
        lambda w, t: {
            "rule": "majority",
            "quorum_percentage": 60,
            "majority_percentage": 50,
            "signoff_days": 10,
            "unconfirmed_delegations_count": "",  # unticked: unconfirmed delegations stop counting
        },
        LEAD,
    ),
    (
        lambda t: f"/decisions/{t['draft'].pk}/edit/",
        lambda w, t: {
            "title": "Draft, changed",
            "case": "Case",
            "category": "policy",
            "visibility": "public",
            "bound_organisations": [w.trust.pk],
        },
        PROPOSER_OR_LEAD,
    ),
    (lambda t: f"/decisions/{t['draft'].pk}/publication/", lambda w, t: {"visibility": "public"}, LEAD),
    (lambda t: f"/decisions/{t['draft'].pk}/open-for-challenge/", lambda w, t: {}, PROPOSER_OR_LEAD),
    (lambda t: f"/decisions/{t['open'].pk}/open-sign-off/", lambda w, t: {"closes_on": ""}, LEAD),
    (
        lambda t: f"/decisions/{t['signing'].pk}/extend-sign-off/",
        lambda w, t: {"closes_on": (timezone.localdate() + timedelta(days=60)).isoformat(), "reason": "Summer"},
        LEAD,
    ),
    (lambda t: f"/decisions/{t['approved'].pk}/reopen/", lambda w, t: {"reason": "New facts"}, LEAD),
    (lambda t: f"/decisions/{t['signing'].pk}/defer/", lambda w, t: {"reason": "Later"}, LEAD),
    (lambda t: f"/decisions/{t['draft'].pk}/withdraw/", lambda w, t: {"reason": "Not needed"}, PROPOSER_OR_LEAD),
    (lambda t: f"/decisions/{t['urgent'].pk}/board-ratification/", lambda w, t: {"meeting": t["meeting"].pk}, LEAD),
    (
        lambda t: f"/decisions/{t['open'].pk}/challenges/new/",
        lambda w, t: {"kind": "question", "text": "What about staff?"},
        CONTRIBUTORS,
    ),
    (lambda t: f"/challenges/{t['challenge'].pk}/respond/", lambda w, t: {"response": "Because."}, PROPOSER_OR_LEAD),
    (lambda t: f"/decisions/{t['open'].pk}/declare/", lambda w, t: {"position": "no_interest"}, CONTRIBUTORS),
    (
        lambda t: "/partnerships/QZZ/interests/new/",
        lambda w, t: {"kind": "indirect", "description": "Sister works at the trust", "valid_from": _today()},
        CONTRIBUTORS,
    ),
    (
        lambda t: f"/interests/{t['interest'].pk}/edit/",
        lambda w, t: {"kind": "financial", "description": "Shares, sold", "valid_from": _today(), "valid_to": _today()},
        {"board", "lead"},
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_change_is_made_only_by_the_roles_allowed_to_make_it(world, things, client, persona):
    client = client_for(client, world, persona)
    failures = []
    for path, data, allowed in WRITES:
        with transaction.atomic():  # each change is undone before the next is tried
            failures.append(check(client.post(path(things), data(world, things)), persona, allowed, success=302))
            transaction.set_rollback(True)
    assert [failure for failure in failures if failure] == []


@pytest.mark.parametrize(("persona", "expected"), [("board", 302), ("lead", 400), ("member", 400), ("viewer", 403)])
def test_only_a_covered_signatory_can_sign(world, things, client, persona, expected):
    response = client_for(client, world, persona).post(
        f"/decisions/{things['signing'].pk}/sign/", {"interest": "no_interest", "vote": "approve"}
    )
    assert response.status_code == expected


@pytest.mark.parametrize(("persona", "expected"), [("lead", 302), ("board", 403), ("viewer", 403), ("outsider", 404)])
def test_only_the_lead_records_a_partner_boards_ratification(world, things, client, persona, expected):
    Delegation.objects.filter(delegate=world.council_director).update(
        valid_to=F("valid_from")
    )  # the council's board decides
    signing = in_signoff(world, title="Council cannot sign")
    response = client_for(client, world, persona).post(
        f"/decisions/{signing.pk}/ratifications/new/",
        {"organisation": world.council.pk, "body": "Cabinet", "ratified_on": _today(), "outcome": "ratified"},
    )
    assert response.status_code == expected
    assert Ratification.objects.filter(decision=signing).count() == (1 if expected == 302 else 0)
