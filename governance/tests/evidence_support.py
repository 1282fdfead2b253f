"""What the engagement-evidence tests share: activities, "you said" items and expectations made through the
engagement services, and the End of Life Care proposal that never heard from local authorities."""

from datetime import timedelta

from django.utils import timezone

from core.audit import SYSTEM
from core.models import AuditEvent
from engagement import services as engagement
from engagement.models import EngagementActivity, Feedback, StakeholderGroup
from governance.models import Decision
from partnerships.models import DecisionCategory
from workstreams.models import WorkStream, WorkStreamStatus

from .support import propose


def group(slug: str) -> StakeholderGroup:
    """A default stakeholder group, made by the engagement data migration."""
    return StakeholderGroup.objects.get(partnership=None, slug=slug)


def activity(partnership, *, reach: dict[str, int], workstreams=(), title="Hospice visit", days_ago=10, **fields):
    fields.setdefault("method", "workshop")
    fields.setdefault("level", "involve")
    return engagement.activity_log(
        actor=SYSTEM,
        partnership=partnership,
        held_on=timezone.localdate() - timedelta(days=days_ago),
        title=title,
        reach={group(slug): count for slug, count in reach.items()},
        workstreams=workstreams,
        **fields,
    )


def said(heard_at, theme: str, *, status="open", published=False, groups=("patients-carers",)) -> Feedback:
    """A theme heard at an activity and, unless open, the response to it."""
    item = engagement.feedback_record(actor=SYSTEM, activity=heard_at, theme=theme, groups=[group(g) for g in groups])
    if status != "open":
        engagement.feedback_respond(
            actor=SYSTEM,
            feedback=item,
            response=f"We did: {theme}",
            status=status,
            reason="There is no money for it." if status == "not_taken_forward" else "",
            published=published,
        )
        item.refresh_from_db()
    return item


def expect(workstream: WorkStream, *slugs: str, every: int = 90) -> None:
    for slug in slugs:
        engagement.expectation_set(actor=SYSTEM, workstream=workstream, group=group(slug), interval_days=every)


def end_of_life(world) -> WorkStream:
    """The proposed End of Life Care work-stream, expected to hear from local authorities, patients and the VCSE."""
    workstream = WorkStream.objects.create(
        partnership=world.partnership,
        name="End of Life Care",
        purpose="Care in the last year of life.",
        status=WorkStreamStatus.PROPOSED,
    )
    expect(workstream, "local-authorities", "patients-carers", "vcse")
    return workstream


def hospice_visit(world, workstream=None) -> EngagementActivity:
    """Engagement that reached patients, nurses and the VCSE — and no local authority."""
    return activity(
        world.partnership,
        title="Hospice visit",
        reach={"patients-carers": 8, "nurses": 3, "vcse": 2},
        workstreams=[workstream] if workstream else [],
        themes_heard="Families want one named contact.",
    )


def establish(world, workstream, *, activities=(), responses=(), actor=None) -> Decision:
    """The proposal to establish the work-stream, with its evidence."""
    return propose(
        world,
        actor=actor or world.lead,
        title="Establish the End of Life Care work-stream",
        case="Care where people choose, in the last year of life.",
        category=DecisionCategory.ESTABLISH_WORKSTREAM,
        value_pounds=None,
        workstream=workstream,
        engagement_activities=list(activities),
        feedback_addressed=list(responses),
    )


def gap_events(decision) -> list[str]:
    """The summaries of the 'no engagement evidence' records in the decision's history, oldest first."""
    return list(
        AuditEvent.objects.filter(target_id=decision.pk, action="decision.engagement_gap_flagged")
        .order_by("at", "id")
        .values_list("summary", flat=True)
    )


def links(decision) -> tuple[list[int], list[int]]:
    return (
        sorted(decision.engagement_activities.values_list("pk", flat=True)),
        sorted(decision.feedback_addressed.values_list("pk", flat=True)),
    )


def written() -> tuple[int, ...]:
    """Rows that a refused request must not add: decisions, their evidence links and the audit log."""
    return (
        Decision.objects.count(),
        Decision.engagement_activities.through.objects.count(),
        Decision.feedback_addressed.through.objects.count(),
        AuditEvent.objects.count(),
    )
