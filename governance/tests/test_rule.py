"""The partnership's decision rule: unanimous, or a majority with a quorum; recusals take organisations out of the
quorum; the deadline closes sign-off with the votes cast."""

import pytest

from governance import services, tasks
from governance.models import DecisionRule, DecisionStatus, Position, SignOffRound, Vote
from governance.selectors.rule import Tally, evaluate
from governance.selectors.validity import validity_for

from .support import in_signoff, more_members, past_deadline, set_rule, sign, signatories


def round_with(rule=DecisionRule.MAJORITY, quorum=50, majority=50):
    return SignOffRound(rule=rule, quorum_percentage=quorum, majority_percentage=majority)


@pytest.mark.parametrize(
    ("tally", "outcome"),
    [
        (Tally(taking_part=3, approve=3, reject=0, abstain=0), DecisionStatus.APPROVED),
        (Tally(taking_part=3, approve=2, reject=0, abstain=1), DecisionStatus.APPROVED),
        (Tally(taking_part=3, approve=2, reject=0, abstain=0), None),
        (Tally(taking_part=3, approve=2, reject=1, abstain=0), DecisionStatus.REJECTED),
        (Tally(taking_part=3, approve=1, reject=1, abstain=0), None),
        (Tally(taking_part=2, approve=0, reject=0, abstain=2), DecisionStatus.REJECTED),
    ],
)
def test_unanimous_rule_waits_for_every_organisation_taking_part(tally, outcome):
    assert evaluate(round_with(DecisionRule.UNANIMOUS), tally).outcome == outcome


@pytest.mark.parametrize(
    ("tally", "outcome"),
    [
        # 10 taking part, quorum 50% = 5. Approved early only when no outstanding votes could overturn it.
        (Tally(taking_part=10, approve=6, reject=0, abstain=0), DecisionStatus.APPROVED),
        (Tally(taking_part=10, approve=5, reject=0, abstain=0), None),
        (Tally(taking_part=10, approve=4, reject=0, abstain=0), None),
        (Tally(taking_part=10, approve=0, reject=5, abstain=0), DecisionStatus.REJECTED),
        (Tally(taking_part=10, approve=4, reject=4, abstain=2), DecisionStatus.REJECTED),
        (Tally(taking_part=10, approve=5, reject=4, abstain=1), DecisionStatus.APPROVED),
    ],
)
def test_majority_rule_decides_as_soon_as_the_outstanding_votes_cannot_change_it(tally, outcome):
    assert evaluate(round_with(), tally).outcome == outcome


def test_majority_at_the_deadline_needs_its_quorum_of_votes_cast():
    quorate = Tally(taking_part=10, approve=4, reject=1, abstain=0)
    not_quorate = Tally(taking_part=10, approve=4, reject=0, abstain=0)
    assert evaluate(round_with(), quorate, at_deadline=True).outcome == DecisionStatus.APPROVED
    assert evaluate(round_with(), not_quorate, at_deadline=True).outcome == DecisionStatus.DEFERRED


def test_a_two_thirds_majority_needs_more_than_two_thirds_of_votes_for_or_against():
    rule = round_with(majority=66)
    assert evaluate(rule, Tally(3, approve=2, reject=1, abstain=0)).outcome == DecisionStatus.APPROVED
    assert evaluate(rule, Tally(5, approve=3, reject=2, abstain=0)).outcome == DecisionStatus.REJECTED


def test_unanimous_at_the_deadline_with_organisations_still_to_sign_is_deferred():
    tally = Tally(taking_part=3, approve=2, reject=0, abstain=0)
    assert evaluate(round_with(DecisionRule.UNANIMOUS), tally, at_deadline=True).outcome == DecisionStatus.DEFERRED


