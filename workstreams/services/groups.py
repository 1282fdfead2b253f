"""The leadership group of a work-stream: seats, group roles (django-guardian permissions on the work-stream,
kept in step with the seats) and what each member sits as for the quorum rule."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean
from partnerships.access import roles_in
from partnerships.models import Organisation, Role

from ..access import Access, authorize_workstream, check_group_seat, forget_workstream_roles
from ..models import GroupMember, GroupRole, WorkStream
from ._common import check_member_organisation, check_people_in_partnership, organisation_of

GROUP_FIELDS = ["role", "organisation", "deputy_for", "is_clinician", "is_non_executive"]


@transaction.atomic
def group_member_add(
    *,
    actor,
    workstream: WorkStream,
    user,
    role: str,
    organisation: Organisation | None = None,
    deputy_for: GroupMember | None = None,
    is_clinician: bool | None = None,
    is_non_executive: bool | None = None,
) -> GroupMember:
    """Give a person of the partnership a seat in the group (its lead or deputy, or the partnership lead). A seat
    that writes is only for someone whose partnership role lets them contribute: a viewer may only observe.

    Organisation, clinician and non-executive default to the person's profile and partnership roles.
    """
    authorize_workstream(actor, workstream, Access.LEAD)
    check_people_in_partnership(workstream.partnership, {"user": user})
    if GroupMember.objects.filter(workstream=workstream, user=user, left_on__isnull=True).exists():
        raise ValidationError({"user": f"{user} is already in the {workstream.name} group."})
    member = GroupMember(
        workstream=workstream,
        user=user,
        role=role,
        organisation=organisation if organisation is not None else organisation_of(user, workstream.partnership),
        deputy_for=deputy_for,
        is_clinician=_default_clinician(user) if is_clinician is None else is_clinician,
        is_non_executive=(
            Role.NON_EXECUTIVE in roles_in(user, workstream.partnership)
            if is_non_executive is None
            else is_non_executive
        ),
    )
    _check_seat(member)
    check_group_seat(user, workstream, member.role)
    member.save()
    assign_perm(f"workstreams.{GroupRole(role).codename}", user, workstream)
    forget_workstream_roles(user)
    audit_record(
        actor=actor,
        action="group_member.added",
        target=member,
        summary=f"{user} joined the {workstream.name} group as {member.get_role_display().lower()}",
        changes=changes_between({}, snapshot(member, GROUP_FIELDS)),
        partnership_id=workstream.partnership_id,
    )
    return member


@transaction.atomic
def group_member_update(*, actor, member: GroupMember, **fields) -> GroupMember:
    """Change a member's group role, organisation, named member (for a deputy) or what they sit as."""
    authorize_workstream(actor, member.workstream, Access.LEAD)
    if member.left_on is not None:
        raise ValidationError(f"{member.user} has left the group.")
    before = snapshot(member, GROUP_FIELDS)
    assign_fields(member, fields, allowed=GROUP_FIELDS)
    if member.role != GroupRole.DEPUTY:
        member.deputy_for = None
    _check_seat(member)
    check_group_seat(member.user, member.workstream, member.role)
    member.save()
    if member.role != before["role"]:
        remove_perm(f"workstreams.{GroupRole(before['role']).codename}", member.user, member.workstream)
        assign_perm(f"workstreams.{GroupRole(member.role).codename}", member.user, member.workstream)
        forget_workstream_roles(member.user)
        if member.role not in {GroupRole.LEAD, GroupRole.MEMBER}:
            member.deputies.update(deputy_for=None)
    audit_record(
        actor=actor,
        action="group_member.updated",
        target=member,
        summary=f"Changed {member.user}'s seat in the {member.workstream.name} group",
        changes=changes_between(before, snapshot(member, GROUP_FIELDS)),
        partnership_id=member.workstream.partnership_id,
    )
    return member


@transaction.atomic
def group_member_remove(*, actor, member: GroupMember, left_on: date | None = None) -> GroupMember:
    """Record that a person left the group; their role on the work-stream goes with their seat."""
    authorize_workstream(actor, member.workstream, Access.LEAD)
    if member.left_on is not None:
        raise ValidationError(f"{member.user} has already left the group.")
    member.left_on = left_on or timezone.localdate()
    full_clean(member)
    member.save(update_fields=["left_on", "updated_at"])
    member.deputies.update(deputy_for=None)
    remove_perm(f"workstreams.{GroupRole(member.role).codename}", member.user, member.workstream)
    forget_workstream_roles(member.user)
    audit_record(
        actor=actor,
        action="group_member.removed",
        target=member,
        summary=f"{member.user} left the {member.workstream.name} group",
        changes={"left_on": [None, member.left_on.isoformat()]},
        partnership_id=member.workstream.partnership_id,
    )
    return member


def _default_clinician(user) -> bool:
    profile = getattr(user, "profile", None)
    return bool(profile and profile.is_clinician)


def _check_seat(member: GroupMember) -> None:
    full_clean(member)
    check_member_organisation(member.workstream.partnership, member.organisation, field="organisation")
    target = member.deputy_for
    if target is None:
        return
    if target.workstream_id != member.workstream_id or target.left_on is not None or not target.votes:
        raise ValidationError({"deputy_for": "A deputy stands in for a current lead or member of the same group."})
    if target.pk == member.pk or target.user_id == member.user_id:
        raise ValidationError({"deputy_for": "A deputy cannot stand in for themselves."})


def seat_for(workstream: WorkStream, user, role: str) -> GroupMember:
    """A seat made by another service (the proposer's lead), after that service authorised the actor."""
    member = GroupMember.objects.create(
        workstream=workstream,
        user=user,
        role=role,
        organisation=organisation_of(user, workstream.partnership),
        is_clinician=_default_clinician(user),
        is_non_executive=Role.NON_EXECUTIVE in roles_in(user, workstream.partnership),
    )
    assign_perm(f"workstreams.{GroupRole(role).codename}", user, workstream)
    forget_workstream_roles(user)
    return member


def make_group_lead(workstream: WorkStream, user) -> None:
    member = GroupMember.objects.filter(workstream=workstream, user=user, left_on__isnull=True).first()
    if member is None:
        seat_for(workstream, user, GroupRole.LEAD)
    elif member.role != GroupRole.LEAD:
        remove_perm(f"workstreams.{GroupRole(member.role).codename}", user, workstream)
        member.role, member.deputy_for = GroupRole.LEAD, None
        member.save(update_fields=["role", "deputy_for", "updated_at"])
        assign_perm(f"workstreams.{GroupRole.LEAD.codename}", user, workstream)
        forget_workstream_roles(user)
