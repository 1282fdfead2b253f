"""A decision's engagement evidence: the activities that inform it and the "you said" items it answers.

The links live on the decision because engagement may not import governance (style.md). They change only while the
decision can be edited, through the proposal and edit services or `decision_evidence_link` (from an activity's page);
when the decision goes to sign-off, a missing expected group is recorded in its history as a warning to the board.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record
from engagement.models import EngagementActivity
from engagement.selectors.activities import expected_groups_missing
from partnerships.models import Partnership

from ..access import authorize_edit
from ..models import Decision
from ._common import lock_decision

EVIDENCE_FIELDS = ("engagement_activities", "feedback_addressed")


def check_evidence(partnership: Partnership, *, engagement_activities=None, feedback_addressed=None) -> dict[str, list]:
    """The chosen activities and "you said" items, each checked to be the partnership's own (None: unchanged)."""
    chosen, errors = {}, {}
    for name, records, message in (
        ("engagement_activities", engagement_activities, "Choose engagement activities of this partnership."),
        ("feedback_addressed", feedback_addressed, 'Choose "you said" items of this partnership.'),
    ):
        if records is None:
            continue
        records = list(records)
        if any(record.partnership_id != partnership.pk for record in records):
            errors[name] = message
        chosen[name] = records
    if errors:
        raise ValidationError(errors)
    return chosen


def evidence_snapshot(decision: Decision) -> dict[str, list[int]]:
    """The linked ids, sorted, for the history's before and after (two queries)."""
    return {
        "engagement_activities": sorted(decision.engagement_activities.values_list("pk", flat=True)),
        "feedback_addressed": sorted(decision.feedback_addressed.values_list("pk", flat=True)),
    }


def set_evidence(decision: Decision, chosen: dict[str, list]) -> dict[str, list[int]]:
    """Replace the links named in `chosen`; the ids now linked, for the history."""
    linked = {}
    for name, records in chosen.items():
        getattr(decision, name).set(records)
        linked[name] = sorted(record.pk for record in records)
    return linked


@transaction.atomic
def decision_evidence_link(*, actor, decision: Decision, activity: EngagementActivity) -> Decision:
    """Add one engagement activity to a decision's evidence, from the activity's page (the proposer or the lead,
    while the decision can still be changed). Linking it twice changes nothing."""
    decision = lock_decision(decision)
    authorize_edit(actor, decision)
    check_evidence(decision.partnership, engagement_activities=[activity])
    if decision.engagement_activities.filter(pk=activity.pk).exists():
        return decision
    decision.engagement_activities.add(activity)
    audit_record(
        actor=actor,
        action="decision.evidence_linked",
        target=decision,
        summary=f"{actor} linked the engagement {activity} to {decision.reference}",
        changes={"engagement_activities": [None, activity.pk]},
        partnership_id=decision.partnership_id,
    )
    return decision


def record_evidence_gaps(decision: Decision, *, actor) -> list:
    """At the move to sign-off: record, in the decision's history, the groups its work-stream expects to engage
    that none of its linked activities reached. A warning to the board, never a bar to sign-off."""
    if decision.workstream is None:
        return []
    missing = expected_groups_missing(decision.workstream, decision.engagement_activities.all())
    if missing:
        audit_record(
            actor=actor,
            action="decision.engagement_gap_flagged",
            target=decision,
            summary="Went to sign-off with no engagement evidence from: " + ", ".join(group.name for group in missing),
            partnership_id=decision.partnership_id,
        )
    return missing
