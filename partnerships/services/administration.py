"""Organisations keep their own records: appointing their administrators, and the corrections partnership leads
propose to an organisation's shared record, which its administrators accept or decline."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from core.audit import snapshot
from core.services import full_clean, person, queue_after_commit, require_text

from ..access import (
    ORGANISATION_ADMINISTRATOR,
    authorize_correction_proposal,
    can_answer_correction,
    can_appoint_organisation_administrator,
    forget_administered,
)
from ..models import CorrectionStatus, Organisation, OrganisationCorrection, OrganisationRole, Partnership
from ._common import ORGANISATION_FIELDS, acting_as, audit_shared
from .organisations import organisation_update, snapshot_value

User = get_user_model()


@transaction.atomic
def organisation_administrator_appoint(*, actor, organisation: Organisation, user) -> None:
    """Make `user` one of the organisation's administrators. A service administrator appoints the first; its
    administrators appoint others. Appointing someone who is one already changes nothing."""
    if not can_appoint_organisation_administrator(actor, organisation):
        raise PermissionDenied(
            f"Only the administrators of {organisation.name}, or a service administrator, appoint its administrators."
        )
    if not user.is_active:
        raise ValidationError({"user": f"{user} has no active account."})
    if OrganisationRole.objects.filter(content_object=organisation, user=user).exists():
        return
    assign_perm(ORGANISATION_ADMINISTRATOR, user, organisation)
    forget_administered(user)
    audit_shared(
        actor=actor,
        action="organisation.administrator_appointed",
        target=organisation,
        summary=f"{user} became an administrator of {organisation.name} "
        f"({acting_as(actor, organisation=organisation)})",
        changes={"administrator": [None, user.pk]},
        organisations=[organisation],
    )


@transaction.atomic
def organisation_administrator_remove(*, actor, organisation: Organisation, user) -> None:
    """Take away someone's administration of the organisation. Its last administrator is removed only by a service
    administrator: otherwise nobody would be left to keep its record and confirm its delegations."""
    if not can_appoint_organisation_administrator(actor, organisation):
        raise PermissionDenied(
            f"Only the administrators of {organisation.name}, or a service administrator, remove its administrators."
        )
    grants = OrganisationRole.objects.select_for_update().filter(content_object=organisation)
    holders = list(grants.values_list("user_id", flat=True))
    if user.pk not in holders:
        raise ValidationError({"user": f"{user} is not an administrator of {organisation.name}."})
    if holders == [user.pk] and not actor.is_superuser:
        raise ValidationError(
            {"user": f"{organisation.name} needs an administrator. Appoint someone else first, then remove {user}."}
        )
    remove_perm(ORGANISATION_ADMINISTRATOR, user, organisation)
    forget_administered(user)
    audit_shared(
        actor=actor,
        action="organisation.administrator_removed",
        target=organisation,
        summary=f"{user} is no longer an administrator of {organisation.name} "
        f"({acting_as(actor, organisation=organisation)})",
        changes={"administrator": [user.pk, None]},
        organisations=[organisation],
    )


@transaction.atomic
def correction_propose(
    *, actor, partnership: Partnership, organisation: Organisation, reason: str, **fields
) -> OrganisationCorrection:
    """A partnership lead proposes a change to an organisation's shared record; the organisation's administrators
    (or, for the reference fields or an organisation without administrators, a service administrator) answer it."""
    authorize_correction_proposal(actor, organisation, partnership)
    unknown = {name: "This cannot be corrected." for name in fields if name not in ORGANISATION_FIELDS}
    if unknown:
        raise ValidationError(unknown)
    current = snapshot(organisation, ORGANISATION_FIELDS)
    changes = {
        name: [current[name], snapshot_value(organisation, name, value)]
        for name, value in fields.items()
        if current[name] != snapshot_value(organisation, name, value)
    }
    if not changes:
        raise ValidationError("Change at least one detail: what you proposed is the record as it stands.")
    probe = Organisation.objects.get(pk=organisation.pk)
    for name, value in fields.items():
        setattr(probe, name, None if name == "ods_code" and value == "" else value)
    full_clean(probe)  # the proposed record must be a valid one, as it will be saved if accepted
    correction = OrganisationCorrection(
        organisation=organisation,
        partnership=partnership,
        proposed_by=person(actor),
        changes=changes,
        reason=require_text(reason, field="reason", message="Say why the record should change."),
    )
    full_clean(correction)
    correction.save()
    audit_shared(
        actor=actor,
        action="organisation.correction_proposed",
        target=organisation,
        summary=f"{actor} proposed a correction to the record of {organisation.name} from {partnership.name}",
        changes=changes,
        reason=correction.reason,
        organisations=[organisation],
    )
    queue_after_commit("partnerships.tasks.notify_correction_proposed", correction.pk)
    return correction


def _answerable(actor, correction: OrganisationCorrection) -> None:
    if not correction.is_pending:
        raise ValidationError(f"This correction was {correction.get_status_display().lower()} already.")
    if not can_answer_correction(actor, correction):
        raise PermissionDenied(
            f"Only the administrators of {correction.organisation.name} answer corrections to its record "
            "(a service administrator answers those to its ODS code and postcode)."
        )


@transaction.atomic
def correction_accept(*, actor, correction: OrganisationCorrection, answer: str = "") -> OrganisationCorrection:
    """Accept a proposed correction: the record takes the proposed values, recorded as the administrator's change."""
    correction = (
        OrganisationCorrection.objects.select_for_update()
        .select_related("organisation", "partnership")
        .get(pk=correction.pk)
    )
    _answerable(actor, correction)
    proposed = {name: values[1] for name, values in correction.changes.items()}
    if "ods_code" in proposed and not proposed["ods_code"]:
        proposed["ods_code"] = None
    organisation_update(
        actor=actor,
        organisation=correction.organisation,
        reason=f"Correction proposed from {correction.partnership.name}: {correction.reason}",
        **proposed,
    )
    return _answer(actor, correction, CorrectionStatus.ACCEPTED, answer)


@transaction.atomic
def correction_decline(*, actor, correction: OrganisationCorrection, answer: str) -> OrganisationCorrection:
    """Decline a proposed correction, saying why; the record stays as it is."""
    correction = (
        OrganisationCorrection.objects.select_for_update()
        .select_related("organisation", "partnership")
        .get(pk=correction.pk)
    )
    _answerable(actor, correction)
    answer = require_text(answer, field="answer", message="Say why the record should stay as it is.")
    return _answer(actor, correction, CorrectionStatus.DECLINED, answer)


def _answer(actor, correction: OrganisationCorrection, status: str, answer: str) -> OrganisationCorrection:
    correction.status, correction.answer = status, answer.strip()
    correction.answered_by, correction.answered_at = person(actor), timezone.now()
    full_clean(correction)
    correction.save()
    organisation = correction.organisation
    audit_shared(
        actor=actor,
        action=f"organisation.correction_{status}",
        target=organisation,
        summary=f"{actor} {status} the correction to {organisation.name} proposed from {correction.partnership.name} "
        f"({acting_as(actor, organisation=organisation)})",
        reason=correction.answer,
        organisations=[organisation],
    )
    queue_after_commit("partnerships.tasks.notify_correction_answered", correction.pk)
    return correction
