"""Histories read as people write: labels for codes, names with links for related records, never database ids; a
confidential decision's title only for those who may read it; and a work-stream accepted by the board credited to
the board's decision. The same presenter (core.history) serves every history, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Visibility
from governance.services.risks import risk_update
from partnerships.models import DecisionCategory
from tests.factories import ProfileFactory, UserFactory, grant
from tests.fixtures import client_for
from tests.html import parse
from workstreams.models import Action, WorkStream, WorkStreamStatus

from .risk_support import domain, raise_risk
from .support import approved, propose, workstream

SECRET_TITLE = "Sale of the Riverside site to Acme Health"


def history_of_risk(client, risk):
    return parse(client.get(risk.get_absolute_url())).select_one("#history-table")


def history_of_decision(client, decision):
    page = parse(client.get(decision.get_absolute_url()))
    return page.select_one("#history-events") or page.select_one("#history")


def an_action(world, description="Recruit six community nurses"):
    group = WorkStream.objects.filter(name="Community care").first() or workstream(
        world, name="Community care", status=WorkStreamStatus.ACTIVE
    )
    return Action.objects.create(
        partnership=world.partnership,
        workstream=group,
        description=description,
        owner=world.member,
        due_on=timezone.localdate(),
    )


def test_a_risk_history_names_the_new_domain_owner_and_actions_instead_of_their_ids(world, client):
    risk = raise_risk(world, domain_name="Finance")
    action = an_action(world)
    risk_update(
        actor=world.lead, risk=risk, domain=domain("Workforce"), owner=world.board, actions=[action], reason="Handover"
    )
    history = history_of_risk(client_for(client, world, "viewer"), risk)
    changes = " ".join(history.get_text(" ").split())
    assert "Domain : Finance → Workforce" in changes
    assert f"Owner : {world.member.display_name} → {world.board.display_name}" in changes
    assert f"Actions : (none) → {action}" in changes and "Recruit six community nurses" in str(action)
    assert "Source : (none) → Internal" in changes and "Tier : (none) → Partnership" in changes  # labels, not codes
    assert f"[{action.pk}]" not in changes and f"→ {domain('Workforce').pk}" not in changes
    links = {link.get_text(): link["href"] for link in history.select("a")}
    assert links[str(action)] == action.get_absolute_url()


def test_a_decision_history_shows_status_labels_declarations_and_organisation_names(world, client):
    bound = [world.trust, world.council]
    decision = approved(world, title="Shared community diabetes service", bound_organisations=bound)
    history = history_of_decision(client_for(client, world, "board"), decision)
    changes = " ".join(history.get_text(" ").split())
    assert "Status : In sign-off → Approved" in changes and "in_signoff" not in changes
    assert f"Bound organisations : (none) → {world.trust.name} , {world.council.name}" in changes
    assert f"[{world.trust.pk}, {world.council.pk}]" not in changes
    assert "Position : (none) → No interest" in changes and "no_interest" not in changes  # declared when signing
    assert history.select_one(f'a[href="{world.trust.get_absolute_url()}"]') is not None


def test_a_member_reads_a_confidential_decision_in_a_risk_history_by_its_reference_only(world, client):
    secret = approved(
        world,
        actor=world.board,  # its proposer reads it in full
        title=SECRET_TITLE,
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Commercial negotiation under way.",
        confidential_review_on=timezone.localdate() + timedelta(days=90),
    )
    risk = raise_risk(world)
    risk_update(actor=world.lead, risk=risk, decisions=[secret])
    as_member = " ".join(history_of_risk(client_for(client, world, "member"), risk).get_text(" ").split())
    assert f"Decisions : (none) → {secret.reference} (confidential)" in as_member
    assert SECRET_TITLE not in as_member
    board_history = history_of_risk(client_for(client, world, "board"), risk)
    assert board_history.select_one(f'a[href="{secret.get_absolute_url()}"]').get_text() == str(secret)


def test_the_work_stream_history_credits_acceptance_to_the_board_decision_by_reference_and_title(world, client):
    proposal = workstream(world, name="End of Life Care")
    decision = approved(
        world,
        title="Establish the End of Life Care work-stream",
        category=DecisionCategory.ESTABLISH_WORKSTREAM,
        workstream=proposal,
        value_pounds=None,
    )
    change = proposal.status_changes.get(to_status=WorkStreamStatus.ACCEPTED)
    assert change.changed_by is None  # the board's decision accepted it, not the signatory whose vote settled it
    response = client_for(client, world, "member").get(proposal.get_absolute_url())
    history = parse(response).select_one("#status-history + ul")
    line = " ".join(history.get_text(" ").split())
    assert f"Accepted by the board's decision {decision.reference}: {decision.title}" in line
    assert world.council_director.display_name not in line and "(board decision" not in line
    assert history.select_one("a")["href"] == decision.get_absolute_url()


def risk_history_queries(client, risk) -> int:
    client.get(risk.get_absolute_url())  # warm the per-process caches (content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(risk.get_absolute_url())
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["member", "board"])
def test_a_long_risk_history_costs_no_more_queries_than_a_short_one(world, client, persona):
    """Every entry names a different owner, domain, action and decision: a presenter that queried per entry or per
    id would grow with them."""
    short, long = raise_risk(world, title="Short history"), raise_risk(world, title="Long history")
    domains = [domain(name) for name in ("Finance", "Workforce", "Quality", "Safety")]
    for number in range(25):
        owner = UserFactory(username=f"owner{number}")
        ProfileFactory(user=owner, organisation=world.trust)
        grant(owner, world.partnership, "member")
        decision = propose(world, title=f"Decision {number}")
        risk_update(
            actor=world.lead,
            risk=long,
            owner=owner,
            domain=domains[number % 4],
            actions=[an_action(world, f"Action {number}")],
            decisions=[decision],
            reason=f"Change {number}",
        )
    risk_update(
        actor=world.lead,
        risk=short,
        owner=world.board,
        domain=domains[1],
        actions=[an_action(world)],
        decisions=[propose(world, title="One decision")],
        reason="One change",
    )
    client = client_for(client, world, persona)
    assert risk_history_queries(client, long) == risk_history_queries(client, short)
    entries = parse(client.get(long.get_absolute_url())).select("#history-table tbody tr")
    assert len(entries) == 26
