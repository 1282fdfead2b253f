"""Reads of the registers of interests: a partnership's register, and one person's entries open today."""

from django.db.models import QuerySet

from partnerships.models import Partnership

from ..models import InterestDeclaration


def register_of_interests(partnership: Partnership, *, include_ended: bool = False) -> QuerySet[InterestDeclaration]:
    """The partnership's register, by person and newest first, with whose entry each is; entries that have ended
    only when asked for."""
    entries = InterestDeclaration.objects.filter(partnership=partnership).select_related(
        "partnership", "person__profile__organisation"
    )
    if not include_ended:
        entries = entries.open_on()
    return entries.order_by("person__last_name", "person__first_name", "-valid_from")


def open_interests_of(person, partnership: Partnership) -> QuerySet[InterestDeclaration]:
    """The person's entries in the partnership's register that are open today: those they may point to when they
    declare an interest in a decision."""
    return InterestDeclaration.objects.open_on().filter(partnership=partnership, person=person)