def test_unanimous_decision_is_approved_when_the_last_organisation_signs(world):
    signatories(world)
    decision = in_signoff(world)
    sign(world.board, decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_SIGNOFF
    sign(world.council_director, decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    assert decision.current_round.outcome == DecisionStatus.APPROVED
    assert decision.current_round.closed_at is not None


def test_unanimous_decision_is_rejected_when_every_organisation_has_voted_and_one_rejected(world):
    signatories(world)
    decision = in_signoff(world)
    sign(world.board, decision, Vote.REJECT, "The cost falls on the trust alone.")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_SIGNOFF  # the trust may still change its vote
    sign(world.council_director, decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.REJECTED


def test_majority_with_quorum_is_approved_once_enough_organisations_approve(world):
    signatories(world)
    extra = more_members(world, 3)  # 5 organisations: quorum 50% is 3
    set_rule(world, rule=DecisionRule.MAJORITY, quorum_percentage=50, majority_percentage=50)
    decision = in_signoff(world)
    sign(world.board, decision)
    sign(world.council_director, decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_SIGNOFF  # 2 of 5 approve: 3 could still reject
    sign(extra[0][1], decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED


def test_a_recusal_takes_the_organisation_out_of_the_quorum(world):
    """5 organisations, quorum 60% (3). Two whose only signatories declare a conflict leave 3 taking part, whose
    quorum is 2: two approvals then decide it."""
    signatories(world)
    extra = more_members(world, 3)
    set_rule(world, rule=DecisionRule.MAJORITY, quorum_percentage=60, majority_percentage=50)
    decision = in_signoff(world)
    sign(world.board, decision)
    sign(world.council_director, decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_SIGNOFF
    for _, person in extra[:2]:
        services.decision_declare(
            actor=person, decision=decision, position=Position.CONFLICT, kind="financial", description="Shareholder."
        )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED


def test_an_abstention_counts_towards_the_quorum_but_a_recusal_does_not(world):
    signatories(world)
    extra = more_members(world, 1)  # 3 organisations, unanimous
    decision = in_signoff(world)
    sign(world.board, decision)
    sign(world.council_director, decision, Vote.ABSTAIN)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_SIGNOFF
    services.decision_declare(
        actor=extra[0][1], decision=decision, position=Position.CONFLICT, kind="indirect", description="Spouse."
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    states = {row.organisation.pk: row.state for row in validity_for(decision).rows}
    assert states[extra[0][0].pk] == "recused"
    assert states[world.council.pk] == "abstained"


def test_declaring_a_conflict_after_voting_withdraws_the_vote(world):
    signatories(world)
    more_members(world, 1)
    decision = in_signoff(world)
    sign(world.council_director, decision)
    services.decision_declare(
        actor=world.council_director,
        decision=decision,
        position=Position.CONFLICT,
        kind="financial",
        description="Director of a bidder.",
    )
    row = validity_for(decision).row_for(world.council.pk)
    assert row.vote is None and row.state == "recused"
    assert decision.signoffs.get().superseded_at is not None


def test_the_hourly_task_closes_sign_off_past_its_deadline_with_the_votes_cast(world):
    signatories(world)
    more_members(world, 2)
    set_rule(world, rule=DecisionRule.MAJORITY, quorum_percentage=50, majority_percentage=50)
    decision = in_signoff(world)
    sign(world.board, decision)
    sign(world.council_director, decision)
    past_deadline(decision)
    assert tasks.close_overdue_signoffs() == 1
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED  # 2 of 4 voted: quorate, and both approved
    assert tasks.close_overdue_signoffs() == 0


def test_a_unanimous_decision_still_unsigned_at_the_deadline_is_deferred(world):
    signatories(world)
    decision = in_signoff(world)
    sign(world.board, decision)
    past_deadline(decision)
    tasks.close_overdue_signoffs()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DEFERRED
    assert decision.current_round.outcome == DecisionStatus.DEFERRED


def test_a_round_keeps_the_rule_it_opened_with(world):
    signatories(world)
    decision = in_signoff(world)
    set_rule(world, rule=DecisionRule.MAJORITY, quorum_percentage=10, majority_percentage=50)
    sign(world.board, decision)
    decision.refresh_from_db()
    assert decision.current_round.rule == DecisionRule.UNANIMOUS
    assert decision.status == DecisionStatus.IN_SIGNOFF
