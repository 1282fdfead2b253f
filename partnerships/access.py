"""Who may see and do what in a partnership. Every app derives access to its records from these functions.

Roles are django-guardian permissions granted on a partnership (`PartnershipRole`). Someone with no role in a
partnership cannot see it: they get 404, the same answer as for a record that does not exist. Someone who can see
it but whose roles do not allow an action gets 403. A page asks `can(user, partnership, action)` before it offers
a change; the service behind it calls `authorize`, built on the same `can`, so the two never disagree
(partnerships/tests/test_rules.py).
"""

from collections.abc import Iterable
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.models import AuditEvent

from .models import (
    Agreement,
    Delegation,
    Membership,
    Organisation,
    OrganisationCorrection,
    OrganisationRole,
    Partnership,
    PartnershipRole,
    Role,
)


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
    """Organisations that are, or were, members of a partnership the user can see, and those the user administers."""
    if user.is_authenticated and user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        Q(memberships__partnership__in=partnerships_visible_to(user)) | Q(pk__in=administered_ids(user))
    ).distinct()


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


# --- Shared records: organisations keep their own, through their administrators --------------------------------------

# Fields of an organisation's record that come from the NHS reference data (ODS): only the service administrators
# and the ODS imports change them. The organisation's administrators keep the rest.
ORGANISATION_REFERENCE_FIELDS = frozenset({"ods_code", "postcode"})
ORGANISATION_ADMINISTRATOR = "partnerships.administer"


def organisations_administered_by(user) -> QuerySet[Organisation]:
    """The organisations whose administrator the user is (board or company secretary, governance team)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(administrator_grants__user=user).distinct()


def administered_ids(user) -> frozenset[int]:
    """The ids of the organisations the user administers, looked up once per request and user (none for the
    system actor of management commands and jobs)."""
    if not user.is_authenticated or user.pk is None:
        return frozenset()
    cache = user.__dict__
    if "_administered" not in cache:
        cache["_administered"] = frozenset(
            OrganisationRole.objects.filter(user=user).values_list("content_object_id", flat=True)
        )
    return cache["_administered"]


def forget_administered(user) -> None:
    user.__dict__.pop("_administered", None)


def administers(user, organisation: Organisation | int | None) -> bool:
    """Whether the user is one of the organisation's administrators."""
    if organisation is None:
        return False
    return (organisation if isinstance(organisation, int) else organisation.pk) in administered_ids(user)


def has_administrators(organisation: Organisation) -> bool:
    return OrganisationRole.objects.filter(content_object=organisation).exists()


def administrators_of(organisation: Organisation) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(organisationrole__content_object=organisation)
        .order_by("last_name", "first_name", "username")
    )


def can_change_organisation_record(user, organisation: Organisation, fields=()) -> bool:
    """Whether the user may change an organisation's shared record (or, given `fields`, those fields of it).

    Partnerships list organisations; they do not own them. The record is shared by every partnership that lists
    the organisation, so no partnership role gives this right, not even for an organisation the lead added or
    created: the organisation's own administrators keep it, and the service administrators keep the reference
    fields from the NHS data (`ORGANISATION_REFERENCE_FIELDS`) and any record without administrators.
    A lead proposes a correction instead (`can_propose_correction`).
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return administers(user, organisation) and not (set(fields) & ORGANISATION_REFERENCE_FIELDS)


def authorize_organisation_record_change(user, organisation: Organisation, fields=()) -> None:
    """`can_change_organisation_record` for the services: 403 with the reason and whom to ask."""
    if can_change_organisation_record(user, organisation, fields):
        return
    if administers(user, organisation):
        raise PermissionDenied(
            "The ODS code and postcode come from the NHS reference data and are kept by the service "
            "administrators. Ask a service administrator to correct them."
        )
    raise PermissionDenied(
        f"The record of {organisation.name} is shared by every partnership that lists it and is kept by "
        "the organisation's administrators. Propose a correction instead, from your partnership's page."
    )


def can_appoint_organisation_administrator(user, organisation: Organisation) -> bool:
    """A service administrator appoints an organisation's first administrator; its administrators appoint others."""
    return bool(user.is_authenticated and (user.is_superuser or administers(user, organisation)))


def can_propose_correction(user, organisation: Organisation, partnership: Partnership) -> bool:
    """The lead of a partnership that lists the organisation may propose a correction to its record."""
    return can(user, partnership, Action.MANAGE) and organisations_of(partnership).filter(pk=organisation.pk).exists()


def can_answer_correction(user, correction) -> bool:
    """The organisation's administrators accept or decline a proposed correction; a service administrator may
    too, as for any change to the record."""
    return correction.is_pending and can_change_organisation_record(
        user, correction.organisation, correction.changes.keys()
    )


