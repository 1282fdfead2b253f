"""Race-free sign-off and references, proved with real concurrent transactions on PostgreSQL (CI runs these)."""

import pytest

from core.models import AuditEvent
from governance.models import Decision, DecisionStatus, SignOff
from tests.concurrency import postgresql_only, run_at_once  # noqa: F401 (a fixture)

from .support import in_signoff, more_members, propose, sign, signatories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]


def test_signatories_signing_at_the_same_moment_all_count_and_the_decision_is_approved_once(world, mailoutbox):
    signatories(world)
    extra = more_members(world, 4)
    decision = in_signoff(world)
    signers = [world.board, world.council_director, *(person for _, person in extra)]

    run_at_once(*[lambda person=person: sign(person, decision) for person in signers])

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    assert SignOff.objects.current().filter(decision=decision).count() == len(signers)
    assert AuditEvent.objects.filter(action="decision.approved", target_id=decision.pk).count() == 1
    outcome_emails = [email for email in mailoutbox if "approved" in email.subject]
    assert len(outcome_emails) == len({tuple(email.to) for email in outcome_emails})


def test_two_signatories_completing_the_rule_together_change_its_state_exactly_once(world):
    signatories(world)
    decision = in_signoff(world)

    run_at_once(lambda: sign(world.board, decision), lambda: sign(world.council_director, decision))

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    assert decision.current_round.outcome == DecisionStatus.APPROVED
    assert SignOff.objects.current().filter(decision=decision).count() == 2
    assert AuditEvent.objects.filter(action__in=["decision.approved", "decision.rejected"]).count() == 1


def test_proposals_made_at_the_same_moment_get_consecutive_references_without_gaps_or_duplicates(world):
    run_at_once(*[lambda number=number: propose(world, title=f"Proposal {number}") for number in range(8)])

    numbers = sorted(Decision.objects.filter(partnership=world.partnership).values_list("number", flat=True))
    assert numbers == list(range(1, 9))
    references = set(Decision.objects.values_list("reference", flat=True))
    assert len(references) == 8
