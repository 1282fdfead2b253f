"""Moving a decision through its lifecycle: draft → open for challenge → in sign-off → approved / rejected /
deferred / withdrawn; reopening, superseding, and ratifying an urgent decision at the next board meeting.

Each step takes the decision's lock first, then asks `access.authorize_<step>` on the locked row: the rule the
decision's page asks before it offers the step, so the button and the service cannot disagree, and of two requests
at once the second sees the first's change.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.services import full_clean, person, queue_after_commit, require_text

from ..access import (
    authorize_defer,
    authorize_extend_signoff,
    authorize_open_for_challenge,
    authorize_open_signoff,
    authorize_ratify_at_board,
    authorize_reopen,
    authorize_supersede,
    authorize_withdraw,
)
from ..models import Decision, DecisionSettings, DecisionStatus, SignOffRound
from ..selectors.decisions import why_meeting_cannot_ratify
from ._common import close_round, lock_decision, move
from .evidence import record_evidence_gaps
from .signoffs import settle


@transaction.atomic
def decision_open_for_challenge(*, actor, decision: Decision) -> Decision:
    """Put a draft before the partnership for challenge and questions (the proposer or the lead)."""
    decision = lock_decision(decision)
    authorize_open_for_challenge(actor, decision)
    move(
        decision,
        DecisionStatus.OPEN_FOR_CHALLENGE,
        actor=actor,
        summary=f"{actor} opened {decision.reference} for challenge",
    )
    return decision


def _closing_time(closes_on: date | None, partnership) -> datetime:
    """Sign-off closes at the end of the chosen day (local time); by default after the partnership's period."""
    today = timezone.localdate()
    if closes_on is None:
        closes_on = today + timedelta(days=DecisionSettings.for_partnership(partnership).signoff_days)
    if closes_on <= today:
        raise ValidationError({"closes_on": "The closing date must be in the future."})
    if closes_on > today + timedelta(days=365):
        raise ValidationError({"closes_on": "The closing date must be within a year."})
    return timezone.make_aware(datetime.combine(closes_on, time(23, 59)))


def _start_round(decision: Decision, *, actor, closes_on: date | None, reason: str) -> SignOffRound:
    if not decision.bound_organisations.exists():
        raise ValidationError("Choose the organisations the decision would bind before sign-off opens.")
    settings = DecisionSettings.for_partnership(decision.partnership)
    previous = decision.rounds.order_by("-number").values_list("number", flat=True).first() or 0
    round_ = SignOffRound(
        decision=decision,
        number=previous + 1,
        opened_by=person(actor),
        closes_at=_closing_time(closes_on, decision.partnership),
        reason=reason,
        rule=settings.rule,
        quorum_percentage=settings.quorum_percentage,
        majority_percentage=settings.majority_percentage,
        hide_votes=settings.hide_votes_until_closed,
    )
    full_clean(round_)
    round_.save()
    decision.current_round = round_
    return round_


@transaction.atomic
def decision_open_signoff(*, actor, decision: Decision, closes_on: date | None = None, reason: str = "") -> Decision:
    """Open sign-off (lead only): each organisation's signatories are asked to sign by the closing date.

    From a draft (an urgent decision), after challenge, or again after a deferral, which starts a new round.
    """
    decision = lock_decision(decision)
    authorize_open_signoff(actor, decision)
    round_ = _start_round(decision, actor=actor, closes_on=closes_on, reason=(reason or "").strip())
    move(
        decision,
        DecisionStatus.IN_SIGNOFF,
        actor=actor,
        summary=f"{actor} opened sign-off (round {round_.number}) on {decision.reference}, closing "
        f"{timezone.localtime(round_.closes_at):%d %B %Y}",
        reason=round_.reason,
        extra_fields=["current_round"],
    )
    record_evidence_gaps(decision, actor=actor)  # a warning to the board, not a bar to sign-off
    queue_after_commit("governance.tasks.notify_signoff_opened", round_.pk)
    settle(decision, actor=actor)
    return decision


@transaction.atomic
def decision_reopen(*, actor, decision: Decision, reason: str, closes_on: date | None = None) -> Decision:
    """Reopen an approved or rejected decision when circumstances change (lead only, with a reason): sign-off
    starts again in a new round, and the earlier round, with its votes, is kept."""
    decision = lock_decision(decision)
    authorize_reopen(actor, decision)
    reason = require_text(reason, field="reason", message="Say why the decision is being reopened.")
    round_ = _start_round(decision, actor=actor, closes_on=closes_on, reason=reason)
    move(
        decision,
        DecisionStatus.IN_SIGNOFF,
        actor=actor,
        summary=f"{actor} reopened {decision.reference}: sign-off round {round_.number} opened",
        reason=reason,
        extra_fields=["current_round"],
        action="decision.reopened",
    )
    record_evidence_gaps(decision, actor=actor)
    queue_after_commit("governance.tasks.notify_signoff_opened", round_.pk)
    return decision


