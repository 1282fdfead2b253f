"""Minutes: written per agenda item, approved (version 1, locked), and amended as new versions that keep the old."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from core.audit import audit_record
from core.services import person, require_text

from ..access import authorize_approve_minutes, authorize_write_minutes
from ..models import AgendaItem, Meeting, MeetingStatus, MinutesVersion


@transaction.atomic
def minutes_record(*, actor, meeting: Meeting, minutes: dict[int, str], amendment_reason: str = "") -> Meeting:
    """Write the minutes of each agenda item (by item id). Once approved they are locked: a change must be made as
    an amendment, with its reason, which adds a new approved version and keeps the old one."""
    authorize_write_minutes(actor, meeting)
    amending = meeting.status == MeetingStatus.MINUTES_APPROVED
    if amending and not amendment_reason.strip():
        message = "These minutes are approved and locked. To change them, make an amendment and say why."
        raise ValidationError({"amendment_reason": message})
    if not amending and amendment_reason.strip():
        raise ValidationError({"amendment_reason": "Only approved minutes are amended. Edit the draft instead."})
    items = {item.pk: item for item in meeting.agenda_items.select_for_update()}
    unknown = [str(key) for key in minutes if key not in items]
    if unknown:
        raise ValidationError({"minutes": f"Not items of this meeting's agenda: {', '.join(unknown)}."})
    changed = {}
    for item_id, text in minutes.items():
        item = items[item_id]
        if item.minutes != text:
            changed[str(item_id)] = [item.minutes, text]
            item.minutes = text
            item.clean_fields(exclude=[field.name for field in AgendaItem._meta.fields if field.name != "minutes"])
    AgendaItem.objects.bulk_update(items.values(), ["minutes"])
    if amending:
        if not changed:
            raise ValidationError({"minutes": "Nothing has changed, so there is nothing to amend."})
        _freeze_minutes(meeting, list(items.values()), actor=actor, reason=amendment_reason.strip())
    elif meeting.status == MeetingStatus.HELD:
        meeting.status = MeetingStatus.MINUTES_DRAFT
        meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="minutes.amended" if amending else "minutes.recorded",
        target=meeting,
        summary=f"Minutes {'amended' if amending else 'recorded'} for {meeting}",
        changes=changed,
        reason=amendment_reason,
        partnership_id=meeting.partnership_id,
    )
    return meeting


@transaction.atomic
def minutes_approve(*, actor, meeting: Meeting) -> MinutesVersion:
    """Approve draft minutes: they become version 1 and are locked."""
    authorize_approve_minutes(actor, meeting)
    items = list(meeting.agenda_items.select_for_update())
    if not any(item.minutes.strip() for item in items):
        raise ValidationError("The minutes are empty. Record the minutes of at least one item first.")
    if meeting.quorate is None:
        raise ValidationError("Record who attended before approving the minutes: they show whether it was quorate.")
    version = _freeze_minutes(meeting, items, actor=actor, reason="")
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="minutes.approved",
        target=meeting,
        summary=f"Minutes approved for {meeting}",
        changes={"status": [MeetingStatus.MINUTES_DRAFT, MeetingStatus.MINUTES_APPROVED]},
        partnership_id=meeting.partnership_id,
    )
    return version


def _freeze_minutes(meeting: Meeting, items: list[AgendaItem], *, actor, reason: str) -> MinutesVersion:
    last = meeting.minutes_versions.aggregate(last=Max("number"))["last"] or 0
    return MinutesVersion.objects.create(
        meeting=meeting,
        number=last + 1,
        items=[
            {"position": item.position, "title": item.title, "purpose": item.purpose, "minutes": item.minutes}
            for item in items
        ],
        approved_by=person(actor),
        amendment_reason=require_text(reason, field="amendment_reason", message="Say why.") if last else "",
    )
