"""Partnerships, organisations and memberships: who is in each partnership."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean, queue_after_commit

from ..access import Action, authorize, authorize_organisation_record_change, has_administrators
from ..models import (
    Membership,
    Organisation,
    Partnership,
)
from ._common import MEMBERSHIP_FIELDS, ORGANISATION_FIELDS, acting_as, audit_shared


@transaction.atomic
def partnership_create(*, actor, **fields) -> Partnership:
    """Register a partnership: staff superusers (in the admin) and the importer only."""
    if not actor.is_superuser:
        raise PermissionDenied("Only the service administrators register partnerships.")
    partnership = Partnership(**fields)
    full_clean(partnership)
    partnership.save()
    audit_record(
        actor=actor,
        action="partnership.created",
        target=partnership,
        summary=f"Registered {partnership}",
        partnership_id=partnership.pk,
    )
    return partnership


@transaction.atomic
def partnership_update(*, actor, partnership: Partnership, **fields) -> Partnership:
    """Change a partnership's public details (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    editable = ["name", "ons_code", "region", "population", "governance_form", "public_description"]
    before = snapshot(partnership, editable)
    assign_fields(partnership, fields, allowed=editable)
    full_clean(partnership)
    partnership.save()
    audit_record(
        actor=actor,
        action="partnership.updated",
        target=partnership,
        summary=f"Changed the details of {partnership.name}",
        changes=changes_between(before, snapshot(partnership, editable)),
        partnership_id=partnership.pk,
    )
    return partnership


@transaction.atomic
def organisation_create(*, actor, partnership: Partnership, membership_kind: str, joined_on: date, **fields):
    """Add a new organisation to the register and make it a member of the partnership (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    organisation = _organisation_add(actor=actor, organisation=Organisation(), fields=fields, partnership=partnership)
    membership_add(
        actor=actor, partnership=partnership, organisation=organisation, kind=membership_kind, joined_on=joined_on
    )
    return organisation


@transaction.atomic
def organisation_register(*, actor, **fields) -> Organisation:
    """Add an organisation to the register without a partnership: service administrators (the admin) only."""
    if not actor.is_superuser:
        raise PermissionDenied("Only the service administrators add organisations outside a partnership.")
    return _organisation_add(actor=actor, organisation=Organisation(), fields=fields, partnership=None)


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, reason: str = "", **fields) -> Organisation:
    """Change an organisation's shared record: its administrators, or the service administrators for the reference
    fields and for an organisation without administrators (`can_change_organisation_record`).

    The change is recorded in the history of every partnership that lists, or listed, the organisation."""
    before = snapshot(organisation, ORGANISATION_FIELDS)
    changed = [
        name
        for name, value in fields.items()
        if name in ORGANISATION_FIELDS and before[name] != snapshot_value(organisation, name, value)
    ]
    authorize_organisation_record_change(actor, organisation, changed)
    _organisation_assign(organisation, fields)
    changes = changes_between(before, snapshot(organisation, ORGANISATION_FIELDS))
    if changes:
        audit_shared(
            actor=actor,
            action="organisation.updated",
            target=organisation,
            summary=f"{actor} changed the shared record of {organisation.name} "
            f"{acting_as(actor, organisation=organisation)}",
            changes=changes,
            reason=reason,
            organisations=[organisation],
        )
    return organisation


def snapshot_value(organisation: Organisation, name: str, value):
    """A submitted value as `snapshot` stores it, to tell which fields a submission actually changes."""
    probe = Organisation(**{name: value if not (name == "ods_code" and value == "") else None})
    return snapshot(probe, [name])[name]


def _organisation_add(*, actor, organisation: Organisation, fields: dict, partnership: Partnership | None):
    _organisation_assign(organisation, fields)
    audit_record(
        actor=actor,
        action="organisation.created",
        target=organisation,
        summary=f"Added {organisation.name}",
        changes=changes_between({}, snapshot(organisation, ORGANISATION_FIELDS)),
        partnership_id=partnership.pk if partnership else None,
    )
    return organisation


def _organisation_assign(organisation: Organisation, fields: dict) -> None:
    if fields.get("ods_code") == "":
        fields = {**fields, "ods_code": None}  # no code is stored as NULL, so codes stay unique
    assign_fields(organisation, fields, allowed=ORGANISATION_FIELDS)
    full_clean(organisation)
    organisation.save()


@transaction.atomic
def membership_add(
    *, actor, partnership: Partnership, organisation: Organisation, kind: str, joined_on: date
) -> Membership:
    """Make an organisation a member, associate or observer of the partnership (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    if Membership.objects.current(joined_on).filter(partnership=partnership, organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation} is already part of {partnership.name}."})
    membership = Membership(partnership=partnership, organisation=organisation, kind=kind, joined_on=joined_on)
    full_clean(membership)
    membership.save()
    audit_record(
        actor=actor,
        action="membership.added",
        target=membership,
        summary=f"{organisation} joined {partnership.name} as {membership.get_kind_display().lower()}",
        partnership_id=partnership.pk,
    )
    if has_administrators(organisation):  # the organisation hears that a partnership now lists it
        queue_after_commit("partnerships.tasks.notify_organisation_listed", membership.pk)
    return membership


@transaction.atomic
def membership_update(*, actor, membership: Membership, **fields) -> Membership:
    """Change a membership's kind or dates; setting `left_on` records that the organisation left (lead only)."""
    authorize(actor, membership.partnership, Action.MANAGE)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    assign_fields(membership, fields, allowed=MEMBERSHIP_FIELDS)
    full_clean(membership)
    membership.save()
    audit_record(
        actor=actor,
        action="membership.updated",
        target=membership,
        summary=f"Changed the membership of {membership.organisation}",
        changes=changes_between(before, snapshot(membership, MEMBERSHIP_FIELDS)),
        partnership_id=membership.partnership_id,
    )
    return membership
