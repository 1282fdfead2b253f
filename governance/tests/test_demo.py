"""The demo data: every state of a decision, the End of Life Care proposal awaiting `board`, and safe to re-run."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from governance.models import Decision, DecisionStatus
from governance.selectors.signoffs import my_signoffs
from governance.selectors.validity import validity_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())
    return Decision.objects.filter(partnership__code="QZZ")


def test_the_demo_has_a_decision_in_every_state(demo):
    assert set(demo.values_list("status", flat=True)) == set(DecisionStatus.values)


def test_the_demo_shows_the_signals_a_board_member_looks_for(demo):
    assert demo.approved_without_challenge().filter(title="Joint winter plan 2026/27").exists()
    recused = demo.get(title="Community diagnostic centre at Dales Valley")
    assert "1 recused" in validity_for(recused).summary and recused.status == DecisionStatus.APPROVED
    reopened = demo.get(title="Shared care record for care homes")
    assert reopened.status == DecisionStatus.IN_SIGNOFF and reopened.rounds.count() == 2
    assert demo.awaiting_board_ratification().exists()
    assert demo.filter(visibility="confidential").exists()


def test_the_end_of_life_care_proposal_awaits_board(demo):
    decision = demo.get(title="Establish the End of Life Care work-stream")
    assert decision.status == DecisionStatus.IN_SIGNOFF and decision.workstream.name == "End of Life Care"
    board = get_user_model().objects.get(username="board")
    assert decision in [item.decision for item in my_signoffs(board) if item.awaits_me]
    assert "4 of 5 organisations approved so far; 1 awaiting sign-off" in validity_for(decision).summary


def test_running_the_demo_again_changes_nothing(demo):
    before = sorted(demo.values_list("reference", "status"))
    call_command("seed_demo", stdout=io.StringIO())
    assert sorted(Decision.objects.filter(partnership__code="QZZ").values_list("reference", "status")) == before
