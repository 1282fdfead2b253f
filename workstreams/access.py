"""Who may see and do what in work-streams, meetings and actions, derived from `partnerships.access`.

Everyone with a role in a partnership reads its work-streams, board meetings and actions; someone without one gets
404. Writing is for a work-stream's group (lead, deputy, member; not observers) and the partnership lead; a seat
never lifts a person above their partnership role, so it grants writes only while that role lets them contribute
(a viewer may only observe). The group's membership, quorum rule and details are for its lead or deputy and the
partnership lead. Board meetings and board actions are written by the partnership lead, board members and
non-executive members. An action's owner may record progress on it even from outside the group. Meetings and
actions take their access from their work-stream, or for the board from the partnership: guardian stores roles on
work-streams only.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from partnerships.access import ROLES_ALLOWED, authorize, can, partnerships_visible_to, roles_in
from partnerships.access import Action as PartnershipAction
from partnerships.models import Partnership, PartnershipRole, Role

from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    CalendarFeed,
    GroupMember,
    GroupRole,
    HighlightReport,
    Meeting,
    MeetingStatus,
    Paper,
    WorkStream,
    WorkStreamRole,
    WorkStreamStatus,
)


class Access(StrEnum):
    VIEW = "view"  # read: anyone with a role in the partnership
    WRITE = "write"  # meetings, minutes, actions, highlight reports, RAG: the group and the partnership lead
    LEAD = "lead"  # the group's membership, quorum rule and the work-stream's details
    PROGRESS = "progress"  # an action's notes and status: its owner, or anyone who may WRITE


GROUP_ROLES_ALLOWED = {
    Access.WRITE: frozenset({GroupRole.LEAD.codename, GroupRole.DEPUTY.codename, GroupRole.MEMBER.codename}),
    Access.LEAD: frozenset({GroupRole.LEAD.codename, GroupRole.DEPUTY.codename}),
}
BOARD_ROLES_ALLOWED = {
    Access.WRITE: frozenset({Role.LEAD, Role.BOARD_MEMBER, Role.NON_EXECUTIVE}),
    Access.LEAD: frozenset({Role.LEAD}),
}


def workstream_roles(user, workstream: WorkStream) -> frozenset[str]:
    """The user's group roles (permission codenames) on the work-stream, looked up once per request."""
    if not user.is_authenticated or user.pk is None:
        return frozenset()
    cache = user.__dict__.setdefault("_workstream_roles", {})
    if workstream.pk not in cache:
        cache[workstream.pk] = frozenset(
            WorkStreamRole.objects.filter(user=user, content_object_id=workstream.pk).values_list(
                "permission__codename", flat=True
            )
        )
    return cache[workstream.pk]


def forget_workstream_roles(user) -> None:
    """Drop the per-request cache after group roles change."""
    user.__dict__.pop("_workstream_roles", None)


def can_in_workstream(user, workstream: WorkStream, access: Access) -> bool:
    """Whether the user may `access` (VIEW, WRITE or LEAD) in the work-stream. No exception: for templates."""
    partnership_roles = roles_in(user, workstream.partnership)
    if not partnership_roles:
        return False
    if access == Access.VIEW:
        return True
    if Role.LEAD in partnership_roles:
        return True
    # The one place a seat becomes a right. A seat never lifts a person above their partnership role: once that
    # role no longer lets them contribute (lowered to viewer), their seat stops granting writes at once.
    return bool(workstream_roles(user, workstream) & GROUP_ROLES_ALLOWED[access]) and can(
        user, workstream.partnership, PartnershipAction.CONTRIBUTE
    )


# The seats that write for the group (lead, deputy, member); an observer's seat writes nothing.
SEATS_THAT_WRITE = frozenset(role for role in GroupRole if role.codename in GROUP_ROLES_ALLOWED[Access.WRITE])


def group_roles_open_to(person, workstream: WorkStream) -> list[str]:
    """The seats the person may hold in the work-stream's group: any, if their partnership roles let them
    contribute; otherwise only those that write nothing (observer). The seat form's choices."""
    if can(person, workstream.partnership, PartnershipAction.CONTRIBUTE):
        return list(GroupRole.values)
    return [role for role in GroupRole.values if role not in SEATS_THAT_WRITE]


def check_group_seat(person, workstream: WorkStream, role: str, *, field: str = "role") -> None:
    """`group_roles_open_to` for the services: 400 naming the person and their partnership role."""
    if role in group_roles_open_to(person, workstream):
        return
    partnership = workstream.partnership
    held = " and ".join(
        Role(codename).label.lower() for codename in Role.values if codename in roles_in(person, partnership)
    )
    who = (
        f"{person} is a {held} in {partnership.name}, a role that only reads"
        if held
        else f"{person} has no role in {partnership.name}"
    )
    seat = GroupRole(role).label.lower()
    raise ValidationError(
        {field: f"{who}: they may sit in the {workstream.name} group as an observer, not as a {seat}."}
    )


