"""Who is expected at a meeting, and whether those who came make it quorate.

A work-stream meeting's expected members are its group on the day; a board meeting's are the people holding the
partnership lead, board member and non-executive roles. Leads, members and board members count towards quorum;
a deputy counts only when present and named as standing in for a member who is not. Observers never count.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from partnerships.models import Organisation, PartnershipRole, Role

from ..models import GroupMember, GroupRole, Meeting, PartnershipBoard, QuorumRule
from ..models.meetings import AttendanceStatus

User = get_user_model()

BOARD_ROLES = (Role.LEAD, Role.BOARD_MEMBER, Role.NON_EXECUTIVE)
ROLE_ORDER = {role: index for index, role in enumerate(GroupRole.values)}  # lead, deputy, member, observer


@dataclass(frozen=True)
class Seat:
    """One person expected at a meeting, and what they bring to its quorum."""

    user: object
    role_label: str
    organisation: object | None
    votes: bool
    is_deputy: bool = False
    is_clinician: bool = False
    is_non_executive: bool = False
    deputy_for_id: int | None = None  # the member a group deputy is named for


@dataclass(frozen=True)
class Entry:
    """One line of attendance: a person, whether they came, and whom they stood in for."""

    user_id: int
    status: str
    deputy_for_id: int | None = None


@dataclass
class QuorumResult:
    quorate: bool | None
    present: int = 0
    members: int = 0
    needed: int = 0
    deputies_counted: int = 0
    deputies_not_counted: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        if self.quorate is None:
            return "Attendance not recorded yet."
        counted = f"{self.present} of {self.members} members present"
        if self.deputies_counted:
            counted += f" (including {self.deputies_counted} named {_plural(self.deputies_counted, 'deputy')})"
        parts = [f"{counted}, {self.needed} needed", *self.missing]
        if self.deputies_not_counted:
            parts.append(
                f"{self.deputies_not_counted} {_plural(self.deputies_not_counted, 'deputy')} not counted: "
                "not named for an absent member"
            )
        return ("Quorate: " if self.quorate else "Not quorate: ") + "; ".join(parts)


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word[:-1] + "ies" if word.endswith("y") else word + "s"


def quorum_rule_for(meeting: Meeting) -> QuorumRule:
    """The work-stream itself, or the board's rule (the default rule until the lead sets one)."""
    if meeting.workstream_id is not None:
        return meeting.workstream
    return board_of(meeting.partnership)


def board_of(partnership) -> PartnershipBoard:
    """The partnership's board with its quorum rule; an unsaved one with the default rule until the lead sets it."""
    return PartnershipBoard.objects.filter(partnership=partnership).first() or PartnershipBoard(partnership=partnership)


def expected_seats(meeting: Meeting) -> list[Seat]:
    """Everyone expected at the meeting, in three queries at most whatever the size of the group.

    Each seat counts for the organisation its holder represents: for a group member, the one recorded on their
    seat, else the one they represent in the partnership (their roles' affiliation); for the board, the
    affiliation. Never their profile's organisation: a person may act for different organisations in different
    partnerships."""
    day = timezone.localdate(meeting.starts_at)
    if meeting.workstream_id is not None:
        affiliation = PartnershipRole.objects.filter(
            content_object_id=meeting.partnership_id, user_id=OuterRef("user_id")
        ).order_by("pk")
        members = sorted(
            GroupMember.objects.seated_on(day)
            .filter(workstream_id=meeting.workstream_id)
            .select_related("user", "organisation", "deputy_for")
            .annotate(affiliation_id=Subquery(affiliation.values("organisation_id")[:1]))
            .order_by("user__last_name", "user__first_name", "pk"),
            key=lambda member: ROLE_ORDER[member.role],
        )
        unrecorded = {member.affiliation_id for member in members if member.organisation_id is None} - {None}
        affiliations = Organisation.objects.in_bulk(unrecorded) if unrecorded else {}
        return [
            Seat(
                user=member.user,
                role_label=member.get_role_display(),
                organisation=member.organisation or affiliations.get(member.affiliation_id),
                votes=member.votes,
                is_deputy=member.role == GroupRole.DEPUTY,
                is_clinician=member.is_clinician,
                is_non_executive=member.is_non_executive,
                deputy_for_id=member.deputy_for.user_id if member.deputy_for else None,
            )
            for member in members
        ]
    return board_seats(meeting.partnership_id)


def board_seats(partnership_id: int) -> list[Seat]:
    grants = (
        PartnershipRole.objects.filter(content_object_id=partnership_id, permission__codename__in=BOARD_ROLES)
        .select_related("user__profile", "organisation", "permission")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    roles_by_user: dict[int, set[str]] = {}
    users, organisations = {}, {}
    for grant in grants:
        roles_by_user.setdefault(grant.user_id, set()).add(grant.permission.codename)
        users[grant.user_id] = grant.user
        organisations[grant.user_id] = grant.organisation  # the affiliation: every role of theirs carries it
    seats = []
    for user_id, roles in roles_by_user.items():
        user = users[user_id]
        profile = getattr(user, "profile", None)
        label = next(Role(role).label for role in BOARD_ROLES if role in roles)
        seats.append(
            Seat(
                user=user,
                role_label=label,
                organisation=organisations[user_id],
                votes=True,
                is_clinician=bool(profile and profile.is_clinician),
                is_non_executive=Role.NON_EXECUTIVE in roles,
            )
        )
    return seats


def assess(rule: QuorumRule, seats: list[Seat], entries: list[Entry], deputies: dict[int, Seat]) -> QuorumResult:
    """Whether the attendance `entries` make the meeting quorate under `rule`.

    `deputies` are the seats of people who may stand in for a member (the group's deputies, or for the board any
    other person of the partnership), by user id.
    """
    if not entries:
        return QuorumResult(quorate=None)
    voting = {seat.user.pk: seat for seat in seats if seat.votes}
    present_ids = {entry.user_id for entry in entries if entry.status == AttendanceStatus.PRESENT}
    counted = [voting[user_id] for user_id in voting if user_id in present_ids]
    covered: set[int] = set()
    not_counted = 0
    for entry in entries:
        if entry.status != AttendanceStatus.PRESENT or entry.user_id in voting:
            continue
        stands_in_for = entry.deputy_for_id
        if stands_in_for in voting and stands_in_for not in present_ids and stands_in_for not in covered:
            covered.add(stands_in_for)
            counted.append(deputies[entry.user_id])
        elif entry.user_id in deputies:
            not_counted += 1
    needed = rule.members_needed(len(voting))
    missing = []
    if rule.quorum_needs_clinician and not any(seat.is_clinician for seat in counted):
        missing.append("no clinician present")
    if rule.quorum_needs_non_executive and not any(seat.is_non_executive for seat in counted):
        missing.append("no non-executive or lay member present")
    return QuorumResult(
        quorate=len(counted) >= needed and not missing,
        present=len(counted),
        members=len(voting),
        needed=needed,
        deputies_counted=len(covered),
        deputies_not_counted=not_counted,
        missing=missing,
    )
