"""What the governance services share: locking a decision, moving it through its lifecycle, and checks."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.audit import audit_record

from ..models import Decision, DecisionStatus, SignOffRound

logger = logging.getLogger(__name__)


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


def queue_after_commit(task_name: str, *args) -> None:
    """Send a task to the worker once the transaction has committed (never if it rolls back). When the broker
    cannot take it, the change that was saved stands and the page still answers; the failure is logged. Digests
    are not lost that way: one left queued (or its emails unsent) is queued again by the beat task's sweep."""
    from .. import tasks

    task = getattr(tasks, task_name)

    def send() -> None:
        try:
            task.apply_async(args=args, retry=False)
        except (OperationalError, OSError):
            logger.warning("Could not queue %s%s: the broker is not answering.", task_name, args)

    transaction.on_commit(send)