def seat_grants_nothing() -> Q:
    """For a query of seats: those that would write but grant nothing, as their holder's partnership role no longer
    lets them contribute (lowered to viewer after being seated). `can_in_workstream`'s rule, for a whole group."""
    contributes = PartnershipRole.objects.filter(
        content_object_id=OuterRef("workstream__partnership_id"),
        user_id=OuterRef("user_id"),
        permission__codename__in=ROLES_ALLOWED[PartnershipAction.CONTRIBUTE],
    )
    return Q(role__in=SEATS_THAT_WRITE, user__is_superuser=False) & ~Exists(contributes)


def can_on_board(user, partnership: Partnership, access: Access) -> bool:
    """Whether the user may `access` (VIEW, WRITE or LEAD) the partnership board's meetings and actions."""
    partnership_roles = roles_in(user, partnership)
    if access == Access.VIEW:
        return bool(partnership_roles)
    return bool(partnership_roles & BOARD_ROLES_ALLOWED[access])


def authorize_workstream(user, workstream: WorkStream, access: Access) -> None:
    """404 if the user cannot see the work-stream's partnership, 403 if they may not `access` the work-stream."""
    authorize(user, workstream.partnership, PartnershipAction.VIEW)
    if not can_in_workstream(user, workstream, access):
        raise PermissionDenied(f"Only the {workstream.name} group and the partnership lead can do that.")


def authorize_board(user, partnership: Partnership, access: Access) -> None:
    """404 if the user cannot see the partnership, 403 if they may not `access` its board's business."""
    authorize(user, partnership, PartnershipAction.VIEW)
    if not can_on_board(user, partnership, access):
        raise PermissionDenied("Only the partnership lead and board members can do that for the board.")


def authorize_meeting(user, meeting: Meeting, access: Access) -> None:
    """Meetings follow their work-stream, or for a board meeting the partnership's board: 404, or 403."""
    if meeting.workstream_id is None:
        authorize_board(user, meeting.partnership, access)
    else:
        authorize_workstream(user, meeting.workstream, access)


def can_on_meeting(user, meeting: Meeting, access: Access) -> bool:
    """Whether the user may `access` the meeting, as its work-stream's group or its board. No exception."""
    if meeting.workstream_id is None:
        return can_on_board(user, meeting.partnership, access)
    return can_in_workstream(user, meeting.workstream, access)


def authorize_action(user, action: Action, access: Access) -> None:
    """Actions follow their work-stream, or for the board the partnership; the owner may record progress."""
    authorize(user, action.partnership, PartnershipAction.VIEW)
    if not can_on_action(user, action, access):
        raise PermissionDenied("Only the action's owner, its group and the partnership lead can do that.")


def can_on_action(user, action: Action, access: Access) -> bool:
    """Whether the user may `access` the action: its owner records progress; its group or board writes it."""
    if access == Access.PROGRESS and action.owner_id == user.pk and roles_in(user, action.partnership):
        return True
    write = Access.WRITE if access == Access.PROGRESS else access
    if action.workstream_id is None:
        return can_on_board(user, action.partnership, write)
    return can_in_workstream(user, action.workstream, write)


# --- The steps of a work-stream, a meeting and an action ----------------------------------------------------------
# One rule per step: the page asks `can_…` (or `…_open_to`) before offering it, and the service calls the
# `authorize_…` built on it, so a button is shown exactly when its service would accept
# (workstreams/tests/test_rules.py).

PARTNERSHIP_LEAD = "partnership lead"
# The moves a work-stream may make, and who may make each. Acceptance is a board decision: until the decisions
# app records it, the partnership lead does; closing ends the group's mandate, so it is the lead's too.
STATUS_TRANSITIONS = {
    (WorkStreamStatus.PROPOSED, WorkStreamStatus.ACCEPTED): PARTNERSHIP_LEAD,
    (WorkStreamStatus.PROPOSED, WorkStreamStatus.CLOSED): PARTNERSHIP_LEAD,
    (WorkStreamStatus.ACCEPTED, WorkStreamStatus.ACTIVE): Access.LEAD,
    (WorkStreamStatus.ACTIVE, WorkStreamStatus.PAUSED): Access.LEAD,
    (WorkStreamStatus.PAUSED, WorkStreamStatus.ACTIVE): Access.LEAD,
    (WorkStreamStatus.ACCEPTED, WorkStreamStatus.CLOSED): PARTNERSHIP_LEAD,
    (WorkStreamStatus.ACTIVE, WorkStreamStatus.CLOSED): PARTNERSHIP_LEAD,
    (WorkStreamStatus.PAUSED, WorkStreamStatus.CLOSED): PARTNERSHIP_LEAD,
}

