"""Bad input gets a clear 4xx and writes nothing: on the pages (with the error summary) and through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from governance.models import Challenge, Decision, DecisionDeclaration, InterestDeclaration, SignOff, SignOffRound
from tests.fixtures import client_for
from tests.html import error_summary

from .support import approved, board_member, delegate, in_signoff, past_deadline, propose, sign, signatories, workstream


def messages(response) -> str:
    return " ".join(message for message, _ in error_summary(response))


def counts():
    return (
        Decision.objects.count(),
        SignOff.objects.count(),
        SignOffRound.objects.count(),
        Challenge.objects.count(),
        DecisionDeclaration.objects.count(),
        InterestDeclaration.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def signing(world):
    signatories(world)
    return in_signoff(world)


def proposal(world, **fields):
    data = {
        "title": "A proposal",
        "case": "The case.",
        "category": "finance",
        "value_pounds": "1000",
        "visibility": "public",
        "bound_organisations": [world.trust.pk],
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value_pounds": "lots"}, "Enter the value as an amount in pounds"),
        ({"value_pounds": "-5"}, "The value must be £0 or more"),
        ({"value_pounds": "123456789012345"}, "The value must be less than £1,000,000,000,000"),
        ({"title": ""}, "Enter a title for the decision"),
        ({"title": "x" * 201}, "Title must be 200 characters or fewer"),
        ({"title": "<script>alert(1)</script>"}, "Remove the HTML tags"),
        ({"case": "Fine <b>bold</b>"}, "Remove the HTML tags"),
        ({"case": "x" * 20001}, "must be 20000 characters or fewer"),
        ({"category": "whim"}, "Choose a category from the list"),
        ({"bound_organisations": []}, "Choose at least one organisation"),
        ({"visibility": "confidential"}, "Say why the decision is confidential"),
        ({"review_on": "31/02/2027"}, "Enter a real date, like 27 3 2027"),
    ],
)
def test_a_bad_proposal_is_refused_with_a_clear_message_and_nothing_written(world, client, fields, message):
    before = counts()
    response = client_for(client, world, "member").post("/partnerships/QZZ/decisions/new/", proposal(world, **fields))
    assert response.status_code == 400
    assert message in messages(response)
    assert counts() == before


def test_someone_elses_work_stream_or_organisation_cannot_be_named(world, client):
    elsewhere = workstream(world, name="Elsewhere")
    elsewhere.partnership = world.other_partnership
    elsewhere.save()
    before = counts()
    client = client_for(client, world, "member")
    response = client.post(
        "/partnerships/QZZ/decisions/new/",
        proposal(world, workstream=elsewhere.pk, bound_organisations=[world.other_trust.pk]),
    )
    assert response.status_code == 400
    assert "Choose a work-stream of this partnership" in messages(response)
    assert "Choose organisations that are members of this partnership" in messages(response)
    assert counts() == before


def test_a_work_stream_already_accepted_cannot_be_established_again(world, client):
    accepted = workstream(world, status="active")
    before = counts()
    response = client_for(client, world, "member").post(
        "/partnerships/QZZ/decisions/new/", proposal(world, category="establish_workstream", workstream=accepted.pk)
    )
    assert response.status_code == 400
    assert "only a proposed work-stream can be established" in messages(response)
    assert counts() == before


def test_signing_twice_for_one_organisation_is_refused(world, client, signing):
    colleague = board_member(world, "medicaldirector", world.trust, title="Medical director")
    delegate(world, colleague, world.trust)
    sign(world.board, signing)
    before = counts()
    client.force_login(colleague)
    response = client.post(
        f"/decisions/{signing.pk}/sign/", {"interest": "no_interest", "vote": "reject", "comment": "No"}
    )
    assert response.status_code == 400
    assert "has already signed" in messages(response) and "One vote counts for each organisation" in messages(response)
    assert counts()[:2] == before[:2]


def test_recording_the_same_vote_again_is_refused(world, client, signing):
    sign(world.board, signing)
    before = counts()
    response = client_for(client, world, "board").post(
        f"/decisions/{signing.pk}/sign/", {"interest": "no_interest", "vote": "approve"}
    )
    assert response.status_code == 400
    assert "You have already recorded this vote" in messages(response)
    assert counts() == before


def test_signing_a_decision_that_is_closed_is_refused(world, client):
    decision = approved(world)
    before = counts()
    response = client_for(client, world, "board").post(
        f"/decisions/{decision.pk}/sign/", {"interest": "no_interest", "vote": "reject", "comment": "Too late"}
    )
    assert response.status_code == 400
    assert "Sign-off is not open: this decision is approved" in messages(response)
    assert counts() == before


def test_signing_after_the_deadline_is_refused(world, client, signing):
    past_deadline(signing)
    before = counts()
    response = client_for(client, world, "board").post(
        f"/decisions/{signing.pk}/sign/", {"interest": "no_interest", "vote": "approve"}
    )
    assert response.status_code == 400
    assert "Sign-off closed on" in messages(response)
    assert counts() == before


def test_signing_without_a_covering_delegation_is_refused(world, client, signing):
    before = counts()
    response = client_for(client, world, "ned").post(
        f"/decisions/{signing.pk}/sign/", {"interest": "no_interest", "vote": "approve"}
    )
    assert response.status_code == 400
    assert "You hold no delegation in force today that covers this decision" in messages(response)
    assert counts() == before


def test_rejecting_without_reasons_is_refused(world, client, signing):
    before = counts()
    response = client_for(client, world, "board").post(
        f"/decisions/{signing.pk}/sign/", {"interest": "no_interest", "vote": "reject", "comment": ""}
    )
    assert response.status_code == 400
    assert "Give your reasons for rejecting" in messages(response)
    assert counts() == before


def test_signing_with_an_undeclared_interest_is_refused(world, client, signing):
    before = counts()
    response = client_for(client, world, "board").post(
        f"/decisions/{signing.pk}/sign/", {"interest": "interest_declared", "vote": "approve"}
    )
    assert response.status_code == 400
    assert "Declare your interest in this decision before you sign" in messages(response)
    assert counts() == before


def test_a_recused_signatory_cannot_sign(world, client, signing):
    client = client_for(client, world, "board")
    client.post(
        f"/decisions/{signing.pk}/declare/", {"position": "conflict", "kind": "financial", "description": "Shares"}
    )
    before = counts()
    response = client.post(f"/decisions/{signing.pk}/sign/", {"interest": "no_interest", "vote": "approve"})
    assert response.status_code == 400
    assert "you are recused" in messages(response)
    assert counts() == before


def test_a_reopen_without_a_reason_is_refused(world, client):
    decision = approved(world)
    before = counts()
    response = client_for(client, world, "lead").post(f"/decisions/{decision.pk}/reopen/", {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the decision is being reopened" in messages(response)
    assert counts() == before


def test_a_conflict_must_say_what_the_interest_is(world, client, signing):
    before = counts()
    response = client_for(client, world, "board").post(f"/decisions/{signing.pk}/declare/", {"position": "conflict"})
    assert response.status_code == 400
    assert "Choose the type of interest" in messages(response) and "Describe the interest" in messages(response)
    assert counts() == before


def test_sign_off_cannot_close_in_the_past(world, client):
    decision = propose(world)
    before = counts()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_for(client, world, "lead").post(
        f"/decisions/{decision.pk}/open-sign-off/", {"closes_on": yesterday}
    )
    assert response.status_code == 400
    assert "The closing date must be in the future" in messages(response)
    assert counts() == before


def test_a_decision_cannot_be_superseded_by_an_earlier_one(world, client):
    earlier = approved(world, title="Earlier")
    later = approved(world, title="Later")
    before = counts()
    response = client_for(client, world, "lead").post(
        f"/decisions/{later.pk}/supersede/", {"superseded_by": earlier.pk, "reason": "Backwards"}
    )
    assert response.status_code == 400
    assert "Choose a decision made after this one" in messages(response)
    assert counts() == before


def test_an_interest_cannot_end_before_it_starts(world, client):
    before = counts()
    response = client_for(client, world, "board").post(
        "/partnerships/QZZ/interests/new/",
        {"kind": "financial", "description": "Shares", "valid_from": "2026-05-01", "valid_to": "2026-04-01"},
    )
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in messages(response)
    assert counts() == before


def test_a_challenge_on_a_draft_is_refused(world, client):
    decision = propose(world)
    before = counts()
    response = client_for(client, world, "ned").post(
        f"/decisions/{decision.pk}/challenges/new/", {"kind": "challenge", "text": "Too early?"}
    )
    assert response.status_code == 400
    assert "Challenge is closed: this decision is draft" in messages(response)
    assert counts() == before
