"""People as other records' lists show them: a decision's proposer, a risk's owner."""

from django.db.models import Prefetch, QuerySet

from core.models import User


def people() -> QuerySet[User]:
    """People with their profile's organisation, never their password hashes."""
    return User.objects.select_related("profile__organisation").defer("password")


def person_prefetch(lookup: str) -> Prefetch:
    """The person at `lookup` (`"proposer"`, `"owner"`) with their organisation, in one query of its own for a whole
    list. Joined into the list's own query, a person and their organisation are three more tables: the register's
    query reached eight, and PostgreSQL spent 16 ms planning it for 2 ms of work (the risks API's: 37 ms for 44)."""
    return Prefetch(lookup, queryset=people())
