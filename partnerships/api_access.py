"""Record sets the API needs beyond `access.py`, each built only from `partnerships_visible_to`.

Lists answer only what the user may see, and an id in a request must name a record the user may see; these are
those scopes. They could move into `access.py` when the pages need them too.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .access import partnerships_visible_to
from .models import PartnershipRole, Role


def in_visible_partnerships(queryset: QuerySet, user) -> QuerySet:
    """The records of `queryset` (with a `partnership` field) that belong to partnerships the user can see."""
    return queryset.filter(partnership__in=partnerships_visible_to(user))


def role_grants_visible_to(user) -> QuerySet[PartnershipRole]:
    """Who holds which role, in the partnerships the user can see."""
    return PartnershipRole.objects.filter(
        content_object__in=partnerships_visible_to(user), permission__codename__in=Role.values
    )


def people_visible_to(user) -> QuerySet:
    """People with a role in a partnership the user can see: whom they may name as a delegate or give a role."""
    return get_user_model().objects.filter(pk__in=role_grants_visible_to(user).values("user_id"))
