"""Delegations: who may commit an organisation to which partnership decisions. The partnership lead or the
organisation records them; only the organisation confirms them."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from core.audit import changes_between, snapshot
from core.services import assign_fields, full_clean, person, queue_after_commit

from ..access import (
    administers,
    authorize_delegation_change,
    can_confirm_delegation,
    can_record_delegation,
    has_administrators,
    roles_in,
)
from ..models import (
    DecisionCategory,
    Delegation,
    Partnership,
    PartnershipRole,
)
from ._common import DELEGATION_FIELDS, acting_as, audit_shared, check_current_member


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


def _authorize_recording(actor, partnership: Partnership, organisation) -> None:
    if can_record_delegation(actor, partnership, organisation):
        return
    if not roles_in(actor, partnership) and not can_record_delegation(actor, partnership):
        raise Http404("No such partnership.")
    raise PermissionDenied(
        "Only the partnership's lead, or the organisation's own administrators, record its delegations."
    )


def _confirm_if_organisation(actor, delegation: Delegation) -> None:
    """A delegation recorded or changed by the organisation's own administrator is confirmed by that act."""
    if administers(actor, delegation.organisation_id):
        delegation.confirmed_by, delegation.confirmed_at = actor, timezone.now()


@transaction.atomic
def delegation_create(*, actor, partnership: Partnership, **fields) -> Delegation:
    """Record who may commit an organisation to which decisions, up to what value, from when: the partnership's
    lead (the delegation then awaits the organisation's confirmation) or the organisation's administrators."""
    delegation = Delegation(partnership=partnership, recorded_by=person(actor), **fields)
    _authorize_recording(actor, partnership, getattr(delegation, "organisation", None))
    delegation.categories = sorted(set(delegation.categories or []))
    full_clean(delegation)
    _check_delegation(delegation)
    _confirm_if_organisation(actor, delegation)
    delegation.save()
    authority = acting_as(actor, partnership=partnership, organisation=delegation.organisation)
    audit_shared(
        actor=actor,
        action="delegation.created",
        target=delegation,
        summary=f"Delegation recorded for {delegation.organisation} in {partnership.name}: "
        f"{delegation.delegate_display} ({authority})",
        changes=changes_between({}, snapshot(delegation, DELEGATION_FIELDS)),
        organisations=[delegation.organisation],
    )
    if not delegation.is_confirmed and has_administrators(delegation.organisation):
        queue_after_commit("partnerships.tasks.notify_delegation_to_confirm", delegation.pk)
    return delegation


@transaction.atomic
def delegation_update(*, actor, delegation: Delegation, **fields) -> Delegation:
    """Change a delegation; ending it means setting `valid_to`. Before the organisation confirms it, its lead may;
    after, only the organisation's administrators (`can_change_delegation`)."""
    authorize_delegation_change(actor, delegation)
    before = snapshot(delegation, DELEGATION_FIELDS)
    organisation_before = delegation.organisation
    assign_fields(delegation, fields, allowed=DELEGATION_FIELDS)
    if delegation.organisation_id != organisation_before.pk:
        _authorize_recording(actor, delegation.partnership, delegation.organisation)
    delegation.categories = sorted(set(delegation.categories or []))
    full_clean(delegation)
    _check_delegation(delegation)
    _confirm_if_organisation(actor, delegation)
    delegation.save()
    audit_shared(
        actor=actor,
        action="delegation.updated",
        target=delegation,
        summary=f"Delegation changed for {delegation.organisation} in {delegation.partnership.name}: "
        f"{delegation.delegate_display} "
        f"({acting_as(actor, partnership=delegation.partnership, organisation=delegation.organisation)})",
        changes=changes_between(before, snapshot(delegation, DELEGATION_FIELDS)),
        organisations=[organisation_before, delegation.organisation],
    )
    return delegation


@transaction.atomic
def delegation_confirm(*, actor, delegation: Delegation) -> Delegation:
    """The organisation's administrator confirms that a delegation matches its own scheme of delegation. From then
    on only its administrators change or end it."""
    delegation = (
        Delegation.objects.select_for_update().select_related("partnership", "organisation").get(pk=delegation.pk)
    )
    if delegation.is_confirmed:
        raise ValidationError(
            f"This delegation was confirmed on {timezone.localtime(delegation.confirmed_at):%-d %B %Y} already."
        )
    if not can_confirm_delegation(actor, delegation):
        raise PermissionDenied(f"Only the administrators of {delegation.organisation.name} confirm its delegations.")
    delegation.confirmed_by, delegation.confirmed_at = actor, timezone.now()
    delegation.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])
    audit_shared(
        actor=actor,
        action="delegation.confirmed",
        target=delegation,
        summary=f"{actor} confirmed the delegation of {delegation.organisation} in {delegation.partnership.name}: "
        f"{delegation.delegate_display} ({acting_as(actor, organisation=delegation.organisation)})",
        changes={"confirmed": [False, True]},
        organisations=[delegation.organisation],
    )
    return delegation
