"""Every write to the partnerships app: pages, the API, the importer and the demo data all come through here.

Each service checks the actor's right to act, validates, writes in one transaction with its audit record, and
queues side effects (email) for after the commit.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from guardian.shortcuts import assign_perm, remove_perm

from core.audit import audit_record, changes_between, snapshot

from .access import Action, authorize, forget_roles
from .models import (
    Agreement,
    DecisionCategory,
    Delegation,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Profile,
    Role,
)

User = get_user_model()

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


def _full_clean(instance, *, exclude: list[str] | None = None) -> None:
    """Model validation (field validators and constraints) before writing, so bad input is a 400, not a 500."""
    instance.full_clean(exclude=exclude)


@transaction.atomic
def partnership_create(*, actor, **fields) -> Partnership:
    """Register a partnership: staff superusers (in the admin) and the importer only."""
    if not actor.is_superuser:
        raise PermissionDenied("Only the service administrators register partnerships.")
    partnership = Partnership(**fields)
    _full_clean(partnership)
    partnership.save()
    audit_record(
        actor=actor,
        action="partnership.created",
        target=partnership,
        summary=f"Registered {partnership}",
        partnership_id=partnership.pk,
    )
    return partnership


@transaction.atomic
def partnership_update(*, actor, partnership: Partnership, **fields) -> Partnership:
    """Change a partnership's public details (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    editable = ["name", "ons_code", "region", "population", "governance_form", "public_description"]
    before = snapshot(partnership, editable)
    for name, value in fields.items():
        if name not in editable:
            raise ValidationError({name: "This cannot be changed here."})
        setattr(partnership, name, value)
    _full_clean(partnership)
    partnership.save()
    audit_record(
        actor=actor,
        action="partnership.updated",
        target=partnership,
        summary=f"Changed the details of {partnership.name}",
        changes=changes_between(before, snapshot(partnership, editable)),
        partnership_id=partnership.pk,
    )
    return partnership


def _check_member_organisation(partnership: Partnership, organisation: Organisation, *, field: str) -> None:
    if not Membership.objects.current().filter(partnership=partnership, organisation=organisation).exists():
        raise ValidationError({field: f"{organisation} is not a current member of {partnership.name}."})


@transaction.atomic
def organisation_create(*, actor, partnership: Partnership, membership_kind: str, joined_on: date, **fields):
    """Add a new organisation to the register and make it a member of the partnership (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    organisation = Organisation(**fields)
    if organisation.ods_code == "":
        organisation.ods_code = None
    _full_clean(organisation)
    organisation.save()
    membership_add(
        actor=actor, partnership=partnership, organisation=organisation, kind=membership_kind, joined_on=joined_on
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor, partnership: Partnership, organisation: Organisation, **fields) -> Organisation:
    """Correct an organisation's details: the lead of a partnership it belongs to may do so."""
    authorize(actor, partnership, Action.MANAGE)
    if not organisation.memberships.filter(partnership=partnership).exists():
        raise ValidationError(f"{organisation} is not a member of {partnership.name}.")
    editable = ["ods_code", "name", "kind", "postcode", "opened_on", "closed_on"]
    before = snapshot(organisation, editable)
    for name, value in fields.items():
        if name not in editable:
            raise ValidationError({name: "This cannot be changed here."})
        setattr(organisation, name, None if name == "ods_code" and value == "" else value)
    _full_clean(organisation)
    organisation.save()
    audit_record(
        actor=actor,
        action="organisation.updated",
        target=organisation,
        summary=f"Changed the details of {organisation.name}",
        changes=changes_between(before, snapshot(organisation, editable)),
        partnership_id=partnership.pk,
    )
    return organisation


@transaction.atomic
def membership_add(
    *, actor, partnership: Partnership, organisation: Organisation, kind: str, joined_on: date
) -> Membership:
    """Make an organisation a member, associate or observer of the partnership (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    if Membership.objects.current(joined_on).filter(partnership=partnership, organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation} is already part of {partnership.name}."})
    membership = Membership(partnership=partnership, organisation=organisation, kind=kind, joined_on=joined_on)
    _full_clean(membership)
    membership.save()
    audit_record(
        actor=actor,
        action="membership.added",
        target=membership,
        summary=f"{organisation} joined {partnership.name} as {membership.get_kind_display().lower()}",
        partnership_id=partnership.pk,
    )
    return membership


@transaction.atomic
def membership_update(*, actor, membership: Membership, **fields) -> Membership:
    """Change a membership's kind or dates; setting `left_on` records that the organisation left (lead only)."""
    authorize(actor, membership.partnership, Action.MANAGE)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    for name, value in fields.items():
        if name not in MEMBERSHIP_FIELDS:
            raise ValidationError({name: "This cannot be changed here."})
        setattr(membership, name, value)
    _full_clean(membership)
    membership.save()
    audit_record(
        actor=actor,
        action="membership.updated",
        target=membership,
        summary=f"Changed the membership of {membership.organisation}",
        changes=changes_between(before, snapshot(membership, MEMBERSHIP_FIELDS)),
        partnership_id=membership.partnership_id,
    )
    return membership


