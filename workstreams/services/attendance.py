"""Attendance at a meeting, and whether it was quorate: only the group's members (for the board, its members or a
person of the partnership standing in for one) are recorded, and a deputy counts only when named."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record
from partnerships.models import PartnershipRole, Role

from ..access import authorize_change_meeting
from ..models import Attendance, AttendanceStatus, Meeting
from ..selectors.quorum import Entry, Seat, assess, expected_seats, quorum_rule_for


@dataclass(frozen=True)
class AttendanceLine:
    """What a page or the API says about one person: whether they came, and whom they stood in for."""

    user: object
    status: str
    deputy_for: object | None = None


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, lines: list[AttendanceLine]) -> Meeting:
    """Record who came (replacing what was recorded before) and compute whether the meeting was quorate.

    Only the group's members (for the board: its members, or a person of the partnership deputising for one)
    can be recorded; a deputy counts only if named for a member who is not there.
    """
    authorize_change_meeting(actor, meeting, "attendance")
    seats = expected_seats(meeting)
    entries, deputies, organisations = _attendance_entries(meeting, seats, lines)
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            user_id=entry.user_id,
            status=entry.status,
            deputy_for_id=entry.deputy_for_id,
            organisation=organisations.get(entry.user_id),
        )
        for entry in entries
    )
    result = assess(quorum_rule_for(meeting), seats, entries, deputies)
    meeting.quorate, meeting.quorum_explanation = result.quorate, result.explanation
    meeting.save(update_fields=["quorate", "quorum_explanation", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting.attendance_recorded",
        target=meeting,
        summary=f"Attendance recorded for {meeting}. {result.explanation}",
        changes={"attendance": [None, {str(entry.user_id): entry.status for entry in entries}]},
        partnership_id=meeting.partnership_id,
    )
    return meeting


def _attendance_entries(meeting: Meeting, seats: list[Seat], lines: list[AttendanceLine]):
    """Check each line against the group; return the entries, the deputies' seats and each person's organisation."""
    seat_by_user = {seat.user.pk: seat for seat in seats}
    voting = {user_id for user_id, seat in seat_by_user.items() if seat.votes}
    outsiders = _board_deputies(meeting, lines, seat_by_user) if meeting.is_board_meeting else {}
    errors, entries, seen = [], [], set()
    for line in lines:
        user, named = line.user, line.deputy_for
        seat = seat_by_user.get(user.pk) or outsiders.get(user.pk)
        if line.status not in AttendanceStatus.values:
            errors.append(f"Choose present, apologies or absent for {user}.")
            continue
        if seat is None:
            group = f"in the {meeting.workstream.name} group" if meeting.workstream else "on the partnership board"
            errors.append(f"{user} is not {group}, so their attendance cannot be recorded here.")
            continue
        if user.pk in seen:
            errors.append(f"{user} is listed twice.")
            continue
        seen.add(user.pk)
        deputy_for_id = named.pk if named is not None else seat.deputy_for_id
        if line.status != AttendanceStatus.PRESENT:
            deputy_for_id = None
        if deputy_for_id is not None and not seat.is_deputy:
            errors.append(f"{user} is not a deputy, so they cannot stand in for anyone.")
            continue
        if deputy_for_id is not None and (deputy_for_id not in voting or deputy_for_id == user.pk):
            errors.append(f"{user} can only stand in for a member of the group who is expected at the meeting.")
            continue
        entries.append(Entry(user_id=user.pk, status=line.status, deputy_for_id=deputy_for_id))
    if errors:
        raise ValidationError({"attendance": errors})
    deputies = {user_id: seat for user_id, seat in {**seat_by_user, **outsiders}.items() if seat.is_deputy}
    organisations = {user_id: seat.organisation for user_id, seat in {**seat_by_user, **outsiders}.items()}
    return entries, deputies, organisations


def _board_deputies(meeting: Meeting, lines: list[AttendanceLine], seat_by_user: dict) -> dict[int, Seat]:
    """At the board, anyone with a role in the partnership may deputise for a named board member."""
    candidates = [line.user for line in lines if line.user.pk not in seat_by_user and line.deputy_for is not None]
    if not candidates:
        return {}
    grants = PartnershipRole.objects.filter(
        content_object_id=meeting.partnership_id, user_id__in=[user.pk for user in candidates]
    ).select_related("permission", "organisation")
    roles: dict[int, set[str]] = {}
    represents = {}  # the organisation each deputy represents in the partnership (their roles' affiliation)
    for grant in grants:
        roles.setdefault(grant.user_id, set()).add(grant.permission.codename)
        represents[grant.user_id] = grant.organisation
    return {
        user.pk: Seat(
            user=user,
            role_label="Deputy",
            organisation=represents[user.pk],
            votes=False,
            is_deputy=True,
            is_clinician=bool(getattr(getattr(user, "profile", None), "is_clinician", False)),
            is_non_executive=Role.NON_EXECUTIVE in roles[user.pk],
        )
        for user in candidates
        if user.pk in roles
    }
