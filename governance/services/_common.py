"""What the governance services share: locking a decision, moving it through its lifecycle, and checks."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.audit import audit_record

from ..models import Decision, DecisionStatus, SignOffRound


def full_clean(instance, *, exclude: list[str] | None = None) -> None:
    """Model validation (field validators and constraints) before writing, so bad input is a 400, not a 500."""
    instance.full_clean(exclude=exclude)


def person(actor):
    """The actor as a user to store on a record, or None for the system (management commands, jobs)."""
    return actor if getattr(actor, "pk", None) is not None else None


def require_text(value: str | None, *, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


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