# Who may make each move of an action: the owner records progress and completion; cancelling and reopening are the
# group's.
ACTION_TRANSITIONS = {
    (ActionStatus.OPEN, ActionStatus.IN_PROGRESS): Access.PROGRESS,
    (ActionStatus.OPEN, ActionStatus.DONE): Access.PROGRESS,
    (ActionStatus.IN_PROGRESS, ActionStatus.OPEN): Access.PROGRESS,
    (ActionStatus.IN_PROGRESS, ActionStatus.DONE): Access.PROGRESS,
    (ActionStatus.OPEN, ActionStatus.CANCELLED): Access.WRITE,
    (ActionStatus.IN_PROGRESS, ActionStatus.CANCELLED): Access.WRITE,
    (ActionStatus.DONE, ActionStatus.OPEN): Access.WRITE,
    (ActionStatus.CANCELLED, ActionStatus.OPEN): Access.WRITE,
}

# Why a meeting's details, agenda, papers and attendance no longer change, by its status ({what} is what would).
MEETING_CLOSED = {
    MeetingStatus.MINUTES_APPROVED: "The minutes of this meeting are approved, so its {what} can no longer change.",
    MeetingStatus.CANCELLED: "This meeting was cancelled, so its {what} cannot change. Reinstate it first.",
}
MINUTES_STATUSES = frozenset({MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFT, MeetingStatus.MINUTES_APPROVED})
MINUTES_NOT_YET = "Minutes can be written once the meeting has been held. Mark it as held first."

# Why a closed work-stream takes no more of each step ({name} is the work-stream's). Its existing actions can still
# be progressed and its last meetings minuted.
WORKSTREAM_CLOSED = {
    "rag": "{name} is closed: its RAG rating no longer changes.",
    "meeting": "{name} is closed: it holds no more meetings.",
    "action": "{name} is closed: no more actions are raised for it.",
    "highlight_report": "{name} is closed: it writes no more highlight reports.",
}


def can_move_workstream(user, workstream: WorkStream, status: str) -> bool:
    """Whether the user may move the work-stream to `status`: its group's lead or deputy starts and pauses it, the
    partnership lead accepts and closes it."""
    needed = STATUS_TRANSITIONS.get((workstream.status, status))
    if needed is None:
        return False
    if needed == PARTNERSHIP_LEAD:
        return can(user, workstream.partnership, PartnershipAction.MANAGE)
    return can_in_workstream(user, workstream, needed)


def workstream_statuses_open_to(user, workstream: WorkStream) -> list[str]:
    """The next statuses this person may choose for the work-stream: the status page's choices."""
    return [
        to
        for (start, to) in STATUS_TRANSITIONS
        if start == workstream.status and can_move_workstream(user, workstream, to)
    ]


def authorize_workstream_move(user, workstream: WorkStream, status: str) -> None:
    """`can_move_workstream` for the service, for a move the work-stream may make: 404, or 403 for the wrong role."""
    if STATUS_TRANSITIONS[(workstream.status, status)] == PARTNERSHIP_LEAD:
        authorize(user, workstream.partnership, PartnershipAction.MANAGE)
    else:
        authorize_workstream(user, workstream, STATUS_TRANSITIONS[(workstream.status, status)])


def action_statuses_open_to(user, action: Action) -> list[str]:
    """The statuses this person may move the action to: the progress form's choices."""
    return [
        to
        for (start, to), access in ACTION_TRANSITIONS.items()
        if start == action.status and can_on_action(user, action, access)
    ]


def authorize_action_move(user, action: Action, status: str) -> None:
    """`action_statuses_open_to` for the service, for a move the action may make: 404, or 403 for the wrong role."""
    authorize_action(user, action, ACTION_TRANSITIONS[(action.status, status)])


def workstream_closed_reason(workstream: WorkStream | None, step: str) -> str | None:
    """Why a closed work-stream takes no more of `step` (a key of WORKSTREAM_CLOSED); None while it is open, or
    for the board (no work-stream). What a page says instead of offering the step's form."""
    if workstream is None or workstream.status != WorkStreamStatus.CLOSED:
        return None
    return WORKSTREAM_CLOSED[step].format(name=workstream.name)


