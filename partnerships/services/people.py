"""People: accounts, profiles and roles in a partnership."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from guardian.shortcuts import assign_perm, remove_perm

from core import second_factor
from core.accounts import invitation_token_generator
from core.audit import audit_record, changes_between, snapshot
from core.services import full_clean, queue_after_commit, require_text
from core.validators import reject_markup

from ..access import (
    Action,
    authorize,
    authorize_second_factor_reset,
    can_change_profile,
    can_confirm_affiliation,
    forget_roles,
    has_administrators,
)
from ..models import (
    Delegation,
    Organisation,
    Partnership,
    PartnershipRole,
    Profile,
    Role,
)
from ._common import acting_as, audit_shared, check_current_member

User = get_user_model()
logger = logging.getLogger(__name__)


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
        check_current_member(partnership, organisation, field="organisation")
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    full_clean(user, exclude=["password"])
    user.save()
    profile = Profile(user=user, organisation=organisation, job_title=job_title, is_clinician=is_clinician)
    full_clean(profile)
    profile.save()
    audit_record(
        actor=actor,
        action="person.invited",
        target=user,
        summary=f"{user} was given an account by {actor}",
        changes=changes_between({}, {"username": username, "email": email, "roles": sorted(roles)}),
        partnership_id=partnership.pk,
    )
    for role in roles:
        role_grant(actor=actor, partnership=partnership, user=user, role=role)
    if organisation is not None:
        affiliation_set(actor=actor, partnership=partnership, user=user, organisation=organisation)
    if send_invitation and email:
        invited_by = str(actor)
        transaction.on_commit(
            lambda: _send_invitation(user_id=user.pk, partnership_id=partnership.pk, invited_by=invited_by)
        )
    return user


def _send_invitation(*, user_id: int, partnership_id: int, invited_by: str) -> None:
    """Email the new person a link to choose their password (a password-reset link: the account has none yet).

    Django's PasswordResetForm skips accounts without a usable password, so the link is made here.
    """
    user = User.objects.get(pk=user_id)
    scheme, _, domain = settings.SITE_URL.partition("://")
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), invitation_token_generator.make_token(user)
    context = {
        "user": user,
        "partnership": Partnership.objects.get(pk=partnership_id),
        "invited_by": invited_by,
        "link": f"{scheme}://{domain}{reverse('account:invitation_accept', args=[uid, token])}",
        "valid_days": settings.INVITATION_TIMEOUT // (24 * 60 * 60),
    }
    subject = " ".join(render_to_string("partnerships/invitation_subject.txt", context).split())
    try:
        send_mail(subject, render_to_string("partnerships/invitation_email.txt", context), None, [user.email])
    except OSError:  # the account stands; the lead can ask the person to use "Forgotten your password?"
        logger.exception("Could not send the invitation email to user %s", user_id)


@transaction.atomic
def profile_update(
    *, actor, partnership: Partnership, user, organisation: Organisation | None, job_title: str, is_clinician: bool
) -> Profile:
    """Set whom a person represents in the partnership (lead only), and change their profile where the lead may.

    Whom they represent is recorded on their roles here and changes nothing elsewhere (`affiliation_set`). Their
    profile (where they work, job title, clinician) is theirs in every partnership, so it changes only for someone
    who acts in no other (`can_change_profile`); for anyone else, a different job title or clinician flag is refused.
    """
    authorize(actor, partnership, Action.MANAGE)
    if not PartnershipRole.objects.filter(content_object=partnership, user=user).exists():
        raise ValidationError({"user": f"{user} has no role in {partnership.name}."})
    affiliation_set(actor=actor, partnership=partnership, user=user, organisation=organisation)
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    fields = ["organisation", "job_title", "is_clinician"]
    before = snapshot(profile, fields)
    if not can_change_profile(actor, partnership, user):
        refused = {
            name: f"{user} acts in other partnerships too, and their profile is theirs in all of them. "
            "Ask them, or a service administrator, to change it."
            for name, value in (("job_title", job_title), ("is_clinician", is_clinician))
            if value != getattr(profile, name)
        }
        if refused:
            raise ValidationError(refused)
        return profile
    profile.organisation, profile.job_title, profile.is_clinician = organisation, job_title, is_clinician
    full_clean(profile)
    profile.save()
    changes = changes_between(before, snapshot(profile, fields))
    if changes:
        audit_record(
            actor=actor,
            action="profile.updated",
            target=profile,
            summary=f"Changed the profile of {user}",
            changes=changes,
            partnership_id=partnership.pk,
        )
    return profile


def affiliation_of(partnership: Partnership, user) -> PartnershipRole | None:
    """One of the person's roles in the partnership, which carries their affiliation (all carry the same)."""
    return (
        PartnershipRole.objects.filter(content_object=partnership, user=user)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )


@transaction.atomic
def affiliation_set(*, actor, partnership: Partnership, user, organisation: Organisation | None) -> None:
    """Record which organisation the person represents in the partnership (lead only). It awaits confirmation by
    the organisation's administrators, unless one of them made the change. Nothing changes in other partnerships."""
    authorize(actor, partnership, Action.MANAGE)
    current = affiliation_of(partnership, user)
    if current is None:
        raise ValidationError({"user": f"{user} has no role in {partnership.name}."})
    if current.organisation_id == (organisation.pk if organisation else None):
        return
    if organisation is not None:
        check_current_member(partnership, organisation, field="organisation")
    confirmed = organisation is not None and can_confirm_affiliation(actor, organisation)
    PartnershipRole.objects.filter(content_object=partnership, user=user).update(
        organisation=organisation,
        organisation_confirmed_by=actor if confirmed else None,
        organisation_confirmed_at=timezone.now() if confirmed else None,
    )
    audit_shared(
        actor=actor,
        action="affiliation.changed",
        target=user,
        summary=f"{user} represents {organisation or 'no organisation'} in {partnership.name} "
        f"({acting_as(actor, partnership=partnership)})",
        changes={"organisation": [current.organisation_id, organisation.pk if organisation else None]},
        organisations=[current.organisation, organisation],
    )
    if organisation is not None and not confirmed and has_administrators(organisation):
        queue_after_commit("partnerships.tasks.notify_affiliation_to_confirm", partnership.pk, user.pk)


def _affiliation_to_answer(actor, partnership: Partnership, user) -> PartnershipRole:
    grant = affiliation_of(partnership, user)
    if grant is None or grant.organisation is None:
        raise Http404("No such affiliation.")
    if not can_confirm_affiliation(actor, grant.organisation):
        raise PermissionDenied(f"Only the administrators of {grant.organisation.name} confirm who represents it.")
    return grant


@transaction.atomic
def affiliation_confirm(*, actor, partnership: Partnership, user) -> None:
    """The organisation's administrator confirms that the person represents it in the partnership."""
    grant = _affiliation_to_answer(actor, partnership, user)
    if grant.organisation_confirmed_at is not None:
        raise ValidationError(f"{user} was confirmed as representing {grant.organisation.name} already.")
    PartnershipRole.objects.filter(content_object=partnership, user=user).update(
        organisation_confirmed_by=actor, organisation_confirmed_at=timezone.now()
    )
    audit_shared(
        actor=actor,
        action="affiliation.confirmed",
        target=user,
        summary=f"{actor} confirmed that {user} represents {grant.organisation.name} in {partnership.name}",
        changes={"confirmed": [False, True]},
        organisations=[grant.organisation],
    )


