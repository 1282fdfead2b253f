"""Recusal is not self-service (issue 15, reproduction 3): a declared conflict stays, and its person stays recused
from the vote and the quorum, until the partnership lead confirms a request to withdraw it, with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from governance import services
from governance.access import CONFLICT_STAYS
from governance.models import (
    DecisionDeclaration,
    DeclarationWithdrawal,
    Position,
    SignOff,
    WithdrawalStatus,
)
from governance.selectors.validity import OrganisationState, validity_for
from governance.services import notifications
from partnerships.tests.api_client import api_as
from tests.fixtures import client_for
from tests.html import parse

from .support import in_signoff, signatories

CONFLICT = {"position": Position.CONFLICT, "kind": "financial", "description": "A director of a bidding company."}
REASON = "I resigned as a director of the bidding company on 1 March."


@pytest.fixture
def decision(world):
    """In sign-off: `board` signed for the trust, then declared a conflict, which withdrew the vote."""
    signatories(world)
    decision = in_signoff(world)
    services.signoff_record(actor=world.board, decision=decision, vote="approve", declares_no_interest=True)
    services.decision_declare(actor=world.board, decision=decision, **CONFLICT)
    return decision


def declaration(world, decision, person=None) -> DecisionDeclaration:
    return DecisionDeclaration.objects.get(decision=decision, person=person or world.board)


def request_withdrawal(world, decision, person=None) -> DeclarationWithdrawal:
    return services.declaration_withdrawal_request(
        actor=person or world.board, declaration=declaration(world, decision, person), reason=REASON
    )


def counts() -> dict[str, int]:
    return {
        "audit": AuditEvent.objects.count(),
        "votes": SignOff.objects.count(),
        "withdrawals": DeclarationWithdrawal.objects.count(),
        "conflicts": DecisionDeclaration.objects.filter(position=Position.CONFLICT).count(),
    }


def is_recused(world, decision) -> bool:
    validity = validity_for(decision)
    row = validity.recused_row(world.board)
    return row is not None and row.state == OrganisationState.RECUSED


def test_the_board_member_is_recused_and_their_vote_withdrawn_as_designed(world, decision):
    assert is_recused(world, decision)
    assert not SignOff.objects.current().filter(decision=decision, signatory=world.board).exists()


# --- Reproduction 3, refused ------------------------------------------------------------------------------------------


def test_declaring_no_interest_over_a_conflict_through_the_api_is_refused_and_writes_nothing(world, decision):
    before = counts()
    response = api_as(world, "board").post(
        "/api/v1/declarations/", {"decision": decision.pk, "position": "no_interest"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["position"] == [CONFLICT_STAYS]
    signing = api_as(world, "board").post(
        "/api/v1/signoffs/",
        {"decision": decision.pk, "vote": "approve", "declares_no_interest": True},
        format="json",
    )
    assert signing.status_code == 400
    assert counts() == before
    assert declaration(world, decision).position == Position.CONFLICT


@pytest.mark.parametrize("position", [Position.NO_INTEREST, Position.INTEREST])
def test_declaring_a_lower_position_over_a_conflict_on_the_page_is_refused_and_writes_nothing(
    world, client, decision, position
):
    before = counts()
    response = client_for(client, world, "board").post(
        reverse("governance:decision_declare", args=[decision.pk]),
        {"position": position, "kind": "financial", "description": "Resigned."},
    )
    assert response.status_code == 400
    assert CONFLICT_STAYS in response.content.decode()
    assert counts() == before
    assert is_recused(world, decision)


def test_changing_what_you_said_about_your_conflict_is_still_yours_to_do(world, decision):
    services.decision_declare(actor=world.board, decision=decision, **{**CONFLICT, "description": "A director."})
    assert declaration(world, decision).description == "A director."


def test_the_declare_page_tells_someone_with_a_conflict_to_ask_for_its_withdrawal(world, client, decision):
    page = client_for(client, world, "board").get(reverse("governance:decision_declare", args=[decision.pk]))
    assert reverse("governance:declaration_withdrawal_request", args=[decision.pk]) in page.content.decode()


# --- The request, and the lead's answer -------------------------------------------------------------------------------


def test_after_asking_the_person_stays_recused_and_cannot_sign(world, decision):
    withdrawal = request_withdrawal(world, decision)
    assert withdrawal.status == WithdrawalStatus.REQUESTED
    assert declaration(world, decision).position == Position.CONFLICT
    assert is_recused(world, decision)
    with pytest.raises(ValidationError, match="recused"):
        services.signoff_record(actor=world.board, decision=decision, vote="approve", declares_no_interest=True)
    event = AuditEvent.objects.filter(action="declaration.withdrawal_requested").get()
    assert event.reason == REASON


def test_asking_twice_is_refused(world, decision):
    request_withdrawal(world, decision)
    with pytest.raises(ValidationError, match="already asked"):
        request_withdrawal(world, decision)


def test_the_lead_confirms_and_the_person_may_sign_again(world, client, decision):
    withdrawal = request_withdrawal(world, decision)
    response = client_for(client, world, "lead").post(
        reverse("governance:declaration_withdrawal_confirm", args=[withdrawal.pk]), {"reason": "Resignation seen."}
    )
    assert response.status_code == 302
    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.decided_by, withdrawal.response) == (
        WithdrawalStatus.CONFIRMED,
        world.lead,
        "Resignation seen.",
    )
    assert declaration(world, decision).position == Position.NO_INTEREST
    assert not is_recused(world, decision)
    event = AuditEvent.objects.filter(action="declaration.withdrawal_confirmed").get()
    assert (event.actor, event.reason) == (world.lead, "Resignation seen.")
    signing = api_as(world, "board").post(
        "/api/v1/signoffs/", {"decision": decision.pk, "vote": "approve", "declares_no_interest": True}, format="json"
    )
    assert signing.status_code == 201


def test_the_confirmation_shows_on_the_interests_tab_and_in_the_history(world, client, decision):
    withdrawal = request_withdrawal(world, decision)
    services.declaration_withdrawal_confirm(actor=world.lead, withdrawal=withdrawal, reason="Resignation seen.")
    page = parse(client_for(client, world, "member").get(decision.get_absolute_url()))
    said = page.select_one(f"#withdrawal-{withdrawal.pk}").get_text(" ", strip=True)
    assert "Conflict withdrawn" in said and "Resignation seen." in said
    history = page.select_one("#history-events").get_text(" ", strip=True)
    assert "confirmed the withdrawal" in history and "Resignation seen." in history
    assert "asked for their conflict" in history and REASON in history


def test_confirming_a_withdrawal_to_an_interest_keeps_what_was_declared(world, decision):
    withdrawal = services.declaration_withdrawal_request(
        actor=world.board, declaration=declaration(world, decision), reason=REASON, position=Position.INTEREST
    )
    services.declaration_withdrawal_confirm(actor=world.lead, withdrawal=withdrawal, reason="Not a conflict.")
    declared = declaration(world, decision)
    assert (declared.position, declared.kind) == (Position.INTEREST, "financial")


def test_the_lead_declines_and_the_person_stays_recused(world, client, decision):
    withdrawal = request_withdrawal(world, decision)
    response = client_for(client, world, "lead").post(
        reverse("governance:declaration_withdrawal_decline", args=[withdrawal.pk]), {"reason": "Still a shareholder."}
    )
    assert response.status_code == 302
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.DECLINED
    assert is_recused(world, decision)
    assert AuditEvent.objects.filter(action="declaration.withdrawal_declined", reason="Still a shareholder.").exists()
    page = parse(client.get(decision.get_absolute_url()))
    assert "Withdrawal declined" in page.select_one(f"#withdrawal-{withdrawal.pk}").get_text(" ", strip=True)
    request_withdrawal(world, decision)  # a declined request may be followed by another


def test_an_answered_request_cannot_be_answered_again(world, decision):
    withdrawal = request_withdrawal(world, decision)
    services.declaration_withdrawal_decline(actor=world.lead, withdrawal=withdrawal, reason="No.")
    with pytest.raises(ValidationError, match="already declined"):
        services.declaration_withdrawal_confirm(actor=world.lead, withdrawal=withdrawal, reason="Yes.")


def test_a_lead_cannot_confirm_their_own_request(world, client, decision):
    services.decision_declare(actor=world.lead, decision=decision, **CONFLICT)
    withdrawal = request_withdrawal(world, decision, person=world.lead)
    before = counts()
    page = client_for(client, world, "lead").post(
        reverse("governance:declaration_withdrawal_confirm", args=[withdrawal.pk]), {"reason": "Mine."}
    )
    api = api_as(world, "lead").post(
        f"/api/v1/declaration-withdrawals/{withdrawal.pk}/confirm/", {"reason": "Mine."}, format="json"
    )
    assert (page.status_code, api.status_code) == (403, 403)
    assert "your own conflict" in api.json()["detail"]
    assert counts() == before
    assert declaration(world, decision, world.lead).position == Position.CONFLICT


def test_the_lead_sees_buttons_to_answer_a_request_and_others_do_not(world, client, decision):
    withdrawal = request_withdrawal(world, decision)
    confirm = reverse("governance:declaration_withdrawal_confirm", args=[withdrawal.pk])
    assert confirm in client_for(client, world, "lead").get(decision.get_absolute_url()).content.decode()
    assert confirm not in client_for(client, world, "board").get(decision.get_absolute_url()).content.decode()


# --- Who may ask, and who may answer: pages ---------------------------------------------------------------------------

PERSONAS = ["anonymous", "outsider", "viewer", "member", "board", "lead"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("outsider", 404), ("viewer", 403), ("member", 200), ("board", 200), ("lead", 200)],
)
def test_who_may_open_the_request_page(world, client, decision, persona, expected):
    response = client_for(client, world, persona).get(
        reverse("governance:declaration_withdrawal_request", args=[decision.pk])
    )
    assert response.status_code == expected
    if persona == "anonymous":
        assert "/sign-in/" in response["Location"] or "login" in response["Location"]
    has_form = response.status_code == 200 and parse(response).select_one("textarea[name=reason]") is not None
    assert has_form == (persona == "board")  # only the person with the conflict is offered the form


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("outsider", 404), ("viewer", 403), ("member", 400), ("board", 302), ("lead", 400)],
)
def test_who_may_send_the_request(world, client, decision, persona, expected):
    response = client_for(client, world, persona).post(
        reverse("governance:declaration_withdrawal_request", args=[decision.pk]),
        {"position": "no_interest", "reason": REASON},
    )
    assert response.status_code == expected
    assert DeclarationWithdrawal.objects.exists() == (persona == "board")


@pytest.mark.parametrize("step", ["confirm", "decline"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("outsider", 404), ("viewer", 403), ("member", 403), ("board", 403), ("lead", 200)],
)
def test_who_may_answer_a_request_on_the_page(world, client, decision, step, persona, expected):
    withdrawal = request_withdrawal(world, decision)
    path = reverse(f"governance:declaration_withdrawal_{step}", args=[withdrawal.pk])
    client = client_for(client, world, persona)
    assert client.get(path).status_code == expected
    posted = client.post(path, {"reason": "Seen."})
    assert posted.status_code == (302 if persona in ("anonymous", "lead") else expected)
    withdrawal.refresh_from_db()
    assert withdrawal.is_pending == (persona != "lead")


# --- Who may ask, and who may answer: the API -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("outsider", 400), ("viewer", 403), ("member", 400), ("board", 201), ("lead", 400)],
)
def test_who_may_ask_through_the_api(world, decision, persona, expected):
    body = {"declaration": declaration(world, decision).pk, "position": "no_interest", "reason": REASON}
    response = api_as(world, persona).post("/api/v1/declaration-withdrawals/", body, format="json")
    assert response.status_code == expected
    assert DeclarationWithdrawal.objects.exists() == (persona == "board")
    if persona == "board":
        assert response.json()["status"] == "requested"


@pytest.mark.parametrize("step", ["confirm", "decline"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("outsider", 404), ("viewer", 403), ("member", 403), ("board", 403), ("lead", 200)],
)
def test_who_may_answer_through_the_api(world, decision, step, persona, expected):
    withdrawal = request_withdrawal(world, decision)
    response = api_as(world, persona).post(
        f"/api/v1/declaration-withdrawals/{withdrawal.pk}/{step}/", {"reason": "Seen."}, format="json"
    )
    assert response.status_code == expected
    withdrawal.refresh_from_db()
    assert withdrawal.is_pending == (persona != "lead")


def test_requests_are_listed_for_those_who_read_the_decision(world, decision):
    request_withdrawal(world, decision)
    listed = api_as(world, "viewer").get(f"/api/v1/declaration-withdrawals/?decision={decision.pk}")
    assert listed.status_code == 200
    assert [row["reason"] for row in listed.json()["results"]] == [REASON]
    assert api_as(world, "outsider").get("/api/v1/declaration-withdrawals/").json()["results"] == []


# --- Bad input --------------------------------------------------------------------------------------------------------

BAD_REASONS = [
    ({"reason": ""}, "reason"),
    ({"reason": "x" * 2001}, "reason"),
    ({"reason": "<script>alert(1)</script>"}, "reason"),
    ({"reason": REASON, "position": "conflict"}, "position"),
]


@pytest.mark.parametrize(("body", "field"), BAD_REASONS)
def test_a_bad_request_through_the_api_is_answered_400(world, decision, body, field):
    body = {"declaration": declaration(world, decision).pk, **body}
    response = api_as(world, "board").post("/api/v1/declaration-withdrawals/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not DeclarationWithdrawal.objects.exists()


def test_a_request_missing_its_reason_is_answered_400(world, decision):
    body = {"declaration": declaration(world, decision).pk}
    response = api_as(world, "board").post("/api/v1/declaration-withdrawals/", body, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


@pytest.mark.parametrize(("body", "field"), BAD_REASONS)
def test_a_bad_request_on_the_page_is_answered_400(world, client, decision, body, field):
    response = client_for(client, world, "board").post(
        reverse("governance:declaration_withdrawal_request", args=[decision.pk]), {"position": "no_interest", **body}
    )
    assert response.status_code == 400
    assert not DeclarationWithdrawal.objects.exists()


def test_asking_about_someone_elses_declaration_is_refused(world, decision):
    services.decision_declare(actor=world.ned, decision=decision, **CONFLICT)
    body = {"declaration": declaration(world, decision, world.ned).pk, "reason": REASON}
    response = api_as(world, "board").post("/api/v1/declaration-withdrawals/", body, format="json")
    assert response.status_code == 400
    assert "your own declaration" in response.json()["declaration"][0]
    missing = api_as(world, "board").post(
        "/api/v1/declaration-withdrawals/", {"declaration": 999999, "reason": REASON}, format="json"
    )
    assert missing.status_code == 400
    assert not DeclarationWithdrawal.objects.exists()


@pytest.mark.parametrize("reason", ["", "x" * 2001, "<b>Seen</b>"])
def test_a_bad_answer_is_answered_400_and_leaves_the_request_pending(world, client, decision, reason):
    withdrawal = request_withdrawal(world, decision)
    api = api_as(world, "lead").post(
        f"/api/v1/declaration-withdrawals/{withdrawal.pk}/confirm/", {"reason": reason}, format="json"
    )
    page = client_for(client, world, "lead").post(
        reverse("governance:declaration_withdrawal_confirm", args=[withdrawal.pk]), {"reason": reason}
    )
    assert (api.status_code, page.status_code) == (400, 400)
    assert "reason" in api.json()
    withdrawal.refresh_from_db()
    assert withdrawal.is_pending


# --- Emails: the lead is asked, the person is told ---------------------------------------------------------------


def test_the_lead_is_emailed_to_confirm_a_request_and_the_person_is_told_the_answer(
    world, decision, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = request_withdrawal(world, decision)
    (asked,) = mailoutbox
    assert asked.to == [world.lead.email]
    assert asked.subject == f"Conflict withdrawal to confirm: {decision.reference}"
    assert REASON in asked.body and "they stay recused" in asked.body
    assert f"{decision.get_absolute_url()}#interests" in asked.body
    assert notifications.send_withdrawal_requested(withdrawal.pk) == 0  # a retried task sends nothing twice

    with django_capture_on_commit_callbacks(execute=True):
        services.declaration_withdrawal_confirm(actor=world.lead, withdrawal=withdrawal, reason="Resignation seen.")
    told = mailoutbox[-1]
    assert told.to == [world.board.email]
    assert told.subject == f"Your conflict on {decision.reference}: withdrawal confirmed"
    assert "Resignation seen." in told.body and "You take part in the decision again" in told.body


def test_a_declined_request_tells_the_person_they_stay_recused(
    world, decision, mailoutbox, django_capture_on_commit_callbacks
):
    withdrawal = request_withdrawal(world, decision)
    with django_capture_on_commit_callbacks(execute=True):
        services.declaration_withdrawal_decline(actor=world.lead, withdrawal=withdrawal, reason="Not yet resigned.")
    told = mailoutbox[-1]
    assert told.to == [world.board.email]
    assert "withdrawal declined" in told.subject
    assert "Your conflict stands" in told.body