def can_work_on_workstream(user, workstream: WorkStream) -> bool:
    """Those who write for the work-stream rate it, schedule its meetings, raise its actions and write its
    highlight reports, until it is closed."""
    return workstream.status != WorkStreamStatus.CLOSED and can_in_workstream(user, workstream, Access.WRITE)


def authorize_work_on_workstream(user, workstream: WorkStream, step: str) -> None:
    """`can_work_on_workstream` for the services: 404, 403, or 400 saying that the work-stream is closed."""
    authorize_workstream(user, workstream, Access.WRITE)
    if not can_work_on_workstream(user, workstream):
        raise ValidationError(workstream_closed_reason(workstream, step))


def can_change_meeting(user, meeting: Meeting) -> bool:
    """Those who write for the meeting change its details, agenda, papers and attendance until its minutes are
    approved or it is cancelled."""
    return meeting.status not in MEETING_CLOSED and can_on_meeting(user, meeting, Access.WRITE)


def authorize_change_meeting(user, meeting: Meeting, what: str) -> None:
    """`can_change_meeting` for the services: 404, 403, or 400 saying why its `what` no longer changes."""
    authorize_meeting(user, meeting, Access.WRITE)
    if not can_change_meeting(user, meeting):
        raise ValidationError(MEETING_CLOSED[meeting.status].format(what=what))


def no_actions_at_reason(meeting: Meeting) -> str | None:
    """Why no action can arise at the meeting: it was cancelled, or its work-stream is closed. None if one can."""
    if meeting.status == MeetingStatus.CANCELLED:
        return "The meeting was cancelled, so no actions can arise from it."
    return workstream_closed_reason(meeting.workstream, "action")


def can_raise_action_at(user, meeting: Meeting) -> bool:
    """Those who write for the meeting raise actions at it, unless it was cancelled or its work-stream is closed."""
    return no_actions_at_reason(meeting) is None and can_on_meeting(user, meeting, Access.WRITE)


def authorize_raise_action_at(user, meeting: Meeting) -> None:
    """`can_raise_action_at` for the service."""
    authorize_meeting(user, meeting, Access.WRITE)
    if not can_raise_action_at(user, meeting):
        raise ValidationError({"meeting": no_actions_at_reason(meeting)})


def can_write_minutes(user, meeting: Meeting) -> bool:
    """Those who write for the meeting record its minutes once it is held, and amend them once approved."""
    return meeting.status in MINUTES_STATUSES and can_on_meeting(user, meeting, Access.WRITE)


def authorize_write_minutes(user, meeting: Meeting) -> None:
    """`can_write_minutes` for the service."""
    authorize_meeting(user, meeting, Access.WRITE)
    if not can_write_minutes(user, meeting):
        raise ValidationError(MINUTES_NOT_YET)


def can_approve_minutes(user, meeting: Meeting) -> bool:
    """Those who write for the meeting approve its draft minutes, which locks them."""
    return no_approval_reason(meeting) is None and can_on_meeting(user, meeting, Access.WRITE)


def no_approval_reason(meeting: Meeting) -> str | None:
    """Why the meeting has no minutes to approve; None when it has a draft."""
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        return "These minutes are already approved. To change them, make an amendment."
    if meeting.status != MeetingStatus.MINUTES_DRAFT:
        return "There are no draft minutes to approve. Record the minutes first."
    return None


def authorize_approve_minutes(user, meeting: Meeting) -> None:
    """`can_approve_minutes` for the service."""
    authorize_meeting(user, meeting, Access.WRITE)
    if not can_approve_minutes(user, meeting):
        raise ValidationError(no_approval_reason(meeting))


# --- Querysets of what a user may see ---------------------------------------------------------------------------


def workstreams_visible_to(user) -> QuerySet[WorkStream]:
    """The work-streams of the partnerships the user has a role in."""
    return WorkStream.objects.filter(partnership__in=partnerships_visible_to(user))


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Work-stream and board meetings of the partnerships the user has a role in."""
    return Meeting.objects.filter(partnership__in=partnerships_visible_to(user))


def actions_visible_to(user) -> QuerySet[Action]:
    """Work-stream and board actions of the partnerships the user has a role in."""
    return Action.objects.filter(partnership__in=partnerships_visible_to(user))


def highlight_reports_visible_to(user) -> QuerySet[HighlightReport]:
    """The work-streams' highlight reports in the partnerships the user has a role in."""
    return HighlightReport.objects.filter(partnership__in=partnerships_visible_to(user))


def agenda_items_visible_to(user) -> QuerySet[AgendaItem]:
    """The agenda items of the meetings the user can see."""
    return AgendaItem.objects.filter(meeting__partnership__in=partnerships_visible_to(user))


