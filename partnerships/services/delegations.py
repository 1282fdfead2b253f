"""Delegations: who may commit an organisation to which partnership decisions."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean

from ..access import Action, authorize
from ..models import (
    DecisionCategory,
    Delegation,
    Partnership,
    PartnershipRole,
)
from ._common import DELEGATION_FIELDS, check_current_member


def _check_delegation(delegation: Delegation) -> None:
    errors = {}
    unknown = [value for value in delegation.categories if value not in DecisionCategory.values]
    if not delegation.categories:
        errors["categories"] = "Choose at least one decision category."
    elif unknown:
        errors["categories"] = f"Unknown decision categories: {', '.join(map(str, unknown))}."
    if delegation.delegate_id and delegation.delegate_role:
        errors["delegate_role"] = "Choose a person or a role, not both."
    if not delegation.delegate_id and not delegation.delegate_role:
        errors["delegate"] = "Choose the person or the role that holds the delegation."
    if delegation.limit_pounds is not None and delegation.limit_pounds < Decimal(0):
        errors["limit_pounds"] = "The limit must be £0 or more."
    if errors:
        raise ValidationError(errors)
    check_current_member(delegation.partnership, delegation.organisation, field="organisation")
    if (
        delegation.delegate_id
        and not PartnershipRole.objects.filter(
            content_object=delegation.partnership, user_id=delegation.delegate_id
        ).exists()
    ):
        raise ValidationError({"delegate": f"{delegation.delegate} has no role in {delegation.partnership.name}."})


@transaction.atomic
def delegation_create(*, actor, partnership: Partnership, **fields) -> Delegation:
    """Record who may commit an organisation to which decisions, up to what value, from when (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    delegation = Delegation(partnership=partnership, **fields)
    delegation.categories = sorted(set(delegation.categories or []))
    full_clean(delegation)
    _check_delegation(delegation)
    delegation.save()
    audit_record(
        actor=actor,
        action="delegation.created",
        target=delegation,
        summary=f"Delegation recorded for {delegation.organisation}: {delegation.delegate_display}",
        changes=changes_between({}, snapshot(delegation, DELEGATION_FIELDS)),
        partnership_id=partnership.pk,
    )
    return delegation


@transaction.atomic
def delegation_update(*, actor, delegation: Delegation, **fields) -> Delegation:
    """Change a delegation; ending it means setting `valid_to` (lead only)."""
    authorize(actor, delegation.partnership, Action.MANAGE)
    before = snapshot(delegation, DELEGATION_FIELDS)
    assign_fields(delegation, fields, allowed=DELEGATION_FIELDS)
    delegation.categories = sorted(set(delegation.categories or []))
    full_clean(delegation)
    _check_delegation(delegation)
    delegation.save()
    audit_record(
        actor=actor,
        action="delegation.updated",
        target=delegation,
        summary=f"Delegation changed for {delegation.organisation}: {delegation.delegate_display}",
        changes=changes_between(before, snapshot(delegation, DELEGATION_FIELDS)),
        partnership_id=delegation.partnership_id,
    )
    return delegation
