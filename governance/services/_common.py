"""What the governance services share: locking a decision, moving it through its lifecycle, checks, and changing a
partnership's settings."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean
from partnerships.access import Action, authorize
from partnerships.models import Organisation, Partnership
from partnerships.services.people import affiliation_of

from ..models import Decision, DecisionStatus, SignOffRound


def lock_decision(decision: Decision) -> Decision:
    """The decision row, locked until the transaction ends, re-read so every check sees the latest state.

    Every service that can change a decision's status takes this lock first: two signatories signing at the same
    moment are serialised, each sees the other's vote, and the decision changes state exactly once.
    """
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("partnership", "current_round", "workstream", "proposer")
        .get(pk=decision.pk)
    )


def represented_organisation(partnership: Partnership, user) -> Organisation | None:
    """The organisation `user` acts for in the partnership — their roles' affiliation, not their profile's, since a
    person may represent different organisations in different partnerships. None without a role or affiliation."""
    role = affiliation_of(partnership, user)
    return role.organisation if role is not None else None


def status_label(status: str) -> str:
    return DecisionStatus(status).label.lower()


def check_can_become(decision: Decision, status: str, *, doing: str) -> None:
    if not decision.can_become(status):
        raise ValidationError(f"You cannot {doing} a decision that is {status_label(decision.status)}.")


def check_editable(decision: Decision) -> None:
    """A decision changes (its case, its links) only before sign-off opens."""
    if not decision.is_editable:
        raise ValidationError(f"A decision that is {status_label(decision.status)} cannot be changed.")


def move(
    decision: Decision, status: str, *, actor, summary: str, reason: str = "", extra_fields=(), action: str = ""
) -> None:
    """Change the decision's status, with its audit record. The caller holds the lock and has checked the move."""
    before = decision.status
    decision.status = status
    decision.save(update_fields=["status", "updated_at", *extra_fields])
    audit_record(
        actor=actor,
        action=action or f"decision.{status}",
        target=decision,
        summary=summary,
        changes={"status": [before, status]},
        reason=reason,
        partnership_id=decision.partnership_id,
    )


def close_round(round_: SignOffRound | None, outcome: str) -> None:
    if round_ is not None and round_.closed_at is None:
        round_.closed_at = timezone.now()
        round_.outcome = outcome
        round_.save(update_fields=["closed_at", "outcome"])


def settings_update(
    model, *, actor, partnership: Partnership, fields: dict, allowed: list[str], action: str, summary: str
):
    """Change a partnership's row of `model` (its decision rule, its risk scoring), the lead's alone: the row is made
    with its defaults the first time, locked while it changes, given only the `allowed` fields, validated, and the
    change audited under `action` with `summary`."""
    authorize(actor, partnership, Action.MANAGE)
    settings, _ = model.objects.select_for_update().get_or_create(partnership=partnership)
    before = snapshot(settings, allowed)
    assign_fields(settings, fields, allowed=allowed)
    full_clean(settings)
    settings.save()
    changes = changes_between(before, snapshot(settings, allowed))
    if changes:
        audit_record(
            actor=actor,
            action=action,
            target=settings,
            summary=summary,
            changes=changes,
            partnership_id=partnership.pk,
        )
    return settings
