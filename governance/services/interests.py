"""Declarations of interest: each person's register, and declarations on a decision, where a conflict recuses."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean
from partnerships.access import Action, authorize
from partnerships.models import Partnership, Profile

from ..access import authorize_declare, get_interest_for_user
from ..models import Decision, DecisionDeclaration, InterestDeclaration, Position
from ._common import lock_decision
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
    creating = declaration is None
    if creating:
        profile = Profile.objects.filter(user=actor).first()
        declaration = DecisionDeclaration(
            decision=decision, person=actor, organisation=profile.organisation if profile else None
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
