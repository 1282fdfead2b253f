"""Sign-off: votes by each organisation's signatories, ratifications by partners' own boards, and the result.

Each service locks the decision row first (`lock_decision`), so concurrent signatures are applied one after the
other: every vote counts and the decision changes state exactly once, whichever signature completes the rule.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import SYSTEM, audit_record
from core.second_factor import Proof, proof_from_code, signing_method
from core.services import full_clean, queue_after_commit, require_text
from partnerships.access import Action, authorize
from partnerships.models import DecisionCategory
from workstreams.models import WorkStreamStatus
from workstreams.services import workstream_accept

from ..access import authorize_record_ratification, authorize_sign
from ..models import (
    Decision,
    DecisionDeclaration,
    DecisionStatus,
    Position,
    Ratification,
    RatificationOutcome,
    SignOff,
    Vote,
)
from ..selectors.rule import evaluate
from ..selectors.validity import OrganisationState, validity_for
from ._common import close_round, lock_decision, move, status_label


def settle(decision: Decision, *, actor, at_deadline: bool = False) -> str | None:
    """Apply the round's rule; if it gives a result, close the round and move the decision. The caller holds the
    decision's lock. Returns the new status, or None while undecided."""
    round_ = decision.current_round
    if decision.status != DecisionStatus.IN_SIGNOFF or round_ is None:
        return None
    validity = validity_for(decision, round_)
    result = evaluate(round_, validity.tally, at_deadline=at_deadline)
    if result.outcome is None:
        return None
    close_round(round_, result.outcome)
    extra = []
    if result.outcome in (DecisionStatus.APPROVED, DecisionStatus.REJECTED):
        decision.decided_at = timezone.now()
        extra = ["decided_at"]
    move(
        decision,
        result.outcome,
        actor=actor,
        summary=f"{decision.reference} {status_label(result.outcome)}: {validity.summary_as(result.outcome)}",
        reason=result.explanation,
        extra_fields=extra,
    )
    if result.outcome == DecisionStatus.APPROVED:
        _accept_workstream(decision)
    queue_after_commit("governance.tasks.notify_decision_outcome", round_.pk)
    return result.outcome


def _accept_workstream(decision: Decision) -> None:
    """An approved 'establish a work-stream' decision accepts its proposed work-stream: the board's approval is
    the authority, so this replaces the lead's manual step. The system records the acceptance, on the decision: the
    signatory whose vote settled the decision did not accept the work-stream, the board did."""
    workstream = decision.workstream
    if (
        decision.category == DecisionCategory.ESTABLISH_WORKSTREAM
        and workstream is not None
        and workstream.status == WorkStreamStatus.PROPOSED
    ):
        workstream_accept(
            actor=SYSTEM,
            workstream=workstream,
            decision=decision,
            reason=f"Accepted by board decision {decision.reference}.",
        )


def _check_declaration(decision: Decision, actor, *, declares_no_interest: bool, organisation) -> None:
    """The 'I declare no interest / I have an interest' step before a vote."""
    declaration = DecisionDeclaration.objects.filter(decision=decision, person=actor).first()
    if declaration is not None and declaration.position == Position.CONFLICT:
        raise ValidationError(
            "You declared a conflict of interest on this decision, so you are recused and cannot sign."
        )
    if declares_no_interest:
        if declaration is not None and declaration.position == Position.INTEREST:
            raise ValidationError(
                {
                    "declares_no_interest": "You declared an interest in this decision. Change your declaration first "
                    "if you no longer have it, or sign with it declared."
                }
            )
        if declaration is None:
            declaration = DecisionDeclaration(
                decision=decision, person=actor, organisation=organisation, position=Position.NO_INTEREST
            )
            full_clean(declaration)
            declaration.save()
            audit_record(
                actor=actor,
                action="declaration.made",
                target=declaration,
                summary=f"{actor} declared no interest in {decision.reference}",
                changes={"position": [None, Position.NO_INTEREST]},
                partnership_id=decision.partnership_id,
            )
    elif declaration is None or declaration.position != Position.INTEREST:
        raise ValidationError(
            {
                "declares_no_interest": "Declare your interest in this decision before you sign, or declare that you "
                "have none."
            }
        )


