"""Who may see and do what in a partnership. Every app derives access to its records from these functions.

Roles are django-guardian permissions granted on a partnership (`PartnershipRole`). Someone with no role in a
partnership cannot see it: they get 404, the same answer as for a record that does not exist. Someone who can see
it but whose roles do not allow an action gets 403.
"""

from enum import StrEnum

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Organisation, Partnership, PartnershipRole, Role


class Action(StrEnum):
    VIEW = "view"  # read anything in the partnership that is not confidential to a narrower group
    CONTRIBUTE = "contribute"  # log engagement, raise challenges, propose decisions, join work-streams
    MANAGE = "manage"  # members, roles, delegations, agreements: the partnership lead only


ROLES_ALLOWED = {
    Action.VIEW: frozenset(Role.values),
    Action.CONTRIBUTE: frozenset({Role.LEAD, Role.BOARD_MEMBER, Role.NON_EXECUTIVE, Role.MEMBER}),
    Action.MANAGE: frozenset({Role.LEAD}),
}


def roles_in(user, partnership: Partnership) -> frozenset[str]:
    """The user's roles in the partnership, looked up once per request and user."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return frozenset(Role.values)
    cache = user.__dict__.setdefault("_partnership_roles", {})
    if partnership.pk not in cache:
        cache[partnership.pk] = frozenset(
            PartnershipRole.objects.filter(user=user, content_object_id=partnership.pk).values_list(
                "permission__codename", flat=True
            )
        )
    return cache[partnership.pk]


def forget_roles(user) -> None:
    """Drop the per-request cache after roles change, so the same request sees the change."""
    user.__dict__.pop("_partnership_roles", None)


def can(user, partnership: Partnership, action: Action) -> bool:
    return bool(roles_in(user, partnership) & ROLES_ALLOWED[action])


def authorize(user, partnership: Partnership, action: Action) -> None:
    """Raise 404 if the user cannot see the partnership, 403 if they can but may not do `action`."""
    roles = roles_in(user, partnership)
    if not roles:
        raise Http404("No such partnership.")
    if not roles & ROLES_ALLOWED[action]:
        raise PermissionDenied(f"Your role does not allow you to {action} in {partnership.name}.")


def partnerships_visible_to(user) -> QuerySet[Partnership]:
    if not user.is_authenticated:
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=PartnershipRole.objects.filter(user=user).values("content_object_id"))


def get_partnership_for_user(user, code: str, action: Action = Action.VIEW) -> Partnership:
    partnership = Partnership.objects.filter(code=code).first()
    if partnership is None:
        raise Http404("No such partnership.")
    authorize(user, partnership, action)
    return partnership


def get_in_partnership_for_user(queryset: QuerySet, user, action: Action = Action.VIEW, **lookup):
    """A record belonging to a partnership (through its `partnership` field), or 404/403 as for the partnership.

    Apps call this for their children: `get_in_partnership_for_user(Decision.objects, user, pk=pk)`.
    """
    record = queryset.select_related("partnership").filter(**lookup).first()
    if record is None:
        raise Http404("Not found.")
    authorize(user, record.partnership, action)
    return record


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Organisations that are, or were, members of a partnership the user can see."""
    if user.is_authenticated and user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__partnership__in=partnerships_visible_to(user)).distinct()


def get_organisation_for_user(user, pk: int) -> Organisation:
    organisation = organisations_visible_to(user).filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation.")
    return organisation


def partnerships_managed_by(user) -> QuerySet[Partnership]:
    if user.is_authenticated and user.is_superuser:
        return Partnership.objects.all()
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(role_grants__user=user, role_grants__permission__codename=Role.LEAD)


def organisations_of(partnership: Partnership) -> QuerySet[Organisation]:
    """Organisations that are, or were, members of the partnership."""
    return Organisation.objects.filter(memberships__partnership=partnership).distinct()


def get_member_organisation_for_user(user, partnership: Partnership, pk: int, action: Action = Action.VIEW):
    """An organisation of the partnership, or 404/403 as for the partnership; 404 for any other organisation."""
    authorize(user, partnership, action)
    organisation = organisations_of(partnership).filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation in this partnership.")
    return organisation


def people_in(partnership: Partnership) -> QuerySet:
    """Everyone holding at least one role in the partnership."""
    return get_user_model().objects.filter(partnershiprole__content_object=partnership).distinct()


def get_person_for_user(user, partnership: Partnership, pk: int, action: Action = Action.VIEW):
    """A person with a role in the partnership, or 404/403 as for the partnership; 404 for anyone else."""
    authorize(user, partnership, action)
    person = people_in(partnership).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person in this partnership.")
    return person
