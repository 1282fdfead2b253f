"""What the work-stream services share: checks that people and organisations belong to the partnership."""

from django.core.exceptions import ValidationError

from partnerships.models import Membership, Organisation, Partnership, PartnershipRole
from partnerships.services.people import affiliation_of


def check_people_in_partnership(partnership: Partnership, people: dict[str, object]) -> None:
    """Each named person must hold a role in the partnership: nobody outside it can lead, own or present."""
    named = {field: user for field, user in people.items() if user is not None}
    if not named:
        return
    inside = set(
        PartnershipRole.objects.filter(
            content_object=partnership, user_id__in=[user.pk for user in named.values()]
        ).values_list("user_id", flat=True)
    )
    errors = {
        field: f"{user} has no role in {partnership.name}. Ask the partnership lead to add them first."
        for field, user in named.items()
        if user.pk not in inside
    }
    if errors:
        raise ValidationError(errors)


def check_member_organisation(partnership: Partnership, organisation: Organisation | None, *, field: str) -> None:
    if organisation is None:
        return
    if not Membership.objects.current().filter(partnership=partnership, organisation=organisation).exists():
        raise ValidationError({field: f"{organisation} is not a current member of {partnership.name}."})


def organisation_of(user, partnership: Partnership) -> Organisation | None:
    """The organisation a person acts for, by default, when they take a seat or own an action in `partnership`: the
    one they represent there (their roles' affiliation), which may differ from partnership to partnership; for
    someone with no role there, their profile's."""
    role = affiliation_of(partnership, user)
    if role is not None:
        return role.organisation
    profile = getattr(user, "profile", None)
    return profile.organisation if profile is not None else None
