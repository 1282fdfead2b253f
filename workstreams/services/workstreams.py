"""Work-streams: proposal, acceptance (on a board decision, or by the partnership lead), status, RAG and quorum rule."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean, person, require_text
from partnerships.access import Action as PartnershipAction
from partnerships.access import authorize
from partnerships.models import Partnership

from ..access import (
    STATUS_TRANSITIONS,
    Access,
    authorize_board,
    authorize_work_on_workstream,
    authorize_workstream,
    authorize_workstream_move,
    check_group_seat,
)
from ..models import (
    GroupRole,
    PartnershipBoard,
    Rag,
    WorkStream,
    WorkStreamStatus,
    WorkStreamStatusChange,
)
from ._common import check_people_in_partnership
from .groups import make_group_lead, seat_for

DETAIL_FIELDS = [
    "name",
    "priority_area",
    "purpose",
    "scope",
    "expected_benefits",
    "resources",
    "lead",
    "senior_responsible_owner",
    "clinical_lead",
]
QUORUM_FIELDS = ["quorum_minimum", "quorum_percentage", "quorum_needs_clinician", "quorum_needs_non_executive"]


def next_statuses(status: str) -> list[str]:
    """The statuses a work-stream in `status` may move to, in the order they are listed."""
    return [to for (start, to) in STATUS_TRANSITIONS if start == status]


@transaction.atomic
def workstream_propose(
    *,
    actor,
    partnership: Partnership,
    name: str,
    purpose: str,
    lead,
    priority_area: str = "",
    scope: str = "",
    expected_benefits: str = "",
    resources: str = "",
    senior_responsible_owner=None,
    clinical_lead=None,
) -> WorkStream:
    """Propose a work-stream to the board; its lead joins its group as lead (anyone who contributes)."""
    authorize(actor, partnership, PartnershipAction.CONTRIBUTE)
    if lead is None:
        raise ValidationError({"lead": "Choose who will lead the work-stream."})
    workstream = WorkStream(
        partnership=partnership,
        name=name,
        purpose=purpose,
        lead=lead,
        priority_area=priority_area,
        scope=scope,
        expected_benefits=expected_benefits,
        resources=resources,
        senior_responsible_owner=senior_responsible_owner,
        clinical_lead=clinical_lead,
        proposed_by=person(actor),
        status=WorkStreamStatus.PROPOSED,
        status_changed_at=timezone.now(),
    )
    full_clean(workstream)
    _check_named_people(workstream)
    check_group_seat(lead, workstream, GroupRole.LEAD, field="lead")  # the lead's seat writes
    workstream.save()
    WorkStreamStatusChange.objects.create(
        workstream=workstream, to_status=WorkStreamStatus.PROPOSED, changed_by=person(actor), reason="Proposed."
    )
    seat_for(workstream, lead, GroupRole.LEAD)
    audit_record(
        actor=actor,
        action="workstream.proposed",
        target=workstream,
        summary=f"Work-stream proposed: {workstream.name}",
        changes=changes_between({}, snapshot(workstream, DETAIL_FIELDS)),
        partnership_id=partnership.pk,
    )
    return workstream


@transaction.atomic
def workstream_update(*, actor, workstream: WorkStream, **fields) -> WorkStream:
    """Change a work-stream's details (its lead or deputy, or the partnership lead). A new lead joins the group."""
    authorize_workstream(actor, workstream, Access.LEAD)
    before = snapshot(workstream, DETAIL_FIELDS)
    assign_fields(workstream, fields, allowed=DETAIL_FIELDS)
    if workstream.lead is None:
        raise ValidationError({"lead": "Choose who leads the work-stream."})
    full_clean(workstream)
    _check_named_people(workstream)
    if workstream.lead_id != before["lead"]:
        check_group_seat(workstream.lead, workstream, GroupRole.LEAD, field="lead")  # the lead's seat writes
    workstream.save()
    if workstream.lead_id != before["lead"]:
        make_group_lead(workstream, workstream.lead)
    audit_record(
        actor=actor,
        action="workstream.updated",
        target=workstream,
        summary=f"Changed the details of {workstream.name}",
        changes=changes_between(before, snapshot(workstream, DETAIL_FIELDS)),
        partnership_id=workstream.partnership_id,
    )
    return workstream


def _check_named_people(workstream: WorkStream) -> None:
    check_people_in_partnership(
        workstream.partnership,
        {
            "lead": workstream.lead,
            "senior_responsible_owner": workstream.senior_responsible_owner,
            "clinical_lead": workstream.clinical_lead,
        },
    )


@transaction.atomic
def workstream_accept(*, actor, workstream: WorkStream, decision=None, reason: str) -> WorkStream:
    """Accept a proposed work-stream: on an approved board decision, or, until those exist, by the partnership lead.

    With a `decision`, the board's approval is the authority, so the actor (who approved it, or the system)
    needs only to see the partnership; the decision must be the same partnership's.
    """
    if decision is None:
        authorize(actor, workstream.partnership, PartnershipAction.MANAGE)
        reason = require_text(reason, field="reason", message="Say why the work-stream is accepted.")
    else:
        authorize(actor, workstream.partnership, PartnershipAction.VIEW)
        if getattr(decision, "partnership_id", None) != workstream.partnership_id:
            raise ValidationError({"decision": "The decision belongs to another partnership."})
        reason = reason or f"Accepted by board decision {decision.pk}."
    _move(workstream, WorkStreamStatus.ACCEPTED, actor=actor, reason=reason, decision_id=getattr(decision, "pk", None))
    return workstream


