"""Reads that join decisions to engagement: a decision's evidence, the "no engagement evidence" flag, what the
proposal form offers to link, and what the public page shows.

Engagement may not import governance, so these live here and call `engagement.selectors` for the engagement part.

The flag: a decision that has gone to sign-off (it has a sign-off round) whose work-stream expects a stakeholder
group that none of the decision's linked activities reached. Reaching a sub-group (GPs) counts for its main group
(clinicians), as in `engagement.selectors.expected_groups_missing`. It is computed on the fly — one correlated
subquery on the register, so its queries do not grow with the rows — and it is recorded in the decision's history
when the decision goes to sign-off (`services.evidence.record_evidence_gaps`). The links cannot change after sign-off
opens, so the flag changes afterwards only if the work-stream's expectations or an activity's groups change.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When

from engagement.models import EngagementActivity, EngagementExpectation, Feedback, GroupReached, StakeholderGroup
from engagement.selectors.activities import evidence_for_workstream, expected_groups_missing
from engagement.selectors.feedback import published_responses
from partnerships.models import Partnership
from workstreams.models import WorkStream

from ..access import decisions_editable_by
from ..models import Decision

WENT_TO_SIGNOFF = Q(current_round__isnull=False)
# How much the proposal form lists: every recent activity of a partnership could be thousands.
OFFER_FROM_WORKSTREAM = 60
OFFER_RECENT = 30
PUBLIC_RESPONSES = 50


# --- The flag --------------------------------------------------------------------------------------------------------


def _expected_group_unheard() -> Exists:
    """Whether the decision's work-stream expects a group that none of the decision's linked activities reached."""
    heard = GroupReached.objects.filter(activity__decisions=OuterRef(OuterRef("pk"))).filter(
        Q(group=OuterRef("group")) | Q(group__parent=OuterRef("group"))
    )
    return Exists(EngagementExpectation.objects.filter(workstream=OuterRef("workstream")).filter(~Exists(heard)))


def with_engagement_flag(queryset: QuerySet[Decision]) -> QuerySet[Decision]:
    """Annotate `lacks_engagement_evidence`: gone to sign-off with no evidence from a group its work-stream expects."""
    return queryset.annotate(
        lacks_engagement_evidence=Case(
            When(WENT_TO_SIGNOFF & _expected_group_unheard(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def lacking_engagement_evidence(queryset: QuerySet[Decision]) -> QuerySet[Decision]:
    """Only the flagged decisions: the register's "no engagement evidence" filter."""
    return queryset.filter(WENT_TO_SIGNOFF).filter(_expected_group_unheard())


# --- A decision's page -----------------------------------------------------------------------------------------------


@dataclass
class DecisionEvidence:
    """What the decision's engagement tab shows."""

    decision: Decision
    activities: list[EngagementActivity]
    responses: list[Feedback]
    expected_missing: list[StakeholderGroup]
    has_expectations: bool

    @property
    def went_to_signoff(self) -> bool:
        return self.decision.current_round_id is not None

    @property
    def flagged(self) -> bool:
        """Gone to sign-off with no evidence from a group its work-stream expects: the board's warning."""
        return self.went_to_signoff and bool(self.expected_missing)

    @property
    def missing_text(self) -> str:
        """ "Local authorities and councillors" or "Staff and unions, MPs and VCSE"."""
        names = [group.name for group in self.expected_missing]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def decision_evidence(decision: Decision) -> DecisionEvidence:
    """The decision's linked activities (with the groups they reached), the "you said" items it answers, and the
    expected groups it lacks — in at most eight queries, however many activities, groups and responses."""
    activities = list(decision.engagement_activities.for_listing())
    responses = list(decision.feedback_addressed.for_listing())
    workstream = decision.workstream
    has_expectations = workstream is not None and EngagementExpectation.objects.filter(workstream=workstream).exists()
    missing = expected_groups_missing(workstream, activities) if has_expectations else []
    return DecisionEvidence(decision, activities, responses, missing, has_expectations)


# --- The proposal form and the activity page -------------------------------------------------------------------------


def activities_to_offer(
    partnership: Partnership, *, workstream: WorkStream | None = None, linked=()
) -> tuple[list[EngagementActivity], set[int]]:
    """The activities a proposer may link: the work-stream's first, then the partnership's latest others, then any
    already linked; with the ids of the work-stream's (the suggestions). Older ones are linked from their own page."""
    suggested = []
    if workstream is not None and workstream.partnership_id == partnership.pk:
        suggested = list(evidence_for_workstream(workstream)[:OFFER_FROM_WORKSTREAM])
    shown = {activity.pk for activity in suggested}
    ours = EngagementActivity.objects.filter(partnership=partnership).for_listing()
    recent = list(ours.exclude(pk__in=shown)[:OFFER_RECENT])
    shown |= {activity.pk for activity in recent}
    earlier = list(ours.filter(pk__in=set(linked) - shown)) if set(linked) - shown else []
    return suggested + recent + earlier, {activity.pk for activity in suggested}


def feedback_to_offer(
    partnership: Partnership, *, workstream: WorkStream | None = None, linked=()
) -> tuple[list[Feedback], set[int]]:
    """The "you said" items a proposer may answer: those heard in the work-stream's engagement first, then the
    partnership's latest others, then any already linked; with the ids of the work-stream's."""
    ours = Feedback.objects.filter(partnership=partnership).for_listing()
    suggested = []
    if workstream is not None and workstream.partnership_id == partnership.pk:
        suggested = list(ours.filter(activity__workstreams=workstream).distinct()[:OFFER_FROM_WORKSTREAM])
    shown = {item.pk for item in suggested}
    recent = list(ours.exclude(pk__in=shown)[:OFFER_RECENT])
    shown |= {item.pk for item in recent}
    earlier = list(ours.filter(pk__in=set(linked) - shown)) if set(linked) - shown else []
    return suggested + recent + earlier, {item.pk for item in suggested}


def decisions_to_link(user, activity: EngagementActivity) -> QuerySet[Decision]:
    """The decisions this person may link the activity to: those they may still change (their own proposals, or any
    for the lead) in the activity's partnership, not linked yet; those of the activity's work-streams first."""
    decisions = decisions_editable_by(user, activity.partnership).exclude(pk__in=activity.decisions.values("pk"))
    informs = EngagementActivity.workstreams.through.objects.filter(
        engagementactivity_id=activity.pk, workstream_id=OuterRef("workstream_id")
    )
    return (
        decisions.select_related("workstream")
        .annotate(from_workstream=Exists(informs))
        .order_by("-from_workstream", "-year", "-number")
    )


# --- The public pages ------------------------------------------------------------------------------------------------


def public_responses(partnership: Partnership) -> list[Feedback]:
    """The published "you said, we did" for the public page, each with the published decisions it led to (never a
    confidential or undecided one), in three queries."""
    published = Decision.objects.published().only("pk", "reference", "title", "partnership_id")
    return list(
        published_responses(partnership).prefetch_related(
            Prefetch("decisions", queryset=published.order_by("-year", "-number"), to_attr="public_decisions")
        )[:PUBLIC_RESPONSES]
    )


@dataclass
class PublicEvidence:
    activities: list[EngagementActivity]
    responses: list[Feedback]


def public_evidence(decision: Decision) -> PublicEvidence:
    """What a published decision's public page shows of its evidence: the activities (the page shows no personal
    data of them) and the published "you said, we did" it answered — never an open or unpublished item."""
    return PublicEvidence(
        activities=list(decision.engagement_activities.for_listing()),
        responses=list(decision.feedback_addressed.published().for_listing()),
    )
