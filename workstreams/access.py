"""Who may see and do what in work-streams, meetings and actions, derived from `partnerships.access`.

Everyone with a role in a partnership reads its work-streams, board meetings and actions; someone without one gets
404. Writing is for a work-stream's group (lead, deputy, member; not observers) and the partnership lead; the
group's membership, quorum rule and details are for its lead or deputy and the partnership lead. Board meetings
and board actions are written by the partnership lead, board members and non-executive members. An action's
owner may record progress on it even from outside the group. Meetings and actions take their access from their
work-stream, or for the board from the partnership: guardian stores roles on work-streams only.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from partnerships.access import Action as PartnershipAction
from partnerships.access import authorize, partnerships_visible_to, roles_in
from partnerships.models import Partnership, PartnershipRole, Role

from .models import (
    Action,
    AgendaItem,
    GroupMember,
    GroupRole,
    HighlightReport,
    Meeting,
    Paper,
    WorkStream,
    WorkStreamRole,
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
    return bool(workstream_roles(user, workstream) & GROUP_ROLES_ALLOWED[access])


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
    if meeting.workstream_id is None:
        authorize_board(user, meeting.partnership, access)
    else:
        authorize_workstream(user, meeting.workstream, access)


def can_on_meeting(user, meeting: Meeting, access: Access) -> bool:
    if meeting.workstream_id is None:
        return can_on_board(user, meeting.partnership, access)
    return can_in_workstream(user, meeting.workstream, access)


def authorize_action(user, action: Action, access: Access) -> None:
    """Actions follow their work-stream, or for the board the partnership; the owner may record progress."""
    authorize(user, action.partnership, PartnershipAction.VIEW)
    if not can_on_action(user, action, access):
        raise PermissionDenied("Only the action's owner, its group and the partnership lead can do that.")


def can_on_action(user, action: Action, access: Access) -> bool:
    if access == Access.PROGRESS and action.owner_id == user.pk and roles_in(user, action.partnership):
        return True
    write = Access.WRITE if access == Access.PROGRESS else access
    if action.workstream_id is None:
        return can_on_board(user, action.partnership, write)
    return can_in_workstream(user, action.workstream, write)


# --- Querysets of what a user may see ---------------------------------------------------------------------------


def workstreams_visible_to(user) -> QuerySet[WorkStream]:
    return WorkStream.objects.filter(partnership__in=partnerships_visible_to(user))


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(partnership__in=partnerships_visible_to(user))


def actions_visible_to(user) -> QuerySet[Action]:
    return Action.objects.filter(partnership__in=partnerships_visible_to(user))


def highlight_reports_visible_to(user) -> QuerySet[HighlightReport]:
    return HighlightReport.objects.filter(partnership__in=partnerships_visible_to(user))


def agenda_items_visible_to(user) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting__partnership__in=partnerships_visible_to(user))


def papers_visible_to(user) -> QuerySet[Paper]:
    return Paper.objects.filter(agenda_item__meeting__partnership__in=partnerships_visible_to(user))


def group_members_visible_to(user) -> QuerySet[GroupMember]:
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


# --- One record, or 404 / 403 ------------------------------------------------------------------------------------


def get_workstream_for_user(user, pk: int, action: Access = Access.VIEW) -> WorkStream:
    workstream = WorkStream.objects.select_related("partnership").filter(pk=pk).first()
    if workstream is None:
        raise Http404("No such work-stream.")
    authorize_workstream(user, workstream, action)
    return workstream


def get_meeting_for_user(user, pk: int, action: Access = Access.VIEW) -> Meeting:
    meeting = Meeting.objects.select_related("partnership", "workstream").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    if meeting.workstream is not None:
        meeting.workstream.partnership = meeting.partnership  # one partnership object for every check
    authorize_meeting(user, meeting, action)
    return meeting


def get_agenda_item_for_user(user, pk: int, action: Access = Access.VIEW) -> AgendaItem:
    item = AgendaItem.objects.select_related("meeting__partnership", "meeting__workstream").filter(pk=pk).first()
    if item is None:
        raise Http404("No such agenda item.")
    authorize_meeting(user, item.meeting, action)
    return item


def get_paper_for_user(user, pk: int) -> Paper:
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
    report = HighlightReport.objects.select_related("workstream__partnership", "author").filter(pk=pk).first()
    if report is None:
        raise Http404("No such highlight report.")
    authorize_workstream(user, report.workstream, action)
    return report
