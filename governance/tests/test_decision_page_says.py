"""What a decision's page and the register say about it: the challenge flag, whom it binds (only an approved decision
binds anyone), and a page whose ids and counts read right."""

from collections import Counter

from core.models import AuditEvent
from governance import services
from governance.models import DecisionStatus, Vote
from tests.html import parse, text

from .support import approved, in_signoff, propose, sign, signatories


def page_of(client, user, decision):
    client.force_login(user)
    return client.get(decision.get_absolute_url())


def test_a_challenged_approved_decision_page_does_not_say_no_challenge_recorded(world, client):
    signatories(world)
    challenged = in_signoff(world, title="Challenged")
    services.challenge_raise(actor=world.ned, decision=challenged, text="Why now?")
    sign(world.board, challenged)
    sign(world.council_director, challenged)
    unchallenged = approved(world, title="Unchallenged")

    challenged.refresh_from_db()
    assert challenged.status == DecisionStatus.APPROVED
    assert "No challenge recorded" not in text(page_of(client, world.board, challenged), "#decision-status")
    assert "No challenge recorded" in text(page_of(client, world.board, unchallenged), "#decision-status")


def test_a_rejected_decision_is_not_said_to_bind_anyone(world, client):
    signatories(world)
    decision = in_signoff(world)
    sign(world.board, decision)
    sign(world.council_director, decision, Vote.REJECT, "Not this year.")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.REJECTED

    rejected = AuditEvent.objects.get(action="decision.rejected", target_id=decision.pk)
    assert "Binding on" not in rejected.summary
    assert rejected.summary.endswith("rejected: 1 of 2 organisations approved; 1 rejected")
    page = page_of(client, world.board, decision)
    assert "Binding on" not in text(page)
    assert "1 of 2 organisations approved; 1 rejected" in text(page, "#validity")
    register = text(client.get("/partnerships/QZZ/decisions/"), "#decisions")
    assert "None: rejected" in register and "1 of 2" not in register


def test_an_approved_decision_says_whom_it_binds_and_a_superseded_one_no_longer_binds(world, client):
    earlier = approved(world, title="Earlier")
    assert "Binding on 2 of 2 organisations" in text(page_of(client, world.board, earlier), "#validity")
    approved_summary = AuditEvent.objects.get(action="decision.approved", target_id=earlier.pk).summary
    # The world's delegations were recorded by the lead and never confirmed by their organisations.
    assert approved_summary.endswith(
        "approved: Binding on 2 of 2 organisations; 2 of the 2 under delegations their organisation has not confirmed"
    )

    later = approved(world, title="Later")
    services.decision_supersede(actor=world.lead, decision=earlier, superseded_by=later, reason="Replaced.")
    page = page_of(client, world.board, earlier)
    # Its history still records that it bound them when it was approved; what it says now is that it no longer does.
    assert "Binding on" not in text(page, "#decision-summary") + text(page, "#validity")
    assert "No longer binding, as it is superseded; 2 of 2 organisations approved" in text(page, "#validity")
    rows = {
        row.select_one("a").get_text(): " ".join(row.get_text(" ").split())
        for row in parse(client.get("/partnerships/QZZ/decisions/")).select("#decisions tbody tr")
    }
    assert "None: superseded" in rows[f"{earlier.reference}: Earlier"]


def test_a_draft_binding_one_organisation_says_one_organisation_would_be_asked(world, client):
    decision = propose(world)
    decision.bound_organisations.set([world.trust])
    page = page_of(client, world.member, decision)
    assert "Sign-off not opened: 1 organisation would be asked to sign" in text(page, "#decision-summary")
    assert "When it does, this organisation will be asked to sign." in text(page, "#validity")


def test_a_decision_page_uses_each_id_once(world, client):
    decision = approved(world)
    ids = Counter(element["id"] for element in parse(page_of(client, world.lead, decision)).select("[id]"))
    assert [name for name, count in ids.items() if count > 1] == []
    assert ids["history"] == 1