def papers_visible_to(user) -> QuerySet[Paper]:
    """The papers of the meetings the user can see."""
    return Paper.objects.filter(agenda_item__meeting__partnership__in=partnerships_visible_to(user))


def group_members_visible_to(user) -> QuerySet[GroupMember]:
    """The seats of the work-stream groups the user can see, past and present."""
    return GroupMember.objects.filter(workstream__partnership__in=partnerships_visible_to(user))


def meetings_attended_by(user) -> QuerySet[Meeting]:
    """The meetings a person is expected at: their groups' meetings, and board meetings if they sit on a board.

    Only in partnerships where they still hold a role, so a calendar feed stops showing a partnership they left.
    """
    if not user.is_authenticated:
        return Meeting.objects.none()
    groups = GroupMember.objects.current().filter(user=user).values("workstream_id")
    boards = PartnershipRole.objects.filter(
        user=user, permission__codename__in=BOARD_ROLES_ALLOWED[Access.WRITE]
    ).values("content_object_id")
    return meetings_visible_to(user).filter(
        Q(workstream_id__in=groups) | Q(workstream__isnull=True, partnership_id__in=boards)
    )


def calendar_feed_of(user) -> CalendarFeed | None:
    """The user's own calendar feed, if they have made one: nobody sees another's secret address."""
    return CalendarFeed.objects.filter(user=user).first()


def get_calendar_feed_for_token(token: str) -> CalendarFeed:
    """The feed whose secret address holds `token`, for someone still active: the token is the key, as calendar
    apps have no session. 404 for any other token."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    return feed


# --- One record, or 404 / 403 ------------------------------------------------------------------------------------


def get_workstream_for_user(user, pk: int, action: Access = Access.VIEW) -> WorkStream:
    """A work-stream, or 404 if the user has no role in its partnership, 403 if they may not `action` it."""
    workstream = WorkStream.objects.select_related("partnership").filter(pk=pk).first()
    if workstream is None:
        raise Http404("No such work-stream.")
    authorize_workstream(user, workstream, action)
    return workstream


def get_meeting_for_user(user, pk: int, action: Access = Access.VIEW) -> Meeting:
    """A meeting, or 404/403 as for its work-stream (or, for a board meeting, its partnership's board)."""
    meeting = Meeting.objects.select_related("partnership", "workstream").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    if meeting.workstream is not None:
        meeting.workstream.partnership = meeting.partnership  # one partnership object for every check
    authorize_meeting(user, meeting, action)
    return meeting


def get_agenda_item_for_user(user, pk: int, action: Access = Access.VIEW) -> AgendaItem:
    """An agenda item, or 404/403 as for its meeting."""
    item = AgendaItem.objects.select_related("meeting__partnership", "meeting__workstream").filter(pk=pk).first()
    if item is None:
        raise Http404("No such agenda item.")
    authorize_meeting(user, item.meeting, action)
    return item


def get_paper_for_user(user, pk: int) -> Paper:
    """A meeting paper, to whoever may see its meeting; 404 for anyone else."""
    paper = (
        Paper.objects.select_related("agenda_item__meeting__partnership", "agenda_item__meeting__workstream")
        .filter(pk=pk)
        .first()
    )
    if paper is None:
        raise Http404("No such paper.")
    authorize_meeting(user, paper.agenda_item.meeting, Access.VIEW)
    return paper


def get_action_for_user(user, pk: int, action: Access = Access.VIEW) -> Action:
    """An action, or 404/403 as for its work-stream or board; its owner may also record progress (PROGRESS)."""
    record = (
        Action.objects.select_related(
            "partnership", "workstream", "meeting", "agenda_item", "owner", "owner_organisation", "raised_by"
        )
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404("No such action.")
    if record.workstream is not None:
        record.workstream.partnership = record.partnership
    authorize_action(user, record, action)
    return record


def get_group_member_for_user(user, pk: int, action: Access = Access.VIEW) -> GroupMember:
    """A seat in a work-stream's group, or 404/403 as for the work-stream: its lead or deputy changes seats."""
    member = (
        GroupMember.objects.select_related("workstream__partnership", "user", "organisation", "deputy_for__user")
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise Http404("No such group member.")
    authorize_workstream(user, member.workstream, action)
    return member


def get_highlight_report_for_user(user, pk: int, action: Access = Access.VIEW) -> HighlightReport:
    """A highlight report, or 404/403 as for its work-stream: its group writes it."""
    report = HighlightReport.objects.select_related("workstream__partnership", "author").filter(pk=pk).first()
    if report is None:
        raise Http404("No such highlight report.")
    authorize_workstream(user, report.workstream, action)
    return report
