"""What the engagement tests share: work-streams with their groups, default stakeholder groups, quick activities,
and counts of what was written."""

import datetime

from guardian.shortcuts import assign_perm

from core.audit import SYSTEM
from core.models import AuditEvent
from engagement import services
from engagement.models import (
    ActivityAttachment,
    EngagementActivity,
    EngagementExpectation,
    Feedback,
    GroupReached,
    StakeholderGroup,
)
from workstreams.models import GroupMember, GroupRole, WorkStream, WorkStreamStatus

TODAY = datetime.date(2026, 11, 22)


def workstream(partnership, name: str, *, status: str = WorkStreamStatus.ACTIVE) -> WorkStream:
    return WorkStream.objects.create(
        partnership=partnership, name=name, purpose=f"The purpose of {name}.", status=status
    )


def join_group(user, workstream: WorkStream, role: str = GroupRole.MEMBER) -> None:
    """A seat in the work-stream's group and its guardian permission, as the work-streams services keep them."""
    GroupMember.objects.create(workstream=workstream, user=user, role=role, joined_on=datetime.date(2025, 1, 1))
    assign_perm(f"workstreams.{GroupRole(role).codename}", user, workstream)
    user.__dict__.pop("_workstream_roles", None)


def group(slug: str) -> StakeholderGroup:
    """A default stakeholder group, created by the data migration."""
    return StakeholderGroup.objects.get(partnership=None, slug=slug)


def log(partnership, *, held_on, reach: dict[str, int], workstreams=(), actor=SYSTEM, **fields) -> EngagementActivity:
    """An activity through the service: `reach` maps default group slugs to people counts."""
    fields.setdefault("title", f"Activity on {held_on}")
    fields.setdefault("method", "meeting")
    fields.setdefault("level", "consult")
    return services.activity_log(
        actor=actor,
        partnership=partnership,
        held_on=held_on,
        reach={group(slug): count for slug, count in reach.items()},
        workstreams=workstreams,
        **fields,
    )


def written() -> dict[str, int]:
    """How many rows each engagement table and the audit log hold: compare before and after a refused request."""
    models = (
        AuditEvent,
        EngagementActivity,
        GroupReached,
        ActivityAttachment,
        Feedback,
        EngagementExpectation,
        StakeholderGroup,
    )
    return {model.__name__: model.objects.count() for model in models}


class EngagementWorld:
    """The personas' partnership with three work-streams; `member` sits in the Diabetes group."""

    def __init__(self, world):
        self.world = world
        self.partnership = world.partnership
        self.diabetes = workstream(world.partnership, "Diabetes")
        self.medicines = workstream(world.partnership, "Medicines Optimisation")
        self.end_of_life = workstream(world.partnership, "End of Life Care", status=WorkStreamStatus.PROPOSED)
        self.elsewhere = workstream(world.other_partnership, "Elsewhere Urgent Care")
        join_group(world.member, self.diabetes)

    def __getattr__(self, name):
        return getattr(self.world, name)