# --- Delegations: recorded by the lead or the organisation, confirmed only by the organisation ----------------------


def can_record_delegation(user, partnership: Partnership, organisation: Organisation | None = None) -> bool:
    """The partnership's lead records delegations for any member; an organisation's administrators record them for
    their own organisation (or, without `organisation`, for any they administer that is a current member)."""
    if can(user, partnership, Action.MANAGE):
        return True
    if organisation is not None:
        return administers(user, organisation)
    return (
        Membership.objects.current()
        .filter(partnership=partnership, organisation_id__in=administered_ids(user))
        .exists()
    )


def partnership_for_delegation(user, code) -> Partnership:
    """The partnership a new delegation names by code: 400 without one, 404 unless the user can see it or
    administers one of its member organisations, 403 unless they may record delegations there."""
    if not code or not isinstance(code, str):
        raise ValidationError({"partnership": "Give the partnership's code, like QZZ."})
    partnership = Partnership.objects.filter(code=code).first()
    if partnership is None or not (roles_in(user, partnership) or can_record_delegation(user, partnership)):
        raise Http404("No such partnership.")
    if not can_record_delegation(user, partnership):
        raise PermissionDenied(
            "Only the partnership's lead, or the organisation's own administrators, record its delegations."
        )
    return partnership


def can_change_delegation(user, delegation: Delegation) -> bool:
    """Once the organisation has confirmed a delegation, only its administrators change or end it; before, the
    partnership's lead may too."""
    if administers(user, delegation.organisation_id):
        return True
    return not delegation.is_confirmed and can(user, delegation.partnership, Action.MANAGE)


def authorize_delegation_change(user, delegation: Delegation) -> None:
    if not can_change_delegation(user, delegation):
        raise PermissionDenied(
            f"{delegation.organisation.name} has confirmed this delegation: only its administrators change or end "
            "it now."
            if delegation.is_confirmed
            else "Only the partnership's lead or the organisation's administrators change this delegation."
        )


def can_confirm_delegation(user, delegation: Delegation) -> bool:
    """Only the organisation's own administrators confirm a delegation against its scheme of delegation."""
    return not delegation.is_confirmed and administers(user, delegation.organisation_id)


# --- Affiliations: whom a person represents in a partnership ---------------------------------------------------------


def can_confirm_affiliation(user, organisation: Organisation | int | None) -> bool:
    """The organisation's administrators confirm (or decline) that a person represents it in a partnership."""
    return administers(user, organisation)


def other_partnerships_of(person, partnership: Partnership) -> QuerySet[Partnership]:
    """The partnerships other than `partnership` in which the person holds a role."""
    return Partnership.objects.filter(role_grants__user=person).exclude(pk=partnership.pk).distinct()


def can_change_profile(user, partnership: Partnership, person) -> bool:
    """Whether the user, acting in `partnership`, may change the person's own profile (where they work, their job
    title, whether they are a clinician). Whom a person represents is recorded per partnership and is each lead's
    to set; the profile is theirs everywhere, so a lead changes it only for someone who acts in no other
    partnership. A service administrator may change anyone's."""
    if user.is_authenticated and user.is_superuser:
        return True
    return can(user, partnership, Action.MANAGE) and not other_partnerships_of(person, partnership).exists()


def can_reset_second_factor(user, partnership: Partnership, person) -> bool:
    """Whether the user, acting in `partnership`, may reset the person's second factor (a lost phone). Like the
    profile, the second factor is the person's everywhere, so a lead resets it only for someone who acts in no other
    partnership (else one partnership's lead could weaken an account another relies on); a service administrator
    may reset anyone's. Never one's own: that is "Move to a new phone" on the Sign-in security page."""
    return user.pk != person.pk and can_change_profile(user, partnership, person)


def authorize_second_factor_reset(user, partnership: Partnership, person) -> None:
    if not can_reset_second_factor(user, partnership, person):
        raise PermissionDenied(
            "Only the partnership lead of someone who acts in no other partnership, or a service administrator, can "
            "reset their second factor. Ask a service administrator."
        )


SIGNATORY_ROLES = (Role.LEAD, Role.BOARD_MEMBER, Role.NON_EXECUTIVE)


def must_use_second_factor(user) -> bool:
    """Whom the service requires to sign in with a second factor (SECOND_FACTOR_REQUIRED_FOR): staff, anyone who
    leads a partnership or sits on its board (they sign or route decisions), an organisation administrator (they
    keep schemes of delegation), and anyone named in a delegation in force or starting later."""
    if user.is_staff or user.is_superuser:
        return True
    if PartnershipRole.objects.filter(user=user, permission__codename__in=SIGNATORY_ROLES).exists():
        return True
    if OrganisationRole.objects.filter(user=user).exists():
        return True
    today = timezone.localdate()
    return Delegation.objects.filter(delegate=user).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).exists()


