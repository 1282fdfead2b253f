"""Actions: raising them (at a meeting or on their own), changing them, and recording progress to completion."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean, person
from partnerships.models import Organisation

from ..access import (
    ACTION_TRANSITIONS,
    Access,
    authorize_action,
    authorize_action_move,
    authorize_raise_action_at,
    authorize_work_on_workstream,
)
from ..models import Action, ActionNote, ActionStatus, AgendaItem, Meeting, WorkStream
from ._common import check_member_organisation, check_people_in_partnership, organisation_of

ACTION_FIELDS = ["description", "owner", "owner_organisation", "due_on"]
LATEST_DUE_YEARS = 10


def next_action_statuses(status: str) -> list[str]:
    """The statuses an action in `status` may move to, whoever moves it."""
    return [to for (start, to) in ACTION_TRANSITIONS if start == status]


@transaction.atomic
def action_create(
    *,
    actor,
    description: str,
    owner,
    due_on: date,
    workstream: WorkStream | None = None,
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    owner_organisation: Organisation | None = None,
) -> Action:
    """Raise an action at a meeting (or one of its items) or on its own for a work-stream.

    The owner must hold a role in the partnership; the due date cannot be before the meeting it arose at.
    """
    if agenda_item is not None:
        if meeting is not None and agenda_item.meeting_id != meeting.pk:
            raise ValidationError({"agenda_item": "That item is on another meeting's agenda."})
        meeting = agenda_item.meeting
    if meeting is not None:
        authorize_raise_action_at(actor, meeting)
        if workstream is not None and workstream.pk != meeting.workstream_id:
            raise ValidationError({"meeting": "That meeting belongs to another group."})
        workstream, partnership = meeting.workstream, meeting.partnership
    elif workstream is not None:
        authorize_work_on_workstream(actor, workstream, "action")
        partnership = workstream.partnership
    else:
        raise ValueError("An action needs a work-stream, a meeting or an agenda item.")
    action = Action(
        partnership=partnership,
        workstream=workstream,
        meeting=meeting,
        agenda_item=agenda_item,
        description=description,
        owner=owner,
        owner_organisation=organisation_of(owner, partnership) if owner_organisation is None else owner_organisation,
        due_on=due_on,
        raised_by=person(actor),
    )
    _check_action(action)
    action.save()
    audit_record(
        actor=actor,
        action="action.created",
        target=action,
        summary=f"{action.reference} for {owner}, due {due_on:%d %b %Y}: {action.description[:200]}",
        changes=changes_between({}, snapshot(action, ACTION_FIELDS)),
        partnership_id=partnership.pk,
    )
    return action


@transaction.atomic
def action_update(*, actor, action: Action, **fields) -> Action:
    """Change what an action asks, of whom, or by when (the group or the partnership lead)."""
    authorize_action(actor, action, Access.WRITE)
    before = snapshot(action, ACTION_FIELDS)
    assign_fields(action, fields, allowed=ACTION_FIELDS)
    if action.owner_organisation is None or (action.owner_id != before["owner"] and "owner_organisation" not in fields):
        # None given: the organisation the owner represents in the partnership.
        action.owner_organisation = organisation_of(action.owner, action.partnership)
    _check_action(action)
    action.save()
    audit_record(
        actor=actor,
        action="action.updated",
        target=action,
        summary=f"Changed {action}",
        changes=changes_between(before, snapshot(action, ACTION_FIELDS)),
        partnership_id=action.partnership_id,
    )
    return action


def _check_action(action: Action) -> None:
    if action.due_on is None:
        raise ValidationError({"due_on": "Enter the date the action is due."})
    full_clean(action)
    check_people_in_partnership(action.partnership, {"owner": action.owner})
    check_member_organisation(action.partnership, action.owner_organisation, field="owner_organisation")
    if action.meeting is not None:
        meeting_day = timezone.localdate(action.meeting.starts_at)
        if action.due_on < meeting_day:
            when = f"{meeting_day.day} {meeting_day:%B %Y}"
            raise ValidationError({"due_on": f"The due date must be on or after the meeting it arose at ({when})."})
    latest = timezone.localdate() + timedelta(days=365 * LATEST_DUE_YEARS)
    if action.due_on > latest:
        raise ValidationError({"due_on": f"The due date must be within {LATEST_DUE_YEARS} years."})


@transaction.atomic
def action_note_add(*, actor, action: Action, text: str = "", status: str = "") -> ActionNote:
    """Record progress on an action: a dated note, a change of status, or both (its owner or its group)."""
    authorize_action(actor, action, Access.PROGRESS)
    text, status = (text or "").strip(), status or ""
    if status == action.status:
        status = ""
    if not text and not status:
        raise ValidationError({"text": "Write a progress note or choose a new status."})
    before = action.status
    if status:
        move = (action.status, status)
        if move not in ACTION_TRANSITIONS:
            raise ValidationError({"status": _not_allowed_message(action, status)})
        authorize_action_move(actor, action, status)
        action.status = status
        action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
        action.save(update_fields=["status", "completed_on", "updated_at"])
    note = ActionNote(
        action=action, author=person(actor), text=text, from_status=before if status else "", to_status=status
    )
    full_clean(note)
    note.save()
    audit_record(
        actor=actor,
        action="action.status_changed" if status else "action.note_added",
        target=action,
        summary=(
            f"{action.reference}: {ActionStatus(before).label} to {action.get_status_display()}"
            if status
            else f"Progress noted on {action.reference}"
        ),
        changes={"status": [before, status]} if status else {},
        reason=text,
        partnership_id=action.partnership_id,
    )
    return note


def _not_allowed_message(action: Action, status: str) -> str:
    current = ActionStatus(action.status).label.lower()
    wanted = ActionStatus(status).label.lower() if status in ActionStatus.values else repr(status)
    allowed = ", ".join(ActionStatus(s).label.lower() for s in next_action_statuses(action.status))
    return f"An action that is {current} cannot become {wanted}. It can become: {allowed}."


def action_change_status(*, actor, action: Action, status: str, note: str = "") -> Action:
    """Move an action to `status`, with an optional note."""
    action_note_add(actor=actor, action=action, text=note, status=status)
    return action


def action_complete(*, actor, action: Action, note: str = "") -> Action:
    """Mark an action done today (its owner or its group)."""
    return action_change_status(actor=actor, action=action, status=ActionStatus.DONE, note=note)
