"""What the partnerships services share: the editable fields and the check that an organisation is a member."""

from django.core.exceptions import ValidationError

from ..models import (
    Membership,
    Organisation,
    Partnership,
)

ORGANISATION_FIELDS = ["ods_code", "name", "kind", "postcode", "opened_on", "closed_on"]

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
