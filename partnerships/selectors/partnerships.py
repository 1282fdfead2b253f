"""Reads for the partnerships pages. Each page's data comes in a fixed number of queries, whatever its size."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.history import field_label, shown_value

from ..access import (
    administrators_of,
    can_change_organisation_record,
    organisations_administered_by,
    partnerships_visible_to,
    sees_administration,
)
from ..models import (
    Agreement,
    CorrectionStatus,
    Delegation,
    Membership,
    Organisation,
    OrganisationCorrection,
    OrganisationKind,
    OrganisationRole,
    Partnership,
    PartnershipRole,
    Role,
)
from ..services import ORGANISATION_FIELDS

ROLE_ORDER = {role.value: position for position, role in enumerate(Role)}
KIND_ORDER = {kind.value: position for position, kind in enumerate(OrganisationKind)}


def role_labels(codenames) -> list[str]:
    """Role labels in the order of `Role` (lead first), whatever order the database gave."""
    return [Role(codename).label for codename in sorted(set(codenames), key=ROLE_ORDER.__getitem__)]


def my_partnerships(user) -> list[Partnership]:
    """The partnerships the user can see, each with `member_count` and `my_roles` (labels)."""
    partnerships = list(partnerships_visible_to(user).with_member_counts().order_by("name"))
    grants: dict[int, list[str]] = {}
    for partnership_id, codename in PartnershipRole.objects.filter(user=user).values_list(
        "content_object_id", "permission__codename"
    ):
        grants.setdefault(partnership_id, []).append(codename)
    for partnership in partnerships:
        partnership.my_roles = role_labels(grants.get(partnership.pk, []))
    return partnerships


def my_organisations(user) -> list[Organisation]:
    """The organisations the user administers, each with what awaits its administrators: `delegations_to_confirm`
    (in force or starting later) and `corrections_to_answer`. Two queries however many."""
    today = timezone.localdate()
    return list(
        organisations_administered_by(user)
        .annotate(
            delegations_to_confirm=Count(
                "delegations",
                filter=Q(delegations__confirmed_at__isnull=True)
                & (Q(delegations__valid_to__isnull=True) | Q(delegations__valid_to__gte=today)),
                distinct=True,
            ),
            corrections_to_answer=Count(
                "corrections", filter=Q(corrections__status=CorrectionStatus.PENDING), distinct=True
            ),
        )
        .order_by("name")
    )


def role_values_of(partnership: Partnership, user) -> list[str]:
    """The roles `user` holds in the partnership (not the roles a superuser is treated as holding)."""
    codenames = PartnershipRole.objects.filter(content_object=partnership, user=user).values_list(
        "permission__codename", flat=True
    )
    return sorted(codenames, key=ROLE_ORDER.__getitem__)


@dataclass
class Person:
    user: object
    profile: object | None
    roles: list[str] = field(default_factory=list)
    role_values: set[str] = field(default_factory=set)

    affiliation: Organisation | None = None
    affiliation_confirmed: bool = False
    affiliation_awaits: bool = False  # unconfirmed, and the organisation has administrators to confirm it

    @property
    def organisation(self):
        return self.profile.organisation if self.profile else None


def people_of(partnership: Partnership) -> list[Person]:
    """Everyone with a role in the partnership, with their profile and roles, ordered by surname."""
    people: dict[int, Person] = {}
    grants = (
        PartnershipRole.objects.filter(content_object=partnership)
        .select_related("user__profile__organisation", "permission", "organisation")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    for grant in grants:
        person = people.setdefault(
            grant.user_id,
            Person(
                user=grant.user,
                profile=getattr(grant.user, "profile", None),
                affiliation=grant.organisation,
                affiliation_confirmed=grant.organisation_confirmed_at is not None,
            ),
        )
        person.role_values.add(grant.permission.codename)
    kept = set(
        OrganisationRole.objects.filter(
            content_object_id__in={person.affiliation.pk for person in people.values() if person.affiliation}
        ).values_list("content_object_id", flat=True)
    )
    for person in people.values():
        person.roles = role_labels(person.role_values)
        person.affiliation_awaits = bool(
            person.affiliation and not person.affiliation_confirmed and person.affiliation.pk in kept
        )
    return list(people.values())


@dataclass
class Overview:
    partnership: Partnership
    member_groups: list[tuple[str, list[Membership]]]
    former_members: list[Membership]
    people: list[Person]
    delegations_in_force: list[Delegation]
    delegations_not_in_force: list[Delegation]
    agreements: list[Agreement]

    @property
    def member_count(self) -> int:
        return sum(len(memberships) for _, memberships in self.member_groups)

    @property
    def agreements_needing_review(self) -> list[Agreement]:
        return [agreement for agreement in self.agreements if agreement.review_state()]


def with_parties(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Agreements with their parties in name order, fetched in one more query however many agreements there are."""
    return agreements.prefetch_related(Prefetch("parties", queryset=Organisation.objects.order_by("name")))


def partnership_overview(partnership: Partnership) -> Overview:
    """Members by type, people and roles, delegations and agreements: six queries for any size of partnership."""
    today = timezone.localdate()
    memberships = list(
        Membership.objects.filter(partnership=partnership)
        .select_related("organisation")
        .order_by("organisation__name", "-joined_on")
    )
    former = [membership for membership in memberships if membership.has_left(today)]
    groups: dict[str, list[Membership]] = {}
    for membership in memberships:
        if not membership.has_left(today):
            groups.setdefault(membership.organisation.kind, []).append(membership)
    delegations = list(
        Delegation.objects.filter(partnership=partnership).select_related("partnership", "organisation", "delegate")
    )
    agreements = list(with_parties(Agreement.objects.filter(partnership=partnership)))
    return Overview(
        partnership=partnership,
        member_groups=[
            (OrganisationKind(kind).label, groups[kind]) for kind in sorted(groups, key=KIND_ORDER.__getitem__)
        ],
        former_members=former,
        people=people_of(partnership),
        delegations_in_force=[d for d in delegations if d.in_force_on(today)],
        delegations_not_in_force=[d for d in delegations if not d.in_force_on(today)],
        agreements=agreements,
    )


