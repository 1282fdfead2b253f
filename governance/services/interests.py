"""Declarations of interest: each person's register, and declarations on a decision, where a conflict recuses."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean, queue_after_commit, require_text
from partnerships.access import Action, authorize
from partnerships.models import Partnership

from ..access import (
    CONFLICT_STAYS,
    authorize_answer_withdrawal,
    authorize_declare,
    authorize_request_withdrawal,
    get_interest_for_user,
)
from ..models import (
    Decision,
    DecisionDeclaration,
    DeclarationWithdrawal,
    InterestDeclaration,
    Position,
    WithdrawalStatus,
)
from ._common import lock_decision, represented_organisation
from .signoffs import settle, withdraw_vote_on_conflict

INTEREST_FIELDS = ["kind", "description", "valid_from", "valid_to", "mitigation"]
DECLARATION_FIELDS = ["position", "kind", "description", "register_entry"]


@transaction.atomic
def interest_declare(
    *,
    actor,
    partnership: Partnership,
    kind: str,
    description: str,
    valid_from: date,
    valid_to: date | None = None,
    mitigation: str = "",
) -> InterestDeclaration:
    """Add an interest to your own register in the partnership."""
    authorize(actor, partnership, Action.CONTRIBUTE)
    entry = InterestDeclaration(
        partnership=partnership,
        person=actor,
        kind=kind,
        description=(description or "").strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        mitigation=(mitigation or "").strip(),
    )
    full_clean(entry)
    entry.save()
    audit_record(
        actor=actor,
        action="interest.declared",
        target=entry,
        summary=f"{actor} declared a {entry.get_kind_display().lower()} interest",
        changes=changes_between({}, snapshot(entry, INTEREST_FIELDS)),
        partnership_id=partnership.pk,
    )
    return entry


@transaction.atomic
def interest_update(*, actor, entry: InterestDeclaration, **fields) -> InterestDeclaration:
    """Change or end (set `valid_to`) an entry in a register: its person, or the lead."""
    entry = get_interest_for_user(actor, entry.pk, Action.CONTRIBUTE)
    before = snapshot(entry, INTEREST_FIELDS)
    stripped = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    assign_fields(entry, stripped, allowed=INTEREST_FIELDS)
    full_clean(entry)
    entry.save()
    changes = changes_between(before, snapshot(entry, INTEREST_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="interest.updated",
            target=entry,
            summary=f"{actor} changed {entry.person}'s {entry.get_kind_display().lower()} interest",
            changes=changes,
            partnership_id=entry.partnership_id,
        )
    return entry


@transaction.atomic
def decision_declare(
    *,
    actor,
    decision: Decision,
    position: str,
    kind: str = "",
    description: str = "",
    register_entry: InterestDeclaration | None = None,
) -> DecisionDeclaration:
    """Declare no interest, an interest (taking part), or a conflict (recused) on a decision, or change what you
    declared. A conflict removes you from the vote and from the quorum: your vote, if cast, is withdrawn."""
    decision = lock_decision(decision)
    authorize_declare(actor, decision)
    if position not in Position.values:
        raise ValidationError({"position": "Choose no interest, an interest, or a conflict."})
    if register_entry is not None and (
        register_entry.person_id != actor.pk or register_entry.partnership_id != decision.partnership_id
    ):
        raise ValidationError({"register_entry": "Choose an entry from your own register of interests."})
    if position == Position.NO_INTEREST:
        kind, description, register_entry = "", "", None
    declaration = DecisionDeclaration.objects.filter(decision=decision, person=actor).first()
    if declaration is not None and declaration.is_conflict and position != Position.CONFLICT:
        raise ValidationError({"position": CONFLICT_STAYS})
    creating = declaration is None
    if creating:
        declaration = DecisionDeclaration(
            decision=decision, person=actor, organisation=represented_organisation(decision.partnership, actor)
        )
    before = {} if creating else snapshot(declaration, DECLARATION_FIELDS)
    declaration.position, declaration.kind = position, kind
    declaration.description, declaration.register_entry = (description or "").strip(), register_entry
    full_clean(declaration)
    changes = changes_between(before, snapshot(declaration, DECLARATION_FIELDS))
    if not changes:
        raise ValidationError({"position": "This is what you have already declared."})
    declaration.save()
    audit_record(
        actor=actor,
        action="declaration.made" if creating else "declaration.changed",
        target=declaration,
        summary=f"{actor} declared {declaration.get_position_display().lower()} on {decision.reference}",
        changes=changes,
        partnership_id=decision.partnership_id,
    )
    if position == Position.CONFLICT:
        withdraw_vote_on_conflict(decision, actor)
    settle(decision, actor=actor)
    return declaration


WITHDRAWAL_REASON_MISSING = "Say why the conflict should be withdrawn."


@transaction.atomic
def declaration_withdrawal_request(
    *, actor, declaration: DecisionDeclaration, reason: str, position: str = Position.NO_INTEREST
) -> DeclarationWithdrawal:
    """Ask the partnership lead to withdraw the conflict you declared, with a reason, declaring `position` instead.
    Until the lead confirms, the conflict stands: you stay recused from the vote and the quorum."""
    declaration = _locked_declaration(declaration)
    authorize_request_withdrawal(actor, declaration)
    if position not in (Position.NO_INTEREST, Position.INTEREST):
        raise ValidationError({"position": "Choose no interest, or an interest you will take part with."})
    withdrawal = DeclarationWithdrawal(
        declaration=declaration,
        position=position,
        reason=require_text(reason, field="reason", message=WITHDRAWAL_REASON_MISSING),
    )
    full_clean(withdrawal)
    withdrawal.save()
    decision = declaration.decision
    audit_record(
        actor=actor,
        action="declaration.withdrawal_requested",
        target=declaration,
        summary=f"{actor} asked for their conflict on {decision.reference} to be withdrawn, declaring "
        f"{withdrawal.get_position_display().lower()} instead; they stay recused until the partnership lead confirms",
        changes={"withdrawal": [None, WithdrawalStatus.REQUESTED]},
        reason=withdrawal.reason,
        partnership_id=decision.partnership_id,
    )
    queue_after_commit("governance.tasks.notify_withdrawal_requested", withdrawal.pk)
    return withdrawal


@transaction.atomic
def declaration_withdrawal_confirm(*, actor, withdrawal: DeclarationWithdrawal, reason: str) -> DeclarationWithdrawal:
    """The partnership lead confirms a request to withdraw a conflict, with a reason: the person's declaration
    becomes what they asked for, and they take part (sign, count towards the quorum) again."""
    withdrawal = _answer(actor, withdrawal, WithdrawalStatus.CONFIRMED, reason)
    declaration = withdrawal.declaration
    before = snapshot(declaration, DECLARATION_FIELDS)
    declaration.position = withdrawal.position
    if withdrawal.position == Position.NO_INTEREST:
        declaration.kind, declaration.description, declaration.register_entry = "", "", None
    full_clean(declaration)
    declaration.save()
    decision = declaration.decision
    audit_record(
        actor=actor,
        action="declaration.withdrawal_confirmed",
        target=declaration,
        summary=f"{actor} confirmed the withdrawal of {declaration.person}'s conflict on {decision.reference}: "
        f"{declaration.get_position_display().lower()}",
        changes=changes_between(before, snapshot(declaration, DECLARATION_FIELDS)),
        reason=withdrawal.response,
        partnership_id=decision.partnership_id,
    )
    settle(decision, actor=actor)
    queue_after_commit("governance.tasks.notify_withdrawal_answered", withdrawal.pk)
    return withdrawal


@transaction.atomic
def declaration_withdrawal_decline(*, actor, withdrawal: DeclarationWithdrawal, reason: str) -> DeclarationWithdrawal:
    """The partnership lead declines a request to withdraw a conflict, with a reason: the person stays recused."""
    withdrawal = _answer(actor, withdrawal, WithdrawalStatus.DECLINED, reason)
    declaration = withdrawal.declaration
    audit_record(
        actor=actor,
        action="declaration.withdrawal_declined",
        target=declaration,
        summary=f"{actor} declined to withdraw {declaration.person}'s conflict on {declaration.decision.reference}: "
        "they stay recused",
        changes={"withdrawal": [WithdrawalStatus.REQUESTED, WithdrawalStatus.DECLINED]},
        reason=withdrawal.response,
        partnership_id=declaration.decision.partnership_id,
    )
    queue_after_commit("governance.tasks.notify_withdrawal_answered", withdrawal.pk)
    return withdrawal


def _locked_declaration(declaration: DecisionDeclaration) -> DecisionDeclaration:
    """The declaration, re-read under its decision's lock, so two answers to one request are serialised."""
    decision = lock_decision(declaration.decision)
    declaration = DecisionDeclaration.objects.select_related("person").get(pk=declaration.pk)
    declaration.decision = decision
    return declaration


def _answer(actor, withdrawal: DeclarationWithdrawal, status: str, reason: str) -> DeclarationWithdrawal:
    """Record the lead's answer to a pending request, under the decision's lock, once the rule allows it."""
    declaration = _locked_declaration(withdrawal.declaration)
    withdrawal = DeclarationWithdrawal.objects.get(pk=withdrawal.pk)
    withdrawal.declaration = declaration
    authorize_answer_withdrawal(actor, withdrawal)
    withdrawal.response = require_text(reason, field="reason", message="Enter the reason for your answer.")
    withdrawal.status, withdrawal.decided_by, withdrawal.decided_at = status, actor, timezone.now()
    try:
        full_clean(withdrawal)
    except ValidationError as error:  # the lead's `response` is the `reason` they were asked for
        raise ValidationError({"reason": error.message_dict.get("response", error.messages)}) from error
    withdrawal.save()
    return withdrawal
