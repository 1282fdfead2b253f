"""Every change to a risk is kept: score history on raising and each review, audit records for every change, and
the "review suggested" flag a rising risk puts on the approved decisions linked to it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from governance import services as decision_services
from governance.models import Decision, DecisionStatus, ReviewSuggestion, RiskScoreChange
from governance.selectors.risks import decisions_review_suggested, with_review_suggestion
from governance.services.risks import risk_close, risk_update
from tests.fixtures import client_for
from tests.html import text

from .risk_support import backdate, raise_risk, review, set_appetite
from .support import approved, in_signoff


def audit_actions(record) -> list[str]:
    return list(AuditEvent.objects.filter(target_id=record.pk).order_by("id").values_list("action", flat=True))


def as_flagged(decision: Decision) -> Decision:
    """The decision read again with the review its risks suggest, as the register and the API read it."""
    return with_review_suggestion(Decision.objects.filter(pk=decision.pk)).get()


def test_raising_a_risk_writes_its_first_score_and_its_audit_record(world):
    risk = raise_risk(world, likelihood=3, consequence=4)
    assert risk.reference == "QZZ-R-001" and risk.current_score == risk.initial_score == 12
    change = RiskScoreChange.objects.get(risk=risk)
    assert (change.score, change.previous_score, change.changed_by) == (12, None, world.member)
    event = AuditEvent.objects.get(target_id=risk.pk, action="risk.raised")
    assert event.actor == world.member and event.changes["title"] == [None, risk.title]


def test_every_review_writes_the_score_history_with_who_when_and_why(world):
    risk = backdate(raise_risk(world, likelihood=2, consequence=3), 100)
    today = timezone.localdate()
    review(world, risk, 3, 3, actor=world.member, note="Vacancies up.", reviewed_on=today - timedelta(days=40))
    review(world, risk, 3, 3, actor=world.lead, note="No change.")
    review(world, risk, 2, 2, actor=world.lead, note="New starters in post.")
    history = list(RiskScoreChange.objects.filter(risk=risk).order_by("changed_on", "recorded_at", "pk"))
    assert [(c.previous_score, c.score, c.reason) for c in history] == [
        (None, 6, "Raised: the first assessment."),
        (6, 9, "Vacancies up."),
        (9, 9, "No change."),
        (9, 4, "New starters in post."),
    ]
    assert [c.changed_by for c in history[1:]] == [world.member, world.lead, world.lead]
    assert history[1].changed_on == today - timedelta(days=40)
    risk.refresh_from_db()
    assert (risk.current_score, risk.initial_score, risk.last_reviewed_on) == (4, 6, today)
    assert audit_actions(risk) == ["risk.raised", "risk.reviewed", "risk.reviewed", "risk.reviewed"]
    last = AuditEvent.objects.filter(target_id=risk.pk, action="risk.reviewed").order_by("id").last()
    assert last.changes["current_score"] == [9, 4] and last.reason == "New starters in post."


def test_changing_and_closing_a_risk_are_audited_with_what_changed_and_why(world, client):
    risk = raise_risk(world, likelihood=4, consequence=4, target=(2, 2))
    risk_update(actor=world.member, risk=risk, target_likelihood=1, overseen_by="Quality committee", reason="Agreed")
    risk_close(actor=world.lead, risk=risk, reason="Merged into QZZ-R-009.")
    updated = AuditEvent.objects.get(target_id=risk.pk, action="risk.updated")
    assert updated.changes["target_likelihood"] == [2, 1] and updated.reason == "Agreed"
    assert updated.changes["overseen_by"] == ["Partnership board", "Quality committee"]
    assert AuditEvent.objects.get(target_id=risk.pk, action="risk.closed").reason == "Merged into QZZ-R-009."
    history = text(client_for(client, world, "viewer").get(risk.get_absolute_url()), "#history-table")
    assert "changed QZZ-R-001" in history and "closed QZZ-R-001" in history and "Quality committee" in history


@pytest.fixture
def linked(world):
    """An approved decision and a finance risk (tolerance 12) that depends on it, scoring 9."""
    set_appetite(world, "Finance", tolerance=12)
    decision = approved(world, title="Community diagnostic centre")
    risk = raise_risk(world, likelihood=3, consequence=3, decisions=[decision])
    return decision, risk


def test_a_linked_risk_rising_above_tolerance_suggests_a_review_of_the_approved_decision(world, client, linked):
    decision, risk = linked
    review(world, risk, 4, 4, note="Recruitment paused.")
    flagged = as_flagged(decision)
    assert flagged.is_review_suggested
    assert (
        "rose from 9 to 16" in flagged.review_suggested_reason and "tolerance of 12" in flagged.review_suggested_reason
    )
    assert ReviewSuggestion.objects.get(decision=decision).risk == risk
    assert list(decisions_review_suggested(world.partnership)) == [decision]
    assert AuditEvent.objects.get(target_id=decision.pk, action="decision.review_suggested").reason
    client = client_for(client, world, "viewer")
    page = client.get(decision.get_absolute_url())
    assert "Review suggested" in text(page, "#decision-status")
    assert "rose from 9 to 16" in text(page, "#review-suggested")
    assert "QZZ-R-001" in text(page, "#linked-risk-list")
    assert "Review suggested" in text(client.get("/partnerships/QZZ/decisions/"), "#decisions")
    assert decision.reference in text(client.get("/partnerships/QZZ/risks/"), "#decisions-review-suggested")


def test_a_decision_already_flagged_keeps_the_first_risks_reason(world, linked):
    decision, risk = linked
    second = raise_risk(world, title="Estates costs", likelihood=3, consequence=3, decisions=[decision])
    review(world, risk, 4, 4)
    review(world, second, 5, 4)
    assert "Risk QZZ-R-001" in as_flagged(decision).review_suggested_reason
    assert list(ReviewSuggestion.objects.filter(decision=decision).values_list("risk", flat=True)) == [risk.pk]
    assert audit_actions(decision).count("decision.review_suggested") == 1


@pytest.mark.parametrize(
    ("likelihood", "consequence", "why"),
    [(3, 4, "rises to the tolerance, not above it"), (2, 3, "falls"), (3, 3, "stays the same")],
)
def test_no_review_is_suggested_unless_the_risk_rises_above_tolerance(world, linked, likelihood, consequence, why):
    decision, risk = linked
    review(world, risk, likelihood, consequence)
    assert not as_flagged(decision).is_review_suggested, why
    assert "decision.review_suggested" not in audit_actions(decision)


def test_a_risk_already_above_tolerance_that_rises_again_suggests_a_review(world, linked):
    decision, risk = linked
    set_appetite(world, "Finance", tolerance=6)  # now above it, but that is the board's change, not a rise
    assert not as_flagged(decision).is_review_suggested
    review(world, risk, 3, 4)
    assert as_flagged(decision).is_review_suggested


def test_only_approved_decisions_are_flagged(world):
    set_appetite(world, "Finance", tolerance=12)
    signing = in_signoff(world, title="Still in sign-off")
    risk = raise_risk(world, likelihood=3, consequence=3, decisions=[signing])
    review(world, risk, 5, 5)
    signing.refresh_from_db()
    assert (
        signing.status == DecisionStatus.IN_SIGNOFF and not ReviewSuggestion.objects.filter(decision=signing).exists()
    )


def test_the_lead_dismisses_the_flag_with_a_reason_and_it_is_audited(world, client, linked):
    decision, risk = linked
    review(world, risk, 4, 4)
    client = client_for(client, world, "lead")
    page = client.get(decision.get_absolute_url())
    assert "record that it stands" in text(page, "#review-suggested")
    response = client.post(f"/decisions/{decision.pk}/dismiss-review/", {"reason": "The board accepted the risk."})
    assert response.status_code == 302
    flagged = as_flagged(decision)
    assert not flagged.is_review_suggested and flagged.review_suggested_reason == ""
    dismissed = ReviewSuggestion.objects.get(decision=decision)
    assert dismissed.dismissed_by == world.lead and dismissed.dismissal_reason == "The board accepted the risk."
    event = AuditEvent.objects.get(target_id=decision.pk, action="decision.review_dismissed")
    assert event.actor == world.lead and event.reason == "The board accepted the risk."
    assert "rose from 9 to 16" in event.changes["review_suggested_reason"][0]
    assert "Review suggested" not in text(client.get(decision.get_absolute_url()), "#decision-status")


def test_a_dismissal_needs_a_reason_and_a_flag_to_dismiss(world, client, linked):
    decision, risk = linked
    client = client_for(client, world, "lead")
    response = client.post(f"/decisions/{decision.pk}/dismiss-review/", {"reason": "Fine."})
    assert response.status_code == 400 and "No review is suggested" in text(response, ".nhsuk-error-summary")
    review(world, risk, 4, 4)
    response = client.post(f"/decisions/{decision.pk}/dismiss-review/", {"reason": "  "})
    assert response.status_code == 400 and "Say why the decision stands" in text(response, ".nhsuk-error-summary")
    assert as_flagged(decision).is_review_suggested


def test_reopening_the_decision_clears_the_flag_for_its_next_result(world, linked):
    decision, risk = linked
    review(world, risk, 4, 4)
    decision_services.decision_reopen(actor=world.lead, decision=decision, reason="The risk has risen.")
    assert not as_flagged(decision).is_review_suggested and not decisions_review_suggested(world.partnership).exists()
    from .support import sign

    sign(world.board, decision)
    sign(world.council_director, decision)
    decision = as_flagged(decision)
    assert decision.status == DecisionStatus.APPROVED and not decision.is_review_suggested
    review(world, risk, 5, 4)  # a later rise flags the new result again
    assert as_flagged(decision).is_review_suggested


def test_the_score_history_shows_on_the_risk_page(world, client):
    risk = raise_risk(world, likelihood=2, consequence=3)
    review(world, risk, 4, 4, note="Two providers left.")
    page = client_for(client, world, "viewer").get(risk.get_absolute_url())
    history = text(page, "#score-history-table")
    assert "16 Extreme (4 × 4) Up from 6" in history and "Two providers left." in history
    assert "6 Moderate (2 × 3) First assessment" in history
    assert "Two providers left." in text(page, "#review-table")
