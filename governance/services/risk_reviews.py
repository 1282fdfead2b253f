"""Reviewing risks, and the decisions a rising risk puts in question.

A review is the only way a risk's score now changes: it writes the review, the score history's next row and the
audit record, and, when the score rises and ends above the board's tolerance for the risk's domain, suggests a review
of every approved decision linked to the risk (a `ReviewSuggestion`, kept on the risk side). The lead dismisses it,
with a reason.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.services import full_clean, person, require_text

from ..access import authorize_change_risk, authorize_dismiss_review
from ..models import (
    Decision,
    DecisionStatus,
    ReviewSuggestion,
    Risk,
    RiskAppetite,
    RiskReview,
    RiskScoreChange,
    add_months,
)
from .risks import check_scores, lock_risk


@transaction.atomic
def risk_review(
    *,
    actor,
    risk: Risk,
    likelihood: int,
    consequence: int,
    note: str,
    reviewed_on: date | None = None,
    next_review_on: date | None = None,
) -> RiskReview:
    """Record a review (the owner, the work-stream's group or the lead): the scores it found become the current
    score, the score history gains a row, and the next review is set. If the score rises above the board's
    tolerance, every approved decision linked to the risk is flagged for review."""
    risk = lock_risk(risk)
    authorize_change_risk(actor, risk, when_closed="A closed risk cannot be reviewed.")
    check_scores(likelihood=likelihood, consequence=consequence)
    note = require_text(note, field="note", message="Say what the review found.")
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    if reviewed_on > today:
        raise ValidationError({"reviewed_on": "The review date cannot be in the future."})
    earliest = max(risk.last_reviewed_on or date.min, timezone.localdate(risk.created_at))
    if reviewed_on < earliest:
        raise ValidationError(
            {"reviewed_on": f"The review date cannot be before {earliest:%-d %B %Y}, when the risk was last assessed."}
        )
    if next_review_on is None:
        next_review_on = add_months(reviewed_on, risk.review_every)
    elif next_review_on <= reviewed_on:
        raise ValidationError({"next_review_on": "The next review must be after this one."})
    previous = risk.current_score
    review = RiskReview(
        risk=risk,
        reviewed_on=reviewed_on,
        reviewer=actor,
        likelihood=likelihood,
        consequence=consequence,
        previous_score=previous,
        note=note,
        next_review_on=next_review_on,
    )
    full_clean(review)
    review.save()
    review.refresh_from_db(fields=["score"])
    before = snapshot(risk, ["current_likelihood", "current_consequence", "next_review_on", "last_reviewed_on"])
    risk.current_likelihood, risk.current_consequence = likelihood, consequence
    risk.last_reviewed_on, risk.next_review_on = reviewed_on, next_review_on
    risk.save(
        update_fields=["current_likelihood", "current_consequence", "last_reviewed_on", "next_review_on", "updated_at"]
    )
    risk.refresh_from_db(fields=["current_score"])
    RiskScoreChange.objects.create(
        risk=risk,
        changed_on=reviewed_on,
        changed_by=person(actor),
        likelihood=likelihood,
        consequence=consequence,
        previous_score=previous,
        reason=note,
        review=review,
    )
    after = snapshot(risk, ["current_likelihood", "current_consequence", "next_review_on", "last_reviewed_on"])
    audit_record(
        actor=actor,
        action="risk.reviewed",
        target=risk,
        summary=f"{actor} reviewed {risk.reference}: score {_movement(previous, risk.current_score)}",
        changes={**changes_between(before, after), "current_score": [previous, risk.current_score]},
        reason=note,
        partnership_id=risk.partnership_id,
    )
    _suggest_decision_reviews(risk, previous_score=previous, actor=actor, on=reviewed_on)
    return review


def _movement(before: int, after: int) -> str:
    if after == before:
        return f"unchanged at {after}"
    return f"{'up' if after > before else 'down'} from {before} to {after}"


def _suggest_decision_reviews(risk: Risk, *, previous_score: int, actor, on: date) -> list[Decision]:
    """When a risk's score rises and ends above the tolerance the board set for its domain, suggest a review of each
    approved decision linked to it, with the reason and who linked it. A decision already flagged since its approval
    keeps its first reason; the trail of each flag is in the decision's history."""
    if risk.current_score <= previous_score:
        return []
    appetite = RiskAppetite.objects.filter(partnership_id=risk.partnership_id, domain_id=risk.domain_id).first()
    if appetite is None or risk.current_score <= appetite.tolerance:
        return []
    reason = (
        f"Risk {risk.reference} ({risk.title}) rose from {previous_score} to {risk.current_score} on "
        f"{on:%-d %B %Y}, above the board's tolerance of {appetite.tolerance} for {risk.domain.name.lower()} risks."
    )
    now = timezone.now()
    already = ReviewSuggestion.objects.in_force().values("decision_id")
    linkers = dict(risk.decision_links.values_list("decision_id", "linked_by_id"))
    flagged = []
    for decision in (
        risk.decisions.filter(status=DecisionStatus.APPROVED)
        .exclude(pk__in=already)
        .select_for_update(of=("self",))
        .order_by("pk")
    ):
        suggestion = ReviewSuggestion(
            risk=risk, decision=decision, linked_by_id=linkers.get(decision.pk), suggested_at=now, reason=reason
        )
        full_clean(suggestion)
        suggestion.save()
        audit_record(
            actor=actor,
            action="decision.review_suggested",
            target=decision,
            summary=f"Review of {decision.reference} suggested: {risk.reference} rose above tolerance",
            changes={"review_suggested": [False, True]},
            reason=reason,
            partnership_id=decision.partnership_id,
        )
        flagged.append(decision)
    return flagged


@transaction.atomic
def decision_review_dismiss(*, actor, decision: Decision, reason: str) -> Decision:
    """Record that a decision stands without the review a linked risk suggested, saying why (lead only). Reopening
    or superseding the decision ends the suggestion too: it applies only to the result it was raised against."""
    authorize_dismiss_review(actor, decision)
    reason = require_text(reason, field="reason", message="Say why the decision stands without a review.")
    decision = Decision.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=decision.pk)
    suggestions = list(ReviewSuggestion.objects.in_force().filter(decision=decision).select_for_update(of=("self",)))
    if not suggestions:
        raise ValidationError("No review is suggested for this decision.")
    now = timezone.now()
    for suggestion in suggestions:
        suggestion.dismissed_at, suggestion.dismissed_by, suggestion.dismissal_reason = now, person(actor), reason
        full_clean(suggestion)
        suggestion.save(update_fields=["dismissed_at", "dismissed_by", "dismissal_reason"])
    audit_record(
        actor=actor,
        action="decision.review_dismissed",
        target=decision,
        summary=f"{actor} decided {decision.reference} stands without a review",
        changes={"review_suggested": [True, False], "review_suggested_reason": [suggestions[0].reason, ""]},
        reason=reason,
        partnership_id=decision.partnership_id,
    )
    return decision