@transaction.atomic
def affiliation_decline(*, actor, partnership: Partnership, user, reason: str) -> None:
    """The organisation's administrator says the person does not represent it in the partnership: from now on they
    represent no organisation there (and sign for none) until the lead records another."""
    grant = _affiliation_to_answer(actor, partnership, user)
    reason = require_text(reason, field="reason", message="Say why this person does not represent the organisation.")
    try:  # kept only in the history, which has no field to check it: checked here as a model field would be
        MaxLengthValidator(2000)(reason)
        reject_markup(reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    PartnershipRole.objects.filter(content_object=partnership, user=user).update(
        organisation=None, organisation_confirmed_by=None, organisation_confirmed_at=None
    )
    audit_shared(
        actor=actor,
        action="affiliation.declined",
        target=user,
        summary=f"{actor} declined that {user} represents {grant.organisation.name} in {partnership.name}",
        changes={"organisation": [grant.organisation_id, None]},
        reason=reason,
        organisations=[grant.organisation],
    )


@transaction.atomic
def person_update(
    *,
    actor,
    partnership: Partnership,
    user,
    roles: list[str],
    organisation: Organisation | None,
    job_title: str,
    is_clinician: bool,
):
    """Change a person's roles in the partnership and their profile together (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    if not roles:
        raise ValidationError({"roles": "Choose at least one role. To take all their roles away, remove them."})
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise ValidationError({"roles": f"Unknown roles: {', '.join(unknown)}."})
    profile_update(
        actor=actor,
        partnership=partnership,
        user=user,
        organisation=organisation,
        job_title=job_title,
        is_clinician=is_clinician,
    )
    held = set(
        PartnershipRole.objects.filter(content_object=partnership, user=user).values_list(
            "permission__codename", flat=True
        )
    )
    for role in sorted(set(roles) - held):
        role_grant(actor=actor, partnership=partnership, user=user, role=role)
    for role in sorted(held - set(roles)):
        role_revoke(actor=actor, partnership=partnership, user=user, role=role)
    return user


@transaction.atomic
def person_second_factor_reset(*, actor, partnership: Partnership, user, reason: str) -> None:
    """A person has lost their phone and their recovery codes: their lead (or a service administrator) removes their
    second factor, so they set up a new one at their next sign-in. Their API tokens are revoked, their sessions
    ended, and they are emailed (core.second_factor.second_factor_reset); the partnership's history shows it."""
    authorize_second_factor_reset(actor, partnership, user)
    reason = require_text(reason, field="reason", message="Say why you are resetting the second factor")
    second_factor.second_factor_reset(actor=actor, person=user, reason=reason, partnership_id=partnership.pk)


@transaction.atomic
def person_remove(*, actor, partnership: Partnership, user) -> None:
    """Take away all of a person's roles in the partnership (lead only); their account and profile stay.

    Someone who holds a delegation that is in force, or starts later, cannot be removed until it is ended or
    given to someone else: a decision must never be routed to a person who is no longer in the partnership.
    """
    authorize(actor, partnership, Action.MANAGE)
    today = timezone.localdate()
    delegations = Delegation.objects.filter(partnership=partnership, delegate=user).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    if delegations.exists():
        raise ValidationError(
            f"{user} holds {delegations.count()} delegation(s) in force or starting later. "
            "End them, or give them to someone else, first."
        )
    held = PartnershipRole.objects.filter(content_object=partnership, user=user).values_list(
        "permission__codename", flat=True
    )
    for role in sorted(held):
        role_revoke(actor=actor, partnership=partnership, user=user, role=role)


@transaction.atomic
def role_grant(*, actor, partnership: Partnership, user, role: str) -> None:
    """Give a person a role in the partnership (lead only). Granting a role they hold already changes nothing."""
    authorize(actor, partnership, Action.MANAGE)
    if role not in Role.values:
        raise ValidationError({"role": f"Choose one of: {', '.join(Role.labels)}."})
    if PartnershipRole.objects.filter(content_object=partnership, user=user, permission__codename=role).exists():
        return
    sibling = affiliation_of(partnership, user)
    try:
        with transaction.atomic():
            grant = assign_perm(f"partnerships.{role}", user, partnership)
    except IntegrityError:  # granted by someone else at the same moment: the result is the same
        return
    if sibling is not None and sibling.organisation_id:  # all of a person's roles here carry one affiliation
        PartnershipRole.objects.filter(pk=grant.pk).update(
            organisation_id=sibling.organisation_id,
            organisation_confirmed_by_id=sibling.organisation_confirmed_by_id,
            organisation_confirmed_at=sibling.organisation_confirmed_at,
        )
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