@transaction.atomic
def decision_defer(*, actor, decision: Decision, reason: str) -> Decision:
    """Defer a decision (lead only, with a reason): sign-off, if open, closes without a result."""
    decision = lock_decision(decision)
    authorize_defer(actor, decision)
    reason = require_text(reason, field="reason", message="Say why the decision is deferred.")
    if decision.status == DecisionStatus.IN_SIGNOFF:
        close_round(decision.current_round, DecisionStatus.DEFERRED)
    move(
        decision, DecisionStatus.DEFERRED, actor=actor, summary=f"{actor} deferred {decision.reference}", reason=reason
    )
    return decision


@transaction.atomic
def decision_withdraw(*, actor, decision: Decision, reason: str) -> Decision:
    """Withdraw a decision: its proposer before sign-off, the lead at any stage before a result."""
    decision = lock_decision(decision)
    authorize_withdraw(actor, decision)
    reason = require_text(reason, field="reason", message="Say why the decision is withdrawn.")
    if decision.status == DecisionStatus.IN_SIGNOFF:
        close_round(decision.current_round, DecisionStatus.WITHDRAWN)
    move(
        decision, DecisionStatus.WITHDRAWN, actor=actor, summary=f"{actor} withdrew {decision.reference}", reason=reason
    )
    return decision


@transaction.atomic
def decision_supersede(*, actor, decision: Decision, superseded_by: Decision, reason: str) -> Decision:
    """Mark an approved decision superseded by a later approved one of the same partnership (lead only)."""
    decision = lock_decision(decision)
    authorize_supersede(actor, decision)
    reason = require_text(reason, field="reason", message="Say how the later decision replaces this one.")
    if superseded_by is None or superseded_by.partnership_id != decision.partnership_id:
        raise ValidationError({"superseded_by": "Choose a later decision of this partnership."})
    if superseded_by.pk == decision.pk or (superseded_by.year, superseded_by.number) < (decision.year, decision.number):
        raise ValidationError({"superseded_by": "Choose a decision made after this one."})
    if superseded_by.status != DecisionStatus.APPROVED:
        raise ValidationError({"superseded_by": f"{superseded_by.reference} is not approved yet."})
    decision.superseded_by = superseded_by
    move(
        decision,
        DecisionStatus.SUPERSEDED,
        actor=actor,
        summary=f"{actor} recorded that {superseded_by.reference} supersedes {decision.reference}",
        reason=reason,
        extra_fields=["superseded_by"],
    )
    audit_record(
        actor=actor,
        action="decision.supersedes",
        target=superseded_by,
        summary=f"{superseded_by.reference} supersedes {decision.reference}",
        reason=reason,
        partnership_id=decision.partnership_id,
    )
    return decision


@transaction.atomic
def decision_ratify_at_board(*, actor, decision: Decision, meeting) -> Decision:
    """Record that the board meeting ratified an urgent decision taken between meetings (lead only): a meeting of the
    board held since the decision was approved, whose attendance shows it was quorate."""
    decision = lock_decision(decision)
    authorize_ratify_at_board(actor, decision)
    if meeting is None:
        raise ValidationError({"meeting": "Choose the board meeting that ratified the decision."})
    problem = why_meeting_cannot_ratify(decision, meeting)
    if problem:
        raise ValidationError({"meeting": problem})
    decision.ratified_at_meeting = meeting
    decision.save(update_fields=["ratified_at_meeting", "updated_at"])
    audit_record(
        actor=actor,
        action="decision.ratified_at_board",
        target=decision,
        summary=f"The board ratified urgent decision {decision.reference} at {meeting}",
        changes={"ratified_at_meeting": [None, meeting.pk]},
        partnership_id=decision.partnership_id,
    )
    return decision


@transaction.atomic
def signoff_extend(*, actor, decision: Decision, closes_on: date, reason: str) -> Decision:
    """Give signatories longer (lead only, with a reason); votes already cast stand."""
    decision = lock_decision(decision)
    authorize_extend_signoff(actor, decision)
    reason = require_text(reason, field="reason", message="Say why sign-off is extended.")
    round_ = decision.current_round
    closes_at = _closing_time(closes_on, decision.partnership)
    if closes_at <= round_.closes_at:
        raise ValidationError({"closes_on": "Choose a date after the current closing date."})
    before = round_.closes_at
    round_.closes_at = closes_at
    round_.save(update_fields=["closes_at"])
    audit_record(
        actor=actor,
        action="signoff.extended",
        target=decision,
        summary=f"{actor} extended sign-off on {decision.reference} to {timezone.localtime(closes_at):%d %B %Y}",
        changes={"closes_at": [before.isoformat(), closes_at.isoformat()]},
        reason=reason,
        partnership_id=decision.partnership_id,
    )
    return decision
