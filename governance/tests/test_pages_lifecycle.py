"""A decision's life through the pages: proposed, challenged, signed, recused, approved, reopened, superseded."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.models import AuditEvent
from governance import services
from governance.models import (
    Challenge,
    Decision,
    DecisionDeclaration,
    DecisionStatus,
    Position,
    Ratification,
    SignOff,
    Visibility,
)
from partnerships.models import DecisionCategory
from tests.html import parse, text
from workstreams.models import WorkStreamStatus

from .support import (
    approved,
    board_meeting,
    delegate,
    held_board_meeting,
    in_signoff,
    propose,
    set_rule,
    sign,
    signatories,
    workstream,
)


def post(client, user, path, data):
    client.force_login(user)
    return client.post(path, data)


def proposal_form(world, **fields):
    data = {
        "title": "Single point of access for end of life care",
        "case": "One phone number, answered day and night.",
        "options_considered": "Do nothing; a county-wide contract.",
        "reason_for_choice": "Cheapest and quickest.",
        "category": DecisionCategory.SERVICE_CHANGE,
        "value_pounds": "120000",
        "bound_organisations": [world.trust.pk, world.council.pk],
        "visibility": Visibility.PUBLIC,
    }
    data.update(fields)
    return data


def test_a_member_proposes_a_decision_from_a_meeting_and_it_gets_the_next_reference(world, client):
    meeting = board_meeting(world)
    client.force_login(world.member)
    page = client.get(f"/partnerships/QZZ/decisions/new/?meeting={meeting.pk}")
    assert parse(page).select_one(f'select[name="meeting"] option[value="{meeting.pk}"]').has_attr("selected")

    response = client.post("/partnerships/QZZ/decisions/new/", proposal_form(world, meeting=meeting.pk))

    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/decisions/{decision.pk}/"
    assert decision.reference == f"QZZ-{timezone.localdate().year}-001"
    assert decision.meeting == meeting and decision.proposer == world.member
    assert decision.status == DecisionStatus.DRAFT
    assert AuditEvent.objects.filter(action="decision.proposed", target_id=decision.pk).exists()


def test_the_proposer_changes_a_draft_and_the_change_is_in_its_history(world, client):
    decision = propose(world)
    response = post(client, world.member, f"/decisions/{decision.pk}/edit/", proposal_form(world, value_pounds="99000"))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.value_pounds == Decimal("99000")
    history = text(client.get(f"/decisions/{decision.pk}/"), "#history")
    assert "Value (£) : 250,000 → 99,000" in history


def test_a_non_executive_challenge_is_marked_as_such_and_the_proposer_answers_it(world, client):
    decision = propose(world)
    post(client, world.member, f"/decisions/{decision.pk}/open-for-challenge/", {})
    response = post(
        client,
        world.ned,
        f"/decisions/{decision.pk}/challenges/new/",
        {"kind": "challenge", "text": "What happens to the existing night service?"},
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    assert challenge.is_non_executive and challenge.raised_by_organisation == world.council

    response = post(
        client, world.member, f"/challenges/{challenge.pk}/respond/", {"response": "It moves to the hub in April."}
    )
    assert response.status_code == 302
    page = text(client.get(f"/decisions/{decision.pk}/"), "#challenge")
    assert "Non-executive challenge" in page and "It moves to the hub in April." in page and "Answered" in page


def test_the_validity_panel_counts_signatures_and_recusals_until_the_decision_is_approved(world, client):
    signatories(world)
    decision = propose(world)
    post(client, world.lead, f"/decisions/{decision.pk}/open-sign-off/", {"closes_on": ""})
    client.force_login(world.board)
    assert "0 of 2 organisations approved so far; 2 awaiting sign-off" in text(
        client.get(decision.get_absolute_url()), "#validity"
    )

    response = post(
        client, world.board, f"/decisions/{decision.pk}/sign/", {"interest": "no_interest", "vote": "approve"}
    )
    assert response.status_code == 302
    assert DecisionDeclaration.objects.get(person=world.board).position == Position.NO_INTEREST
    panel = text(client.get(decision.get_absolute_url()), "#validity")
    assert "1 of 2 organisations approved so far; 1 awaiting sign-off" in panel

    response = post(
        client,
        world.council_director,
        f"/decisions/{decision.pk}/declare/",
        {"position": "conflict", "kind": "financial", "description": "My husband runs the bidding hospice."},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    page = client.get(decision.get_absolute_url())
    assert (
        "Binding on 1 of 2 organisations; 1 of the 1 under a delegation its organisation has not confirmed; 1 recused"
        in text(page, "#validity")
    )
    assert "Recused: conflict of interest" in text(page, "#organisations")
    assert "Abstained" not in text(page, "#organisations")


def test_a_signatory_changes_their_vote_and_both_votes_are_kept(world, client):
    signatories(world)
    decision = in_signoff(world)
    post(client, world.board, f"/decisions/{decision.pk}/sign/", {"interest": "no_interest", "vote": "abstain"})
    post(
        client,
        world.board,
        f"/decisions/{decision.pk}/sign/",
        {"interest": "no_interest", "vote": "reject", "comment": "Not affordable this year."},
    )
    votes = list(SignOff.objects.filter(decision=decision).order_by("pk"))
    assert [(vote.vote, vote.is_current) for vote in votes] == [("abstain", False), ("reject", True)]
    page = client.get(decision.get_absolute_url())
    assert "Not affordable this year." in text(page, "#organisations")
    assert "abstain on" in text(page, "#signoff")


def test_hidden_votes_show_who_has_signed_but_not_how(world, client):
    signatories(world)
    set_rule(world, hide_votes_until_closed=True)
    decision = in_signoff(world)
    sign(world.board, decision, "reject", "Too costly.")
    client.force_login(world.council_director)
    page = client.get(decision.get_absolute_url())
    panel = text(page, "#organisations")
    assert "Signed" in panel and "Rejected" not in panel and "Too costly." not in panel
    assert "1 of 2 organisations have signed" in text(page, "#validity")
    assert "Too costly" not in text(page, "#history")
    client.force_login(world.board)
    assert "Rejected" in text(client.get(decision.get_absolute_url()), "#organisations")


def test_the_lead_records_a_partner_boards_ratification_and_it_binds_that_organisation(world, client):
    delegate(world, world.board, world.trust)  # nobody may sign for the council
    decision = in_signoff(world)
    sign(world.board, decision)
    client.force_login(world.lead)
    assert "1 awaiting their board" in text(client.get(decision.get_absolute_url()), "#validity")
    response = post(
        client,
        world.lead,
        f"/decisions/{decision.pk}/ratifications/new/",
        {
            "organisation": world.council.pk,
            "body": "Cabinet",
            "ratified_on": timezone.localdate().isoformat(),
            "outcome": "ratified",
        },
    )
    assert response.status_code == 302
    assert Ratification.objects.get().organisation == world.council
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    assert "Binding on 2 of 2 organisations" in text(client.get(decision.get_absolute_url()), "#validity")


def test_reopening_starts_a_new_round_and_keeps_the_earlier_one(world, client):
    decision = approved(world)
    response = post(client, world.lead, f"/decisions/{decision.pk}/reopen/", {"reason": "The funding fell through."})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_SIGNOFF
    assert [r.number for r in decision.rounds.all()] == [1, 2]
    assert decision.current_round.number == 2 and decision.current_round.reason == "The funding fell through."
    page = client.get(decision.get_absolute_url())
    assert "0 of 2 organisations approved so far" in text(page, "#validity")
    assert "Earlier sign-off: round 1" in text(page, "#signoff")
    assert SignOff.objects.filter(decision=decision, round__number=1).count() == 2


def test_a_later_decision_supersedes_an_approved_one_and_they_link_to_each_other(world, client):
    earlier = approved(world)
    later = approved(world, title="Shared diabetes service, revised")
    response = post(
        client,
        world.lead,
        f"/decisions/{earlier.pk}/supersede/",
        {"superseded_by": later.pk, "reason": "The revised service replaces it."},
    )
    assert response.status_code == 302
    earlier.refresh_from_db()
    assert earlier.status == DecisionStatus.SUPERSEDED and earlier.superseded_by == later
    assert earlier.reference in text(client.get(later.get_absolute_url()), "#decision-summary")


def test_defer_then_open_sign_off_again_and_withdraw(world, client):
    signatories(world)
    decision = in_signoff(world)
    assert (
        post(client, world.lead, f"/decisions/{decision.pk}/defer/", {"reason": "Wait for the audit."}).status_code
        == 302
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DEFERRED and decision.current_round.outcome == "deferred"
    post(client, world.lead, f"/decisions/{decision.pk}/open-sign-off/", {"closes_on": ""})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_SIGNOFF and decision.current_round.number == 2
    post(client, world.lead, f"/decisions/{decision.pk}/withdraw/", {"reason": "Overtaken by national policy."})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.WITHDRAWN


def test_an_urgent_decision_is_flagged_until_the_next_board_meeting_ratifies_it(world, client):
    decision = approved(world, is_urgent=True, urgent_reason="The contract lapses on Friday.", actor=world.lead)
    client.force_login(world.board)
    page = client.get(decision.get_absolute_url())
    assert "Awaiting board ratification" in text(page, "#decision-status")
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - timedelta(days=10))
    meeting = held_board_meeting(world, days_from_now=-3)
    response = post(client, world.lead, f"/decisions/{decision.pk}/board-ratification/", {"meeting": meeting.pk})
    assert response.status_code == 302, text(response)
    decision.refresh_from_db()
    assert decision.ratified_at_meeting == meeting
    assert "Awaiting board ratification" not in text(client.get(decision.get_absolute_url()), "#decision-status")


def test_approving_an_establish_a_work_stream_decision_accepts_the_proposed_work_stream(world):
    proposal = workstream(world)
    approved(world, category=DecisionCategory.ESTABLISH_WORKSTREAM, workstream=proposal, value_pounds=None)
    proposal.refresh_from_db()
    assert proposal.status == WorkStreamStatus.ACCEPTED
    change = proposal.status_changes.get(to_status=WorkStreamStatus.ACCEPTED)
    assert change.decision_id == Decision.objects.get().pk


def test_the_register_flags_a_decision_approved_with_no_challenge(world, client):
    unchallenged = approved(world, title="Unchallenged")
    challenged = in_signoff(world, title="Challenged")
    services.challenge_raise(actor=world.ned, decision=challenged, text="Why now?")
    sign(world.board, challenged)
    sign(world.council_director, challenged)
    client.force_login(world.viewer)
    rows = parse(client.get("/partnerships/QZZ/decisions/")).select("#decisions tbody tr")
    flagged = {row.select_one("a").get_text(): "No challenge recorded" in row.get_text() for row in rows}
    assert flagged == {f"{unchallenged.reference}: Unchallenged": True, f"{challenged.reference}: Challenged": False}
    only = parse(client.get("/partnerships/QZZ/decisions/?no_challenge=yes")).select("#decisions tbody tr")
    assert [row.select_one("a").get_text() for row in only] == [f"{unchallenged.reference}: Unchallenged"]


def test_a_board_member_is_reminded_of_their_open_declarations_when_they_open_a_decision(world, client):
    signatories(world)
    services.interest_declare(
        actor=world.board,
        partnership=world.partnership,
        kind="financial",
        description="Shares in Acme Health Ltd",
        valid_from=timezone.localdate() - timedelta(days=100),
    )
    decision = in_signoff(world)
    client.force_login(world.board)
    assert "Shares in Acme Health Ltd" in text(client.get(decision.get_absolute_url()), "#interest-reminder")
    client.force_login(world.council_director)
    assert parse(client.get(decision.get_absolute_url())).select_one("#interest-reminder") is None
