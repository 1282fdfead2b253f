""" "You said, we did": recording a theme heard at an activity, and the response to it."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.services import person
from workstreams.models import Action as WorkStreamAction

from ..access import authorize_contribute, feedback_outcomes_open_to
from ..models import EngagementActivity, Feedback, FeedbackStatus, StakeholderGroup
from ._common import Errors

FEEDBACK_RESPONSE_FIELDS = ["response", "status", "reason", "fed_back_on", "action", "published"]


@transaction.atomic
def feedback_record(
    *, actor, activity: EngagementActivity, theme: str, groups: Iterable[StakeholderGroup], detail: str = ""
) -> Feedback:
    """Record a theme people raised at an activity ("you said"), and from which of the groups it reached."""
    authorize_contribute(actor, activity.partnership)
    groups = list(groups)
    feedback = Feedback(
        partnership_id=activity.partnership_id,
        activity=activity,
        theme=theme.strip(),
        detail=detail,
        recorded_by=person(actor),
    )
    errors = Errors()
    errors.full_clean(feedback, exclude=["partnership", "recorded_by", "action"])
    reached = {row.group_id: row.group for row in activity.reach.select_related("group")}
    if not groups:
        errors.add("groups", "Choose the group or groups it came from.")
    elif any(group.pk not in reached for group in groups):
        names = ", ".join(group.name for group in reached.values())
        errors.add("groups", f"Choose from the groups this activity reached: {names}.")
    errors.raise_any()
    feedback.save()
    feedback.groups.set(groups)
    audit_record(
        actor=actor,
        action="feedback.recorded",
        target=feedback,
        summary=f"You said: {feedback.theme}",
        changes={"groups": [None, sorted(group.pk for group in groups)]},
        partnership_id=activity.partnership_id,
    )
    return feedback


@transaction.atomic
def feedback_respond(
    *,
    actor,
    feedback: Feedback,
    response: str,
    status: str,
    reason: str = "",
    fed_back_on: date | None = None,
    action: WorkStreamAction | None = None,
    published: bool = False,
) -> Feedback:
    """Record what was done about a theme ("we did"), its outcome, and whether the public page shows it."""
    authorize_contribute(actor, feedback.partnership)
    feedback = Feedback.objects.select_for_update().select_related("activity").get(pk=feedback.pk)
    before = snapshot(feedback, FEEDBACK_RESPONSE_FIELDS)
    errors = Errors()
    if status not in FeedbackStatus.values or status == FeedbackStatus.OPEN:
        errors.add("status", "Choose responded, acted on or not taken forward.")
    elif status not in feedback_outcomes_open_to(actor, feedback):
        errors.add(
            "status",
            f"This has been marked {feedback.get_status_display().lower()}; that outcome cannot change. "
            "Record new feedback if things have moved on.",
        )
    feedback.response, feedback.status, feedback.fed_back_on = response.strip(), status, fed_back_on
    feedback.reason = reason.strip() if status == FeedbackStatus.NOT_TAKEN_FORWARD else ""
    feedback.action, feedback.published = action, bool(published)
    if not feedback.response:
        errors.add("response", "Enter what was done in response.")
    if status == FeedbackStatus.NOT_TAKEN_FORWARD and not feedback.reason:
        errors.add("reason", "Give the reason it was not taken forward.")
    if isinstance(fed_back_on, date) and fed_back_on > timezone.localdate():
        errors.add("fed_back_on", "The date fed back cannot be in the future.")
    elif isinstance(fed_back_on, date) and fed_back_on < feedback.activity.held_on:
        errors.add("fed_back_on", "The date fed back cannot be before the activity.")
    if action is not None and action.partnership_id != feedback.partnership_id:
        errors.add("action", "Choose an action of this partnership.")
    if not errors:
        errors.full_clean(feedback, exclude=["partnership", "recorded_by", "responded_by"])
    errors.raise_any()
    feedback.responded_by, feedback.responded_at = person(actor), timezone.now()
    feedback.save()
    audit_record(
        actor=actor,
        action="feedback.responded",
        target=feedback,
        summary=f"We did ({feedback.get_status_display().lower()}): {feedback.theme}",
        changes=changes_between(before, snapshot(feedback, FEEDBACK_RESPONSE_FIELDS)),
        reason=feedback.reason,
        partnership_id=feedback.partnership_id,
    )
    return feedback
