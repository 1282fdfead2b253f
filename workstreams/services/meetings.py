"""Meetings: scheduling, changing and cancelling them, and their agenda items and papers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean, person
from partnerships.models import Partnership

from ..access import Access, authorize_board, authorize_change_meeting, authorize_meeting, authorize_work_on_workstream
from ..models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    Paper,
    WorkStream,
)
from ._common import check_people_in_partnership
from .minutes import minutes_approve

MEETING_FIELDS = ["title", "starts_at", "duration_minutes", "place", "link"]
ITEM_FIELDS = ["title", "purpose", "presenter", "description"]

# Minutes are drafted by recording them and approved by `minutes_approve`; the other moves are made by hand.
MEETING_TRANSITIONS = {
    MeetingStatus.SCHEDULED: (MeetingStatus.HELD, MeetingStatus.CANCELLED),
    MeetingStatus.CANCELLED: (MeetingStatus.SCHEDULED,),
    MeetingStatus.HELD: (MeetingStatus.MINUTES_DRAFT,),
    MeetingStatus.MINUTES_DRAFT: (MeetingStatus.MINUTES_APPROVED,),
    MeetingStatus.MINUTES_APPROVED: (),
}


@transaction.atomic
def meeting_create(
    *,
    actor,
    starts_at,
    workstream: WorkStream | None = None,
    partnership: Partnership | None = None,
    title: str = "",
    duration_minutes: int = 90,
    place: str = "",
    link: str = "",
) -> Meeting:
    """Schedule a meeting of a work-stream group (its group or the partnership lead) or, with no work-stream,
    of the partnership board (the lead and board members)."""
    if workstream is not None:
        authorize_work_on_workstream(actor, workstream, "meeting")
        partnership = workstream.partnership
    elif partnership is not None:
        authorize_board(actor, partnership, Access.WRITE)
    else:
        raise ValueError("A meeting needs a work-stream or, for the board, a partnership.")
    meeting = Meeting(
        partnership=partnership,
        workstream=workstream,
        title=title.strip() or (f"{workstream.name} group meeting" if workstream else "Partnership board meeting"),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        link=link,
        created_by=person(actor),
    )
    full_clean(meeting)
    meeting.save()
    audit_record(
        actor=actor,
        action="meeting.created",
        target=meeting,
        summary=f"Meeting scheduled: {meeting}",
        changes=changes_between({}, snapshot(meeting, MEETING_FIELDS)),
        partnership_id=partnership.pk,
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **fields) -> Meeting:
    """Change a meeting's title, time, length, place or link (until its minutes are approved)."""
    authorize_change_meeting(actor, meeting, "details")
    before = snapshot(meeting, MEETING_FIELDS)
    assign_fields(meeting, fields, allowed=MEETING_FIELDS)
    full_clean(meeting)
    meeting.save()
    audit_record(
        actor=actor,
        action="meeting.updated",
        target=meeting,
        summary=f"Meeting changed: {meeting}",
        changes=changes_between(before, snapshot(meeting, MEETING_FIELDS)),
        partnership_id=meeting.partnership_id,
    )
    return meeting


@transaction.atomic
def meeting_change_status(*, actor, meeting: Meeting, status: str, reason: str = "") -> Meeting:
    """Mark a meeting held, cancel or reinstate it. Minutes approval goes through `minutes_approve`."""
    authorize_meeting(actor, meeting, Access.WRITE)
    if status == MeetingStatus.MINUTES_APPROVED and meeting.status == MeetingStatus.MINUTES_DRAFT:
        return minutes_approve(actor=actor, meeting=meeting)
    if status not in MEETING_TRANSITIONS[meeting.status]:
        current = MeetingStatus(meeting.status).label.lower()
        wanted = MeetingStatus(status).label.lower() if status in MeetingStatus.values else repr(status)
        allowed = ", ".join(MeetingStatus(s).label.lower() for s in MEETING_TRANSITIONS[meeting.status]) or "nothing"
        message = f"A meeting that is {current} cannot become {wanted}. It can become: {allowed}."
        raise ValidationError({"status": message})
    if status == MeetingStatus.HELD and meeting.starts_at > timezone.now():
        raise ValidationError({"status": "The meeting has not started yet, so it cannot be marked as held."})
    before = meeting.status
    meeting.status = status
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting.status_changed",
        target=meeting,
        summary=f"{meeting}: {MeetingStatus(before).label} to {meeting.get_status_display()}",
        changes={"status": [before, status]},
        reason=reason,
        partnership_id=meeting.partnership_id,
    )
    return meeting


# --- Agenda and papers -------------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *, actor, meeting: Meeting, title: str, purpose: str, presenter=None, description: str = ""
) -> AgendaItem:
    """Add an item at the end of the agenda."""
    authorize_change_meeting(actor, meeting, "agenda")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).exists()  # one agenda writer at a time
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        meeting=meeting, position=last + 1, title=title, purpose=purpose, presenter=presenter, description=description
    )
    full_clean(item)
    check_people_in_partnership(meeting.partnership, {"presenter": presenter})
    item.save()
    audit_record(
        actor=actor,
        action="agenda_item.added",
        target=item,
        summary=f"Agenda item added to {meeting}: {item.title}",
        changes=changes_between({}, snapshot(item, ITEM_FIELDS)),
        partnership_id=meeting.partnership_id,
    )
    return item


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, **fields) -> AgendaItem:
    """Change an agenda item's title, purpose, presenter or description."""
    authorize_change_meeting(actor, item.meeting, "agenda")
    before = snapshot(item, ITEM_FIELDS)
    assign_fields(item, fields, allowed=ITEM_FIELDS)
    full_clean(item)
    check_people_in_partnership(item.meeting.partnership, {"presenter": item.presenter})
    item.save()
    audit_record(
        actor=actor,
        action="agenda_item.updated",
        target=item,
        summary=f"Agenda item changed: {item.title}",
        changes=changes_between(before, snapshot(item, ITEM_FIELDS)),
        partnership_id=item.meeting.partnership_id,
    )
    return item


@transaction.atomic
def paper_add(*, actor, item: AgendaItem, title: str, file) -> Paper:
    """Attach a paper to an agenda item: PDF or Office documents up to 20 MB, checked by their first bytes."""
    authorize_change_meeting(actor, item.meeting, "papers")
    if file is None:
        raise ValidationError({"file": "Choose a file to upload."})
    paper = Paper(agenda_item=item, uploaded_by=person(actor))
    paper.take_file(file, title=title)
    full_clean(paper)
    paper.save()
    audit_record(
        actor=actor,
        action="paper.added",
        target=paper,
        summary=f"Paper attached to {item.title}: {paper.title}",
        partnership_id=item.meeting.partnership_id,
    )
    return paper