@transaction.atomic
def person_invite(
    *,
    actor,
    partnership: Partnership,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation | None,
    job_title: str = "",
    is_clinician: bool = False,
    roles: list[str],
    send_invitation: bool = True,
):
    """Create an account for a person, give them roles in the partnership and email them a link to set a password."""
    authorize(actor, partnership, Action.MANAGE)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken. Choose another."})
    if not roles:
        raise ValidationError({"roles": "Choose at least one role."})
    if organisation is not None:
        _check_member_organisation(partnership, organisation, field="organisation")
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    _full_clean(user, exclude=["password"])
    user.save()
    profile = Profile(user=user, organisation=organisation, job_title=job_title, is_clinician=is_clinician)
    _full_clean(profile)
    profile.save()
    for role in roles:
        role_grant(actor=actor, partnership=partnership, user=user, role=role)
    if send_invitation and email:
        transaction.on_commit(lambda: _send_set_password_email(email))
    return user


def _send_set_password_email(email: str) -> None:
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        from django.conf import settings

        scheme, _, domain = settings.SITE_URL.partition("://")
        form.save(
            domain_override=domain,
            use_https=scheme == "https",
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )


@transaction.atomic
def profile_update(
    *, actor, partnership: Partnership, user, organisation: Organisation | None, job_title: str, is_clinician: bool
) -> Profile:
    """Change where a person of the partnership works and their job title (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    if not PartnershipRole.objects.filter(content_object=partnership, user=user).exists():
        raise ValidationError({"user": f"{user} has no role in {partnership.name}."})
    if organisation is not None:
        _check_member_organisation(partnership, organisation, field="organisation")
    profile, _ = Profile.objects.get_or_create(user=user)
    before = snapshot(profile, ["organisation", "job_title", "is_clinician"])
    profile.organisation, profile.job_title, profile.is_clinician = organisation, job_title, is_clinician
    _full_clean(profile)
    profile.save()
    audit_record(
        actor=actor,
        action="profile.updated",
        target=profile,
        summary=f"Changed the profile of {user}",
        changes=changes_between(before, snapshot(profile, ["organisation", "job_title", "is_clinician"])),
        partnership_id=partnership.pk,
    )
    return profile


@transaction.atomic
def role_grant(*, actor, partnership: Partnership, user, role: str) -> None:
    """Give a person a role in the partnership (lead only). Granting a role they hold already changes nothing."""
    authorize(actor, partnership, Action.MANAGE)
    if role not in Role.values:
        raise ValidationError({"role": f"Choose one of: {', '.join(Role.labels)}."})
    if PartnershipRole.objects.filter(content_object=partnership, user=user, permission__codename=role).exists():
        return
    try:
        with transaction.atomic():
            assign_perm(f"partnerships.{role}", user, partnership)
    except IntegrityError:  # granted by someone else at the same moment: the result is the same
        return
    forget_roles(user)
    audit_record(
        actor=actor,
        action="role.granted",
        target=partnership,
        summary=f"{user} became {Role(role).label.lower()} of {partnership.name}",
        changes={"user": [None, user.pk], "role": [None, role]},
        partnership_id=partnership.pk,
    )


@transaction.atomic
def role_revoke(*, actor, partnership: Partnership, user, role: str) -> None:
    """Take a role away (lead only). The last partnership lead cannot be removed: someone must manage it."""
    authorize(actor, partnership, Action.MANAGE)
    if role == Role.LEAD:
        leads = PartnershipRole.objects.select_for_update().filter(
            content_object=partnership, permission__codename=Role.LEAD
        )
        if list(leads.values_list("user_id", flat=True)) == [user.pk]:
            raise ValidationError({"role": "A partnership needs a lead. Make someone else lead first."})
    removed = remove_perm(f"partnerships.{role}", user, partnership)
    forget_roles(user)
    if removed:
        audit_record(
            actor=actor,
            action="role.revoked",
            target=partnership,
            summary=f"{user} is no longer {Role(role).label.lower()} of {partnership.name}",
            changes={"user": [user.pk, None], "role": [role, None]},
            partnership_id=partnership.pk,
        )


def _check_delegation(delegation: Delegation) -> None:
    errors = {}
    unknown = [value for value in delegation.categories if value not in DecisionCategory.values]
    if not delegation.categories:
        errors["categories"] = "Choose at least one decision category."
    elif unknown:
        errors["categories"] = f"Unknown decision categories: {', '.join(map(str, unknown))}."
    if delegation.delegate_id and delegation.delegate_role:
        errors["delegate_role"] = "Choose a person or a role, not both."
    if not delegation.delegate_id and not delegation.delegate_role:
        errors["delegate"] = "Choose the person or the role that holds the delegation."
    if delegation.limit_pounds is not None and delegation.limit_pounds < Decimal(0):
        errors["limit_pounds"] = "The limit must be £0 or more."
    if errors:
        raise ValidationError(errors)
    _check_member_organisation(delegation.partnership, delegation.organisation, field="organisation")
    if (
        delegation.delegate_id
        and not PartnershipRole.objects.filter(
            content_object=delegation.partnership, user_id=delegation.delegate_id
        ).exists()
    ):
        raise ValidationError({"delegate": f"{delegation.delegate} has no role in {delegation.partnership.name}."})


@transaction.atomic
def delegation_create(*, actor, partnership: Partnership, **fields) -> Delegation:
    """Record who may commit an organisation to which decisions, up to what value, from when (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    delegation = Delegation(partnership=partnership, **fields)
    delegation.categories = sorted(set(delegation.categories or []))
    _full_clean(delegation)
    _check_delegation(delegation)
    delegation.save()
    audit_record(
        actor=actor,
        action="delegation.created",
        target=delegation,
        summary=f"Delegation recorded for {delegation.organisation}: {delegation.delegate_display}",
        changes=changes_between({}, snapshot(delegation, DELEGATION_FIELDS)),
        partnership_id=partnership.pk,
    )
    return delegation


@transaction.atomic
def delegation_update(*, actor, delegation: Delegation, **fields) -> Delegation:
    """Change a delegation; ending it means setting `valid_to` (lead only)."""
    authorize(actor, delegation.partnership, Action.MANAGE)
    before = snapshot(delegation, DELEGATION_FIELDS)
    for name, value in fields.items():
        if name not in DELEGATION_FIELDS:
            raise ValidationError({name: "This cannot be changed here."})
        setattr(delegation, name, value)
    delegation.categories = sorted(set(delegation.categories or []))
    _full_clean(delegation)
    _check_delegation(delegation)
    delegation.save()
    audit_record(
        actor=actor,
        action="delegation.updated",
        target=delegation,
        summary=f"Delegation changed for {delegation.organisation}: {delegation.delegate_display}",
        changes=changes_between(before, snapshot(delegation, DELEGATION_FIELDS)),
        partnership_id=delegation.partnership_id,
    )
    return delegation


def _check_agreement(agreement: Agreement, parties) -> None:
    if not parties:
        raise ValidationError({"parties": "Choose at least one party to the agreement."})
    outsiders = [party for party in parties if not party.memberships.filter(partnership=agreement.partnership).exists()]
    if outsiders:
        raise ValidationError(
            {"parties": f"Not members of {agreement.partnership.name}: {', '.join(map(str, outsiders))}."}
        )


@transaction.atomic
def agreement_create(*, actor, partnership: Partnership, parties, document=None, **fields) -> Agreement:
    """Record an agreement between partners, with its document if there is one (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    agreement = Agreement(partnership=partnership, **fields)
    if document is not None:
        agreement.document = document
        agreement.document_size = document.size
    _full_clean(agreement)
    _check_agreement(agreement, parties)
    agreement.save()
    agreement.parties.set(parties)
    audit_record(
        actor=actor,
        action="agreement.created",
        target=agreement,
        summary=f"Agreement recorded: {agreement.title}",
        changes=changes_between({}, snapshot(agreement, AGREEMENT_FIELDS)),
        partnership_id=partnership.pk,
    )
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, parties=None, document=None, **fields) -> Agreement:
    """Change an agreement's status, dates, parties or document (lead only)."""
    authorize(actor, agreement.partnership, Action.MANAGE)
    before = snapshot(agreement, AGREEMENT_FIELDS)
    for name, value in fields.items():
        if name not in AGREEMENT_FIELDS:
            raise ValidationError({name: "This cannot be changed here."})
        setattr(agreement, name, value)
    if document is not None:
        agreement.document = document
        agreement.document_size = document.size
    _full_clean(agreement)
    if parties is not None:
        _check_agreement(agreement, parties)
    agreement.save()
    if parties is not None:
        agreement.parties.set(parties)
    audit_record(
        actor=actor,
        action="agreement.updated",
        target=agreement,
        summary=f"Agreement changed: {agreement.title}",
        changes=changes_between(before, snapshot(agreement, AGREEMENT_FIELDS)),
        partnership_id=agreement.partnership_id,
    )
    return agreement