# --- The audit trail ----------------------------------------------------------------------------------------------


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """The audit events the user may read, on the history pages and in the API. A partnership's lead reads every
    event recorded in its history (`partnership_id`): the lead already sees every record of the partnership,
    confidential decisions included, so nothing is redacted for them. A service administrator reads every event.
    An organisation's administrator reads the changes to their organisation (`events_about_organisations`): all of
    them records of this layer, so no event about a decision or a risk, and no confidential text, reaches them.
    Nobody else reads the audit trail: each record's own history is on its page."""
    if not user.is_authenticated:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("actor", "target_type")
    if user.is_superuser:
        return events
    led = Q(partnership_id__in=partnerships_managed_by(user).values("pk"))
    administered = administered_ids(user)
    return events.filter(led | events_about_organisations(administered) if administered else led)


def get_audit_event_for_user(user, pk: int) -> AuditEvent:
    """One event the user may read, or 404: the same answer as for one that does not exist."""
    event = audit_events_visible_to(user).filter(pk=pk).first()
    if event is None:
        raise Http404("No such audit event.")
    return event


def events_about_organisations(organisation_ids: Iterable[int]) -> Q:
    """Events about the organisations: their record, delegations, memberships and corrections, and the affiliations
    of people to them (named in the event's changes, or confirmed for someone who represents one now)."""
    ids = list(organisation_ids)
    kind = ContentType.objects.get_for_model
    named = Q(changes__organisation__0__in=ids) | Q(changes__organisation__1__in=ids)
    return (
        Q(target_type=kind(Organisation), target_id__in=ids)
        | Q(target_type=kind(Delegation), target_id__in=Delegation.objects.filter(organisation_id__in=ids).values("pk"))
        | Q(target_type=kind(Membership), target_id__in=Membership.objects.filter(organisation_id__in=ids).values("pk"))
        | Q(
            target_type=kind(OrganisationCorrection),
            target_id__in=OrganisationCorrection.objects.filter(organisation_id__in=ids).values("pk"),
        )
        | Q(named, target_type__in=[kind(Delegation), kind(get_user_model())])
        | Q(
            action="affiliation.confirmed",
            target_type=kind(get_user_model()),
            target_id__in=PartnershipRole.objects.filter(organisation_id__in=ids).values("user_id"),
        )
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
    """Who may sign for which organisation, in the partnerships the user can see, and every delegation of the
    organisations the user administers."""
    if user.is_authenticated and user.is_superuser:
        return Delegation.objects.all()
    return Delegation.objects.filter(
        Q(partnership__in=partnerships_visible_to(user)) | Q(organisation_id__in=administered_ids(user))
    )


def get_delegation_for_user(user, pk: int, *, change: bool = False) -> Delegation:
    """A delegation the user can see, or 404; with `change`, 403 unless they may change it
    (`can_change_delegation`)."""
    delegation = (
        delegations_visible_to(user).select_related("partnership", "organisation", "delegate").filter(pk=pk).first()
    )
    if delegation is None:
        raise Http404("No such delegation.")
    if change:
        authorize_delegation_change(user, delegation)
    return delegation


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


# --- The API of sovereign organisations: their administrators, and whom their people represent ---------------------


def organisation_administrators_visible_to(user) -> QuerySet[OrganisationRole]:
    """Who administers which organisation, for the organisations the user can see."""
    return OrganisationRole.objects.filter(content_object__in=organisations_visible_to(user))


def get_organisation_administrator_for_user(user, pk: int) -> OrganisationRole:
    """One administrator of an organisation the user can see, or 404; who may remove them is the service's to say."""
    grant = organisation_administrators_visible_to(user).select_related("content_object", "user").filter(pk=pk).first()
    if grant is None:
        raise Http404("No such organisation administrator.")
    return grant


def corrections_visible_to(user) -> QuerySet[OrganisationCorrection]:
    """Proposed corrections: to the organisations the user administers, and those proposed from the partnerships they
    can see (every one, for a service administrator)."""
    if user.is_authenticated and user.is_superuser:
        return OrganisationCorrection.objects.all()
    return OrganisationCorrection.objects.filter(
        Q(organisation_id__in=administered_ids(user)) | Q(partnership__in=partnerships_visible_to(user))
    )


def get_correction_for_user(user, pk: int) -> OrganisationCorrection:
    """A proposed correction the user can see, or 404 (to answer one: `get_correction_to_answer_for_user`)."""
    correction = (
        corrections_visible_to(user).select_related("organisation", "partnership", "proposed_by").filter(pk=pk).first()
    )
    if correction is None:
        raise Http404("No such correction.")
    return correction


def roles_and_affiliations_visible_to(user) -> QuerySet[PartnershipRole]:
    """Roles in the partnerships the user can see, and the roles of those who represent an organisation the user
    administers, wherever they hold them: whose affiliation its administrators confirm."""
    return PartnershipRole.objects.filter(
        Q(content_object__in=partnerships_visible_to(user)) | Q(organisation_id__in=administered_ids(user)),
        permission__codename__in=Role.values,
    )


def get_role_or_affiliation_for_user(user, pk: int) -> PartnershipRole:
    """One role and the affiliation it carries, as `roles_and_affiliations_visible_to` shows it, or 404."""
    grant = (
        roles_and_affiliations_visible_to(user)
        .select_related("content_object", "permission", "organisation", "user")
        .filter(pk=pk)
        .first()
    )
    if grant is None:
        raise Http404("No such role.")
    return grant


def people_known_to(user) -> QuerySet:
    """People the user may name in a request: those with a role in a partnership they can see, and the people of the
    organisations they administer (its administrators, its staff, and whoever represents it anywhere); anyone, for a
    service administrator, who appoints an organisation's first administrator."""
    people = get_user_model().objects.all()
    if user.is_authenticated and user.is_superuser:
        return people
    administered = administered_ids(user)
    return people.filter(
        Q(pk__in=role_grants_visible_to(user).values("user_id"))
        | Q(pk__in=PartnershipRole.objects.filter(organisation_id__in=administered).values("user_id"))
        | Q(pk__in=OrganisationRole.objects.filter(content_object_id__in=administered).values("user_id"))
        | Q(profile__organisation_id__in=administered)
    )


# --- The pages of an organisation's administrators -----------------------------------------------------------------


def sees_administration(user, organisation: Organisation) -> bool:
    """Whether the organisation's page shows how it is kept (every partnership listing it, its delegations, who
    represents it, proposed corrections): to its administrators and the service administrators, who keep it."""
    return can_appoint_organisation_administrator(user, organisation)


def get_administered_organisation_for_user(user, pk: int) -> Organisation:
    """An organisation for its administrators' pages (appointing and removing them, what awaits it): 404 unless the
    user can see it, 403 unless `sees_administration`."""
    organisation = get_organisation_for_user(user, pk)
    if not sees_administration(user, organisation):
        raise PermissionDenied(
            f"Only the administrators of {organisation.name}, or a service administrator, may do this."
        )
    return organisation


def get_delegation_to_confirm_for_user(user, pk: int) -> Delegation:
    """A delegation for one of the organisation's administrators to confirm: 404 unless the user can see it, 403
    unless they administer its organisation. Whether it still awaits confirmation is the service's to say."""
    delegation = get_delegation_for_user(user, pk)
    if not administers(user, delegation.organisation_id):
        raise PermissionDenied(f"Only the administrators of {delegation.organisation.name} confirm its delegations.")
    return delegation


def get_affiliation_to_answer_for_user(user, organisation_pk: int, code: str, person_pk: int) -> PartnershipRole:
    """A person's affiliation with an organisation in a partnership (one of their roles there, which carries it):
    404 unless the user can see the organisation and the person represents it in that partnership, 403 unless the
    user may confirm it (`can_confirm_affiliation`)."""
    organisation = get_organisation_for_user(user, organisation_pk)
    grant = (
        PartnershipRole.objects.filter(organisation=organisation, content_object__code=code, user_id=person_pk)
        .select_related("content_object", "user", "organisation")
        .order_by("pk")
        .first()
    )
    if grant is None:
        raise Http404("No such affiliation.")
    if not can_confirm_affiliation(user, organisation):
        raise PermissionDenied(f"Only the administrators of {organisation.name} confirm who represents it.")
    return grant


def get_correction_to_answer_for_user(user, pk: int) -> OrganisationCorrection:
    """A proposed correction for the user to accept or decline: 404 unless they can see it, 403 unless they may make
    its changes to the record. Whether it still awaits an answer is the service's to say."""
    correction = get_correction_for_user(user, pk)
    if not can_change_organisation_record(user, correction.organisation, correction.changes.keys()):
        raise PermissionDenied(
            f"Only the administrators of {correction.organisation.name} answer corrections to its record "
            "(a service administrator answers those to its ODS code and postcode)."
        )
    return correction


def authorize_correction_proposal(user, organisation: Organisation, partnership: Partnership) -> None:
    """`can_propose_correction` for the page and the service: 403 with the reason."""
    if not can_propose_correction(user, organisation, partnership):
        raise PermissionDenied(
            f"Only the lead of a partnership that lists {organisation.name} proposes corrections to its record."
        )


def can_propose_corrections_in(user, partnership: Partnership) -> bool:
    """`can_propose_correction` for every organisation the partnership lists at once, for its members list: the
    lead may, for each of them."""
    return can(user, partnership, Action.MANAGE)