@transaction.atomic
def signoff_record(
    *,
    actor,
    decision: Decision,
    vote: str,
    comment: str = "",
    declares_no_interest: bool = False,
    second_factor: Proof | None = None,
) -> SignOff:
    """Approve, reject or abstain for your organisation, under your delegation. Voting again changes your vote:
    the earlier one is kept, marked superseded. Reject needs reasons (the dissent on the record).

    `second_factor` is the signatory's latest proof of it: someone who has one (or whose roles need one) signs only
    with a recent proof (403 otherwise), and the vote records how it was made."""
    decision = lock_decision(decision)
    round_ = decision.current_round
    validity = validity_for(decision, round_)
    authorize_sign(actor, decision, validity)
    method = signing_method(actor, second_factor)
    if vote not in Vote.values:
        raise ValidationError({"vote": "Choose approve, reject or abstain."})
    comment = (comment or "").strip()
    if vote == Vote.REJECT and not comment:
        raise ValidationError({"comment": "Give your reasons for rejecting: dissent is recorded with them."})
    row = validity.signatory_row(actor)
    _check_declaration(decision, actor, declares_no_interest=declares_no_interest, organisation=row.organisation)
    current = row.vote
    if current is not None and current.vote == vote and current.comment == comment:
        raise ValidationError({"vote": "You have already recorded this vote. To change it, choose another answer."})
    now = timezone.now()
    if current is not None:
        current.superseded_at = now
        current.save(update_fields=["superseded_at"])
    delegation = next(s.delegation for s in row.signatories if s.user.pk == actor.pk)
    signoff = SignOff(
        round=round_,
        decision=decision,
        organisation=row.organisation,
        signatory=actor,
        delegation=delegation,
        vote=vote,
        comment=comment,
        signed_at=now,
        second_factor=method,
    )
    full_clean(signoff)
    signoff.save()
    audit_record(
        actor=actor,
        action="signoff.changed" if current else "signoff.recorded",
        target=signoff,
        # The summary never names the vote: partnerships may hide votes until sign-off closes.
        summary=f"{actor} {'changed the vote' if current else 'signed'} for {row.organisation} on {decision.reference}"
        f"{' with two factors' if method else ''}",
        changes={
            "vote": [current.vote if current else None, vote],
            "comment": [current.comment if current else None, comment],
            "second_factor": [current.second_factor if current else None, method],
        },
        partnership_id=decision.partnership_id,
    )
    settle(decision, actor=actor)
    return signoff


def signoff_record_with_code(*, actor, code: str, **fields) -> SignOff:
    """Sign with a code from the signatory's authenticator app (or a recovery code) sent with the vote itself: the
    API's way, where no session remembers an earlier code. The code counts only if the vote is recorded, so a
    refused vote leaves a recovery code unused and an app code may be sent again with the vote put right; a wrong
    code is refused once its failure is committed, so it counts towards django-otp's wait between tries."""
    with transaction.atomic():
        try:
            proof = proof_from_code(actor, code)
        except ValidationError as wrong_code:
            refusal = wrong_code
        else:
            return signoff_record(actor=actor, second_factor=proof, **fields)
    raise refusal


@transaction.atomic
def ratification_record(
    *,
    actor,
    decision: Decision,
    organisation,
    body: str,
    ratified_on: date,
    outcome: str,
    note: str = "",
) -> Ratification:
    """Record that an organisation with no delegate able to sign took the decision to its own board (lead only).

    Recorded while sign-off is open, or after approval: boards meet monthly, and the decision binds the
    organisation only once its board has ratified it.
    """
    decision = lock_decision(decision)
    authorize_record_ratification(actor, decision)
    round_ = decision.current_round
    body = require_text(body, field="body", message="Enter the board or committee that took the decision.")
    if ratified_on is None or ratified_on > timezone.localdate():
        raise ValidationError({"ratified_on": "Enter the date of the meeting: today or earlier."})
    if outcome not in RatificationOutcome.values:
        raise ValidationError({"outcome": "Choose ratified or not ratified."})
    row = validity_for(decision, round_).row_for(organisation.pk)
    if row is None:
        raise ValidationError({"organisation": f"The decision does not bind {organisation}."})
    if row.state not in (OrganisationState.AWAITING_BOARD, OrganisationState.DID_NOT_SIGN):
        raise ValidationError(
            {
                "organisation": f"{organisation} is {row.state_label.lower()}: ratification is for organisations "
                "whose delegates cannot sign."
            }
        )
    ratification = Ratification(
        round=round_,
        decision=decision,
        organisation=organisation,
        body=body,
        ratified_on=ratified_on,
        outcome=outcome,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    full_clean(ratification)
    ratification.save()
    audit_record(
        actor=actor,
        action="ratification.recorded",
        target=ratification,
        summary=f"{organisation}: {ratification.get_outcome_display().lower()} by {body} on {ratified_on:%d %B %Y}",
        changes={"outcome": [None, outcome], "body": [None, body], "ratified_on": [None, ratified_on.isoformat()]},
        partnership_id=decision.partnership_id,
    )
    settle(decision, actor=actor)
    return ratification


@transaction.atomic
def signoff_close_at_deadline(*, actor=SYSTEM, decision: Decision) -> str | None:
    """Close a round whose deadline has passed, applying the rule to the votes cast (run hourly by beat).

    Organisations that did not sign count as not voting: a majority needs its quorum of those who did; a
    unanimous decision with organisations still to sign is deferred back to the board.
    """
    if actor is not SYSTEM:
        authorize(actor, decision.partnership, Action.MANAGE)
    decision = lock_decision(decision)
    round_ = decision.current_round
    if decision.status != DecisionStatus.IN_SIGNOFF or round_ is None or not round_.is_past_deadline():
        return None
    return settle(decision, actor=actor, at_deadline=True)


def withdraw_vote_on_conflict(decision: Decision, actor) -> SignOff | None:
    """Declaring a conflict removes the person from the vote: their current vote in the open round is withdrawn."""
    round_ = decision.current_round
    if decision.status != DecisionStatus.IN_SIGNOFF or round_ is None:
        return None
    vote = SignOff.objects.current().filter(round=round_, signatory=actor).first()
    if vote is None:
        return None
    vote.superseded_at = timezone.now()
    vote.save(update_fields=["superseded_at"])
    audit_record(
        actor=actor,
        action="signoff.withdrawn",
        target=vote,
        summary=f"{actor}'s vote for {vote.organisation} on {decision.reference} was withdrawn: conflict declared",
        changes={"vote": [vote.vote, None]},
        partnership_id=decision.partnership_id,
    )
    return vote