@transaction.atomic
def workstream_change_status(*, actor, workstream: WorkStream, status: str, reason: str) -> WorkStream:
    """Move a work-stream along proposed → accepted → active ⇄ paused → closed, saying why."""
    authorize_workstream(actor, workstream, Access.WRITE)
    if (workstream.status, status) not in STATUS_TRANSITIONS:
        raise ValidationError({"status": _not_allowed_message(workstream, status)})
    if status == WorkStreamStatus.ACCEPTED:
        return workstream_accept(actor=actor, workstream=workstream, reason=reason)
    authorize_workstream_move(actor, workstream, status)
    reason = require_text(reason, field="reason", message="Say why the status is changing.")
    _move(workstream, status, actor=actor, reason=reason)
    return workstream


def _not_allowed_message(workstream: WorkStream, status: str) -> str:
    current = WorkStreamStatus(workstream.status).label.lower()
    wanted = WorkStreamStatus(status).label.lower() if status in WorkStreamStatus.values else repr(status)
    allowed = [WorkStreamStatus(to).label.lower() for to in next_statuses(workstream.status)]
    choices = f" It can become: {', '.join(allowed)}." if allowed else " It cannot change status any more."
    return f"A work-stream that is {current} cannot become {wanted}.{choices}"


def _move(workstream: WorkStream, status: str, *, actor, reason: str, decision_id: int | None = None) -> None:
    if (workstream.status, status) not in STATUS_TRANSITIONS:
        raise ValidationError({"status": _not_allowed_message(workstream, status)})
    change = WorkStreamStatusChange(
        workstream=workstream,
        from_status=workstream.status,
        to_status=status,
        changed_by=person(actor),
        reason=reason,
        decision_id=decision_id,
    )
    full_clean(change)
    workstream.status, workstream.status_changed_at = status, change.changed_at
    workstream.save(update_fields=["status", "status_changed_at", "updated_at"])
    change.save()
    audit_record(
        actor=actor,
        action="workstream.status_changed",
        target=workstream,
        summary=f"{workstream.name}: {change.get_from_status_display()} to {change.get_to_status_display()}",
        changes={"status": [change.from_status, status]},
        reason=reason,
        partnership_id=workstream.partnership_id,
    )


@transaction.atomic
def workstream_set_rag(*, actor, workstream: WorkStream, rag: str, reason: str, set_on: date | None = None):
    """Record how the work-stream is going: red, amber or green, why, and when (the group or the lead), until it is
    closed. A new rating needs its own reason: the old one explained the old rating."""
    authorize_work_on_workstream(actor, workstream, "rag")
    if rag not in Rag.values:
        raise ValidationError({"rag": "Choose red, amber or green."})
    reason = require_text(reason, field="reason", message="Say why the work-stream has this rating.")
    if rag != workstream.rag and reason == workstream.rag_reason:
        raise ValidationError(
            {
                "reason": f"Say why the work-stream is now {Rag(rag).label.lower()}: the reason given is the one "
                f"for its {Rag(workstream.rag).label.lower()} rating."
            }
        )
    before = snapshot(workstream, ["rag", "rag_reason", "rag_set_on"])
    workstream.rag, workstream.rag_reason, workstream.rag_set_on = rag, reason, set_on or timezone.localdate()
    full_clean(workstream)
    workstream.save(update_fields=["rag", "rag_reason", "rag_set_on", "updated_at"])
    audit_record(
        actor=actor,
        action="workstream.rag_set",
        target=workstream,
        summary=f"{workstream.name} rated {Rag(rag).label}",
        changes=changes_between(before, snapshot(workstream, ["rag", "rag_reason", "rag_set_on"])),
        reason=reason,
        partnership_id=workstream.partnership_id,
    )
    return workstream


@transaction.atomic
def workstream_quorum_update(*, actor, workstream: WorkStream, **rule) -> WorkStream:
    """Set how many of the group, and who, make a meeting quorate (its lead or deputy, or the partnership lead)."""
    authorize_workstream(actor, workstream, Access.LEAD)
    _apply_quorum_rule(actor, workstream, rule, partnership_id=workstream.partnership_id)
    return workstream


@transaction.atomic
def board_quorum_update(*, actor, partnership: Partnership, **rule) -> PartnershipBoard:
    """Set the board's quorum rule (the partnership lead)."""
    authorize_board(actor, partnership, Access.LEAD)
    board, _ = PartnershipBoard.objects.get_or_create(partnership=partnership)
    _apply_quorum_rule(actor, board, rule, partnership_id=partnership.pk)
    return board


def _apply_quorum_rule(actor, body, rule: dict, *, partnership_id: int) -> None:
    before = snapshot(body, QUORUM_FIELDS)
    for name, value in rule.items():
        if name not in QUORUM_FIELDS:
            raise ValidationError({name: "This is not part of the quorum rule."})
        setattr(body, name, value)
    full_clean(body)
    body.save()
    audit_record(
        actor=actor,
        action="quorum.updated",
        target=body,
        summary=f"Quorum rule of {body}: {body.quorum_description}",
        changes=changes_between(before, snapshot(body, QUORUM_FIELDS)),
        partnership_id=partnership_id,
    )
