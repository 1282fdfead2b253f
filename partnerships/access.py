"""Who may see and do what in a partnership. Every app derives access to its records from these functions.

Roles are django-guardian permissions granted on a partnership (`PartnershipRole`). Someone with no role in a
partnership cannot see it: they get 404, the same answer as for a record that does not exist. Someone who can see
it but whose roles do not allow an action gets 403. A page asks `can(user, partnership, action)` before it offers
a change; the service behind it calls `authorize`, built on the same `can`, so the two never disagree
(partnerships/tests/test_rules.py).
"""

from enum import StrEnum

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404

from .models import Agreement, Delegation, Membership, Organisation, Partnership, PartnershipRole, Role


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
    """Whether the user's roles in the partnership allow `action`: what a page asks before offering a change."""
    return bool(roles_in(user, partnership) & ROLES_ALLOWED[action])


def authorize(user, partnership: Partnership, action: Action) -> None:
    """`can` for the services: 404 if the user cannot see the partnership, 403 if they can but may not `action`."""
    if not roles_in(user, partnership):
        raise Http404("No such partnership.")
    if not can(user, partnership, action):
        raise PermissionDenied(f"Your role does not allow you to {action} in {partnership.name}.")


def partnerships_visible_to(user) -> QuerySet[Partnership]:
    """The partnerships the user has a role in (every one, for a service administrator)."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=PartnershipRole.objects.filter(user=user).values("content_object_id"))


def get_partnership_for_user(user, code: str, action: Action = Action.VIEW) -> Partnership:
    """A partnership by its code, or 404 if there is none the user can see, 403 if they may not `action` there."""
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


def get_organisation_for_user(user, pk: int, *, change: bool = False) -> Organisation:
    """An organisation of a partnership the user can see, or 404; with `change`, 403 unless the user may change its
    shared record (`can_change_organisation_record`)."""
    organisation = organisations_visible_to(user).filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation.")
    if change:
        authorize_organisation_record_change(user, organisation)
    return organisation


def partnerships_managed_by(user) -> QuerySet[Partnership]:
    """The partnerships the user leads (every one, for a service administrator)."""
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


def partnership_named_for_user(user, code, action: Action = Action.VIEW) -> Partnership:
    """The partnership a request names by its code (a create's `partnership`): 400 without a code, 404 if the user
    cannot see it, 403 if they may not `action` there."""
    if not code or not isinstance(code, str):
        raise ValidationError({"partnership": "Give the partnership's code, like QZZ."})
    return get_partnership_for_user(user, code, action)


# --- Shared records: an organisation and a person's profile belong to no one partnership ---------------------------


def can_change_organisation_record(user, organisation: Organisation) -> bool:
    """Whether the user may change an organisation's shared record (name, type, ODS code, postcode, dates).

    Partnerships list organisations; they do not own them. The record is shared by every partnership that lists
    the organisation, so no partnership role gives this right, not even for an organisation the lead added or
    created: only service administrators (and the ODS imports they and the management commands run) change it.
    Issue 15's organisation administrators will be added here, as "or one of the organisation's administrators".
    """
    return bool(user.is_authenticated and user.is_superuser)


def authorize_organisation_record_change(user, organisation: Organisation) -> None:
    """`can_change_organisation_record` for the services: 403 with the reason and whom to ask."""
    if not can_change_organisation_record(user, organisation):
        raise PermissionDenied(
            f"The record of {organisation.name} is shared by every partnership that lists it and is kept by "
            "the service administrators. Ask a service administrator to correct it."
        )


def other_partnerships_of(person, partnership: Partnership) -> QuerySet[Partnership]:
    """The partnerships other than `partnership` in which the person holds a role."""
    return Partnership.objects.filter(role_grants__user=person).exclude(pk=partnership.pk).distinct()


def can_change_persons_organisation(user, partnership: Partnership, person) -> bool:
    """Whether the user may change which organisation the person works for, acting in `partnership`.

    A person has one profile organisation, and it decides whom they may sign for in every partnership. Until
    that is recorded per partnership (issue 15, affiliation per partnership), a lead may change it only for
    someone who acts in the lead's partnership alone; a service administrator may change anyone's.
    """
    if user.is_authenticated and user.is_superuser:
        return True
    if not can(user, partnership, Action.MANAGE):
        return False
    return not other_partnerships_of(person, partnership).exists()


def authorize_persons_organisation_change(user, partnership: Partnership, person) -> None:
    """`can_change_persons_organisation` for the services: 400 on the organisation, naming the other partnerships
    only where the user can see them."""
    if can_change_persons_organisation(user, partnership, person):
        return
    others = other_partnerships_of(person, partnership)
    visible = list(others.filter(pk__in=partnerships_visible_to(user)).order_by("name").values_list("name", flat=True))
    where = " and ".join(visible) if len(visible) == others.count() else "another partnership"
    raise ValidationError(
        {
            "organisation": f"{person.display_name} also acts in {where}; which organisation "
            "they represent there is not yours to change. Ask a service administrator to change it."
        }
    )


# --- Records belonging to a partnership, and who holds which role -------------------------------------------------


def in_visible_partnerships(queryset: QuerySet, user) -> QuerySet:
    """The records of `queryset` (with a `partnership` field) that belong to partnerships the user can see."""
    return queryset.filter(partnership__in=partnerships_visible_to(user))


def memberships_visible_to(user) -> QuerySet[Membership]:
    """Which organisations belong to the partnerships the user can see, and since when."""
    return in_visible_partnerships(Membership.objects.all(), user)


def get_membership_for_user(user, pk: int, action: Action = Action.VIEW) -> Membership:
    """A membership, or 404/403 as for its partnership: the lead records a change to it."""
    return get_in_partnership_for_user(Membership.objects.select_related("organisation"), user, action, pk=pk)


def delegations_visible_to(user) -> QuerySet[Delegation]:
    """Who may sign for which organisation, in the partnerships the user can see."""
    return in_visible_partnerships(Delegation.objects.all(), user)


def get_delegation_for_user(user, pk: int, action: Action = Action.VIEW) -> Delegation:
    """A delegation, or 404/403 as for its partnership: the lead records and changes delegations."""
    return get_in_partnership_for_user(
        Delegation.objects.select_related("organisation", "delegate"), user, action, pk=pk
    )


def agreements_visible_to(user) -> QuerySet[Agreement]:
    """The agreements between partners in the partnerships the user can see."""
    return in_visible_partnerships(Agreement.objects.all(), user)


def get_agreement_for_user(user, pk: int, action: Action = Action.VIEW) -> Agreement:
    """An agreement (and its document), or 404/403 as for its partnership: everyone in it reads, the lead changes."""
    return get_in_partnership_for_user(Agreement.objects.all(), user, action, pk=pk)


def role_grants_visible_to(user) -> QuerySet[PartnershipRole]:
    """Who holds which role, in the partnerships the user can see."""
    return PartnershipRole.objects.filter(
        content_object__in=partnerships_visible_to(user), permission__codename__in=Role.values
    )


def get_role_grant_for_user(user, pk: int, action: Action = Action.VIEW) -> PartnershipRole:
    """One person's role in a partnership, or 404/403 as for the partnership: the lead grants and revokes roles."""
    grant = (
        PartnershipRole.objects.filter(pk=pk, permission__codename__in=Role.values)
        .select_related("content_object", "permission", "user__profile__organisation")
        .first()
    )
    if grant is None:
        raise Http404("No such role.")
    authorize(user, grant.content_object, action)
    return grant


def people_visible_to(user) -> QuerySet:
    """People with a role in a partnership the user can see: whom they may name as a delegate or give a role."""
    return get_user_model().objects.filter(pk__in=role_grants_visible_to(user).values("user_id"))
