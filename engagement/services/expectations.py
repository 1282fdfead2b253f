"""The partnership's own stakeholder groups, and how often each work-stream must engage each group."""

from django.db import transaction
from django.utils.text import slugify

from core.audit import audit_record, changes_between, snapshot
from core.services import person
from partnerships.models import Partnership
from workstreams.models import WorkStream

from ..access import authorize_expectations, authorize_manage_groups
from ..models import EngagementExpectation, StakeholderGroup
from ._common import Errors


@transaction.atomic
def stakeholder_group_add(
    *, actor, partnership: Partnership, name: str, parent: StakeholderGroup | None = None, description: str = ""
) -> StakeholderGroup:
    """Add a stakeholder group of the partnership's own, beside the default ones (lead only)."""
    authorize_manage_groups(actor, partnership)
    errors = Errors()
    group = StakeholderGroup(
        partnership=partnership, parent=parent, name=name.strip(), slug=slugify(name)[:60], description=description
    )
    errors.full_clean(group, exclude=["slug"] if not group.slug else None)
    if not group.slug and "name" not in errors:
        errors.add("name", "Enter a name with at least one letter or number.")
    elif StakeholderGroup.objects.for_partnership(partnership).filter(slug=group.slug).exists():
        errors.add("name", f"There is already a group called {name.strip()}.")
    if parent is not None and parent.parent_id is not None:
        errors.add("parent", f"{parent} is itself a sub-group. Choose a main group.")
    if parent is not None and parent.partnership_id not in (None, partnership.pk):
        errors.add("parent", "Choose one of this partnership's groups.")
    errors.raise_any()
    group.position = (parent.position if parent else 900) + 1
    group.save()
    audit_record(
        actor=actor,
        action="stakeholder_group.added",
        target=group,
        summary=f"Stakeholder group added: {group.name}",
        partnership_id=partnership.pk,
    )
    return group


@transaction.atomic
def expectation_set(
    *, actor, workstream: WorkStream, group: StakeholderGroup, interval_days: int
) -> EngagementExpectation:
    """Expect a work-stream to engage a group at least every `interval_days` (its group or the partnership lead).

    Setting it again for the same group changes the interval.
    """
    authorize_expectations(actor, workstream)
    expectation = EngagementExpectation.objects.select_for_update().filter(
        workstream=workstream, group=group
    ).first() or EngagementExpectation(partnership_id=workstream.partnership_id, workstream=workstream, group=group)
    before = {} if expectation.pk is None else snapshot(expectation, ["interval_days"])
    expectation.interval_days, expectation.set_by = interval_days, person(actor)
    errors = Errors()
    if not StakeholderGroup.objects.for_partnership(workstream.partnership_id).filter(pk=group.pk).exists():
        errors.add("group", "Choose one of this partnership's stakeholder groups.")
    errors.full_clean(expectation, exclude=["partnership", "workstream", "group", "set_by"])
    errors.raise_any()
    expectation.save()
    audit_record(
        actor=actor,
        action="engagement_expectation.set",
        target=expectation,
        summary=f"{workstream}: engage {group} every {interval_days} days",
        changes=changes_between(before, snapshot(expectation, ["interval_days"])),
        partnership_id=workstream.partnership_id,
    )
    return expectation


@transaction.atomic
def expectation_remove(*, actor, expectation: EngagementExpectation) -> None:
    """Stop expecting a work-stream to engage a group (its group or the partnership lead)."""
    authorize_expectations(actor, expectation.workstream)
    audit_record(
        actor=actor,
        action="engagement_expectation.removed",
        target=expectation,
        summary=f"{expectation.workstream}: no longer expected to engage {expectation.group}",
        changes={"interval_days": [expectation.interval_days, None]},
        partnership_id=expectation.partnership_id,
    )
    expectation.delete()
