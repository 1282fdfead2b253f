"""Who may see and change engagement records, derived from `partnerships.access` and `workstreams.access`.

Everyone with a role in a partnership reads its engagement log, feedback, expectations and coverage; someone
without one gets 404. Every role but viewer logs activities and records feedback and responses (CONTRIBUTE). A
work-stream's expectations are set by its group (lead, deputy, member) and the partnership lead. The partnership's
own stakeholder groups are added by the partnership lead.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from partnerships.access import (
    Action,
    authorize,
    can,
    get_in_partnership_for_user,
    partnerships_visible_to,
    roles_in,
)
from partnerships.models import Partnership
from workstreams.access import GROUP_ROLES_ALLOWED, Access, can_in_workstream
from workstreams.models import WorkStream

from .models import (
    FEEDBACK_TRANSITIONS,
    ActivityAttachment,
    EngagementActivity,
    EngagementExpectation,
    Feedback,
    FeedbackStatus,
    StakeholderGroup,
)


def activities_visible_to(user) -> QuerySet[EngagementActivity]:
    """The engagement logs of the partnerships the user has a role in."""
    return EngagementActivity.objects.filter(partnership__in=partnerships_visible_to(user))


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """What people said ("you said") and the responses, in the partnerships the user has a role in."""
    return Feedback.objects.filter(partnership__in=partnerships_visible_to(user))


def expectations_visible_to(user) -> QuerySet[EngagementExpectation]:
    """How often each work-stream should engage each group, in the partnerships the user has a role in."""
    return EngagementExpectation.objects.filter(partnership__in=partnerships_visible_to(user))


def stakeholder_groups_visible_to(user) -> QuerySet[StakeholderGroup]:
    """The default groups, and the groups of the partnerships the user can see."""
    if not user.is_authenticated:
        return StakeholderGroup.objects.none()
    return StakeholderGroup.objects.filter(partnership__isnull=True) | StakeholderGroup.objects.filter(
        partnership__in=partnerships_visible_to(user)
    )


def get_activity_for_user(user, pk: int, action: Action = Action.VIEW) -> EngagementActivity:
    """An activity, or 404/403 as for its partnership: everyone in it reads, every role but viewer logs and edits."""
    return get_in_partnership_for_user(EngagementActivity.objects, user, action, pk=pk)


def get_feedback_for_user(user, pk: int, action: Action = Action.VIEW) -> Feedback:
    """A "you said" item, or 404/403 as for its partnership: every role but viewer records and answers feedback."""
    return get_in_partnership_for_user(Feedback.objects.select_related("activity"), user, action, pk=pk)


def get_attachment_for_user(user, pk: int, action: Action = Action.VIEW) -> ActivityAttachment:
    """An activity's document, or 404/403 as for its activity's partnership."""
    attachment = ActivityAttachment.objects.select_related("activity__partnership").filter(pk=pk).first()
    if attachment is None:
        raise Http404("No such document.")
    authorize(user, attachment.activity.partnership, action)
    return attachment


def get_activity_document_for_user(user, activity_pk: int, pk: int) -> ActivityAttachment:
    """One of an activity's documents, or 404 if the user cannot see the activity or it has no such document."""
    activity = get_activity_for_user(user, activity_pk)
    attachment = ActivityAttachment.objects.filter(activity=activity, pk=pk).first()
    if attachment is None:
        raise Http404("No such document.")
    return attachment


def may_set_expectations(user, workstream: WorkStream) -> bool:
    """The work-stream's group (not observers) and the partnership lead. No exception: for templates."""
    return can_in_workstream(user, workstream, Access.WRITE)


def authorize_expectations(user, workstream: WorkStream) -> None:
    """404 if the user cannot see the work-stream's partnership, 403 if they may not set its expectations."""
    authorize(user, workstream.partnership, Action.VIEW)
    if not may_set_expectations(user, workstream):
        raise PermissionDenied(f"Only the {workstream.name} group and the partnership lead set its expectations.")


def workstreams_for_expectations(user, partnership: Partnership) -> QuerySet[WorkStream]:
    """The partnership's work-streams whose expectations the user may set, in one query (the same rule as
    `may_set_expectations`: the partnership lead sets any; others those whose group they write for)."""
    workstreams = WorkStream.objects.filter(partnership=partnership)
    if not roles_in(user, partnership):
        return workstreams.none()
    if can(user, partnership, Action.MANAGE):
        return workstreams
    if not can(user, partnership, Action.CONTRIBUTE):  # a seat never lifts a viewer (workstreams.access)
        return workstreams.none()
    return workstreams.filter(
        role_grants__user=user, role_grants__permission__codename__in=GROUP_ROLES_ALLOWED[Access.WRITE]
    ).distinct()


def authorize_setting_expectations(user, partnership: Partnership) -> None:
    """403 unless the user may set the expectations of at least one of the partnership's work-streams."""
    authorize(user, partnership, Action.VIEW)
    if not workstreams_for_expectations(user, partnership).exists():
        raise PermissionDenied("Only a work-stream's group and the partnership lead set its expectations.")


def get_expectation_for_user(user, pk: int, *, change: bool = False) -> EngagementExpectation:
    """An expectation, or 404 as for its partnership; with `change`, 403 unless the user may set it."""
    expectation = (
        EngagementExpectation.objects.select_related("partnership", "workstream__partnership", "group")
        .filter(pk=pk)
        .first()
    )
    if expectation is None:
        raise Http404("No such expectation.")
    authorize(user, expectation.partnership, Action.VIEW)
    if change:
        authorize_expectations(user, expectation.workstream)
    return expectation


def may_contribute(user, partnership: Partnership) -> bool:
    """Whether the user may log activities and feedback in the partnership. No exception: for templates."""
    return can(user, partnership, Action.CONTRIBUTE)


def authorize_contribute(user, partnership: Partnership) -> None:
    """`may_contribute` for the services: 404 outside the partnership, 403 for a viewer."""
    authorize(user, partnership, Action.VIEW)
    if not may_contribute(user, partnership):
        raise PermissionDenied(f"Your role does not allow you to contribute in {partnership.name}.")


def feedback_outcomes_open_to(user, feedback: Feedback) -> list[str]:
    """The outcomes the user may record for a "you said" item: any contributor moves it on from open or responded,
    but an outcome, once reached, is final (`FEEDBACK_TRANSITIONS`). The response form offers exactly these."""
    if not may_contribute(user, feedback.partnership):
        return []
    allowed = FEEDBACK_TRANSITIONS[FeedbackStatus(feedback.status)]
    return [status for status in FeedbackStatus.values if status in allowed]


def may_manage_groups(user, partnership: Partnership) -> bool:
    """Whether the user may add the partnership's own stakeholder groups: the partnership lead."""
    return can(user, partnership, Action.MANAGE)


def authorize_manage_groups(user, partnership: Partnership) -> None:
    """`may_manage_groups` for the service: 404 outside the partnership, 403 for anyone but the lead."""
    authorize(user, partnership, Action.VIEW)
    if not may_manage_groups(user, partnership):
        raise PermissionDenied(f"Your role does not allow you to manage in {partnership.name}.")
