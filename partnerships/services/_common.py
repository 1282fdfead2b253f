"""What the partnerships services share: the editable fields, the check that an organisation is a member, and the
audit of changes to records that several partnerships rely on."""

from django.core.exceptions import ValidationError

from core.audit import audit_record

from ..access import administers
from ..models import (
    Membership,
    Organisation,
    Partnership,
)

ORGANISATION_FIELDS = [
    "ods_code",
    "name",
    "kind",
    "postcode",
    "opened_on",
    "closed_on",
    "contact_email",
    "website",
]

DELEGATION_FIELDS = [
    "organisation",
    "delegate",
    "delegate_role",
    "categories",
    "limit_pounds",
    "valid_from",
    "valid_to",
    "source_document",
    "source_version",
]
AGREEMENT_FIELDS = ["kind", "title", "status", "effective_on", "expires_on", "review_on"]
MEMBERSHIP_FIELDS = ["kind", "joined_on", "left_on"]


def check_current_member(partnership: Partnership, organisation: Organisation, *, field: str) -> None:
    if not Membership.objects.current().filter(partnership=partnership, organisation=organisation).exists():
        raise ValidationError({field: f"{organisation} is not a current member of {partnership.name}."})


def acting_as(actor, *, partnership: Partnership | None = None, organisation: Organisation | None = None) -> str:
    """Whose authority a change to a shared record was made under, as the history says it: "as administrator of
    Northfield Hospitals", "from Northfield and Southdale" or "as service administrator"."""
    if organisation is not None and administers(actor, organisation):
        return f"as administrator of {organisation.name}"
    if partnership is not None:
        return f"from {partnership.name}"
    return "as service administrator"


def audit_shared(*, actor, action: str, target, summary: str, organisations, changes=None, reason: str = "") -> None:
    """Record a change to a shared record (an organisation, a delegation, an affiliation) in the history of every
    partnership that lists, or listed, any of `organisations`: each partnership sees changes to what it relies on.
    A record no partnership lists is recorded once, under no partnership."""
    ids = [organisation.pk for organisation in organisations if organisation is not None]
    for partnership_id in Membership.objects.listing_partnership_ids(ids):
        audit_record(
            actor=actor,
            action=action,
            target=target,
            summary=summary,
            changes=changes,
            reason=reason,
            partnership_id=partnership_id,
        )
