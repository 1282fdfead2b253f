"""Agreements between partners, with their documents."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean

from ..access import Action, authorize
from ..models import (
    Agreement,
    Partnership,
)
from ._common import AGREEMENT_FIELDS


def _check_agreement(agreement: Agreement, parties) -> None:
    if not parties:
        raise ValidationError({"parties": "Choose at least one party to the agreement."})
    outsiders = [party for party in parties if not party.memberships.filter(partnership=agreement.partnership).exists()]
    if outsiders:
        raise ValidationError(
            {"parties": f"Not members of {agreement.partnership.name}: {', '.join(map(str, outsiders))}."}
        )


@transaction.atomic
def agreement_create(*, actor, partnership: Partnership, parties, document=None, **fields) -> Agreement:
    """Record an agreement between partners, with its document if there is one (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    agreement = Agreement(partnership=partnership, **fields)
    if document is not None:
        agreement.document = document
        agreement.document_size = document.size
    full_clean(agreement)
    _check_agreement(agreement, parties)
    agreement.save()
    agreement.parties.set(parties)
    audit_record(
        actor=actor,
        action="agreement.created",
        target=agreement,
        summary=f"Agreement recorded: {agreement.title}",
        changes=changes_between({}, snapshot(agreement, AGREEMENT_FIELDS)),
        partnership_id=partnership.pk,
    )
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, parties=None, document=None, **fields) -> Agreement:
    """Change an agreement's status, dates, parties or document (lead only)."""
    authorize(actor, agreement.partnership, Action.MANAGE)
    before = snapshot(agreement, AGREEMENT_FIELDS)
    assign_fields(agreement, fields, allowed=AGREEMENT_FIELDS)
    if document is not None:
        agreement.document = document
        agreement.document_size = document.size
    full_clean(agreement)
    if parties is not None:
        _check_agreement(agreement, parties)
    agreement.save()
    if parties is not None:
        agreement.parties.set(parties)
    audit_record(
        actor=actor,
        action="agreement.updated",
        target=agreement,
        summary=f"Agreement changed: {agreement.title}",
        changes=changes_between(before, snapshot(agreement, AGREEMENT_FIELDS)),
        partnership_id=agreement.partnership_id,
    )
    return agreement
