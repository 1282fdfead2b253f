"""What the partnerships services share: the editable fields and model validation."""

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


def full_clean(instance, *, exclude: list[str] | None = None) -> None:
    """Model validation (field validators and constraints) before writing, so bad input is a 400, not a 500."""
    instance.full_clean(exclude=exclude)


def check_current_member(partnership: Partnership, organisation: Organisation, *, field: str) -> None:
    if not Membership.objects.current().filter(partnership=partnership, organisation=organisation).exists():
        raise ValidationError({field: f"{organisation} is not a current member of {partnership.name}."})