@dataclass
class Representatives:
    """The people who represent an organisation in one partnership, each with one of their roles there (all of a
    person's roles in a partnership carry the same affiliation and confirmation)."""

    partnership: Partnership
    grants: list[PartnershipRole]


@dataclass
class Administration:
    """How an organisation is kept, for its administrators and the service administrators."""

    listings: list[Membership]
    delegations: list[Delegation]
    representatives: list[Representatives]
    corrections: list[OrganisationCorrection]


@dataclass
class OrganisationPage:
    organisation: Organisation
    memberships: list[Membership]
    delegations: list[Delegation]
    agreements: list[Agreement]
    people: list[tuple[object, list[tuple[Partnership, list[str]]]]]
    administrators: list
    may_change_record: bool
    administration: Administration | None = None


def organisation_page(user, organisation: Organisation) -> OrganisationPage:
    """An organisation as the user may see it: only what belongs to partnerships they can see; and, for its
    administrators and the service administrators, how it is kept in every partnership. A fixed number of queries."""
    visible = partnerships_visible_to(user)
    today = timezone.localdate()
    memberships = list(
        organisation.memberships.filter(partnership__in=visible)
        .select_related("partnership")
        .order_by("partnership__name", "-joined_on")
    )
    delegations = list(
        organisation.delegations.filter(partnership__in=visible)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("partnership", "delegate")
        .order_by("partnership__name", "-valid_from")
    )
    agreements = list(
        organisation.agreements.filter(partnership__in=visible)
        .select_related("partnership")
        .order_by("partnership__name", "title")
    )
    grants = (
        PartnershipRole.objects.filter(user__profile__organisation=organisation, content_object__in=visible)
        .select_related("user__profile", "content_object", "permission")
        .order_by("user__last_name", "user__first_name", "content_object__name")
    )
    people: dict[int, tuple[object, dict[int, tuple[Partnership, list[str]]]]] = {}
    for grant in grants:
        _, by_partnership = people.setdefault(grant.user_id, (grant.user, {}))
        by_partnership.setdefault(grant.content_object_id, (grant.content_object, []))[1].append(
            grant.permission.codename
        )
    return OrganisationPage(
        organisation=organisation,
        memberships=memberships,
        delegations=delegations,
        agreements=agreements,
        people=[
            (person, [(partnership, role_labels(codes)) for partnership, codes in by_partnership.values()])
            for person, by_partnership in people.values()
        ],
        administrators=list(administrators_of(organisation)),
        may_change_record=can_change_organisation_record(user, organisation),
        administration=organisation_administration(organisation) if sees_administration(user, organisation) else None,
    )


def organisation_administration(organisation: Organisation) -> Administration:
    """Every partnership that lists the organisation (whether or not the reader has a role there), all its
    delegations, who represents it where, and the corrections awaiting an answer: four queries."""
    listings = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("partnership")
        .order_by("partnership__name", "-joined_on")
    )
    delegations = list(
        Delegation.objects.filter(organisation=organisation)
        .select_related("partnership", "delegate", "confirmed_by")
        .order_by("partnership__name", "-valid_from", "pk")
    )
    today = timezone.localdate()
    for delegation in delegations:
        delegation.organisation = organisation
        delegation.has_ended = delegation.valid_to is not None and delegation.valid_to < today
    representatives: dict[int, Representatives] = {}
    seen: set[tuple[int, int]] = set()
    for grant in (
        PartnershipRole.objects.filter(organisation=organisation)
        .select_related("content_object", "user", "organisation_confirmed_by")
        .order_by("content_object__name", "user__last_name", "user__first_name", "user__username", "pk")
    ):
        if (grant.content_object_id, grant.user_id) in seen:
            continue
        seen.add((grant.content_object_id, grant.user_id))
        representatives.setdefault(
            grant.content_object_id, Representatives(partnership=grant.content_object, grants=[])
        ).grants.append(grant)
    corrections = list(
        OrganisationCorrection.objects.filter(organisation=organisation, status=CorrectionStatus.PENDING)
        .select_related("partnership", "proposed_by")
        .order_by("created_at", "pk")
    )
    for correction in corrections:
        correction.organisation = organisation
        correction.rows = correction_rows(correction)
    return Administration(
        listings=listings,
        delegations=delegations,
        representatives=list(representatives.values()),
        corrections=corrections,
    )


def correction_rows(correction: OrganisationCorrection) -> list[tuple[str, str, str]]:
    """A correction's changes as a reader sees them: (detail, as it stands, as proposed), in the record's order, in
    the words the record's history uses."""

    def shown(name, value) -> str:
        return shown_value(Organisation, name, value) or "Not recorded"

    return [
        (field_label(Organisation, name), shown(name, current), shown(name, proposed))
        for name, (current, proposed) in sorted(
            correction.changes.items(), key=lambda item: _FIELD_ORDER.get(item[0], len(_FIELD_ORDER))
        )
    ]


_FIELD_ORDER = {name: position for position, name in enumerate(ORGANISATION_FIELDS)}
