"""A group seat never lifts a person above their partnership role (issue 15, "Roles bound each other").

Before this, a lead could seat a viewer as a member, and the seat let them write. The services now refuse such a
seat; this migration finds the ones already made and turns each into an observer's seat (observers read only),
with its guardian grant, an audit event and a line of report. It says nothing when there is nothing to change.

The rules are written out here rather than imported: a migration must keep doing what it did when the code moves on.
They mirror `partnerships.access.ROLES_ALLOWED[Action.CONTRIBUTE]` and `workstreams.access.SEATS_THAT_WRITE`.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.audit import append_event

# The partnership roles that let a person contribute, and what each is called in a report line.
CONTRIBUTING_ROLES = ["partnership_lead", "board_member", "non_executive", "member"]
ROLE_NAMES = {
    "partnership_lead": "partnership lead",
    "board_member": "board member",
    "non_executive": "non-executive or lay member",
    "member": "member",
    "viewer": "viewer",
}
SEATS_THAT_WRITE = ["lead", "deputy", "member"]
READ_ONLY_SEAT = "observer"
REASON = "A group seat never lifts a person above their partnership role: someone who only reads may only observe."


def downgrade_seats_above_partnership_role(apps, schema_editor) -> list[str]:
    """Make every current seat that writes, held by someone whose partnership roles do not let them contribute,
    an observer's seat; return (and print) one line per seat changed."""
    GroupMember = apps.get_model("workstreams", "GroupMember")
    WorkStreamRole = apps.get_model("workstreams", "WorkStreamRole")
    PartnershipRole = apps.get_model("partnerships", "PartnershipRole")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")

    contributes = PartnershipRole.objects.filter(
        content_object_id=OuterRef("workstream__partnership_id"),
        user_id=OuterRef("user_id"),
        permission__codename__in=CONTRIBUTING_ROLES,
    )
    seats = (
        GroupMember.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate()))
        .filter(role__in=SEATS_THAT_WRITE, user__is_superuser=False)  # a service administrator holds every role
        .exclude(Exists(contributes))
        .select_related("user", "workstream__partnership")
        .order_by("pk")
    )
    lines = []
    for seat in seats:
        workstream, partnership, user = seat.workstream, seat.workstream.partnership, seat.user
        before = {"role": seat.role, "deputy_for": seat.deputy_for_id}
        seat.role, seat.deputy_for_id = READ_ONLY_SEAT, None
        seat.save(update_fields=["role", "deputy_for", "updated_at"])
        after = {"role": seat.role, "deputy_for": seat.deputy_for_id}
        GroupMember.objects.filter(deputy_for=seat).update(deputy_for=None)  # an observer has no deputies

        workstream_type = ContentType.objects.get_for_model(workstream)
        grants = WorkStreamRole.objects.filter(user_id=user.pk, content_object_id=workstream.pk)
        grants.filter(permission__codename=f"workstream_{before['role']}").delete()
        observes = Permission.objects.filter(content_type=workstream_type, codename=f"workstream_{READ_ONLY_SEAT}")
        if observes.exists():
            WorkStreamRole.objects.get_or_create(
                user_id=user.pk, content_object_id=workstream.pk, permission=observes.get()
            )

        held = PartnershipRole.objects.filter(user_id=user.pk, content_object_id=partnership.pk)
        roles = " and ".join(
            sorted(ROLE_NAMES.get(code, code) for code in held.values_list("permission__codename", flat=True))
        )
        name = f"{user.first_name} {user.last_name}".strip() or user.username
        summary = (
            f"{name} now observes the {workstream.name} group, no longer as {before['role']}: "
            f"their role in {partnership.name} ({roles or 'none'}) only reads"
        )
        event = {
            "actor": None,
            "partnership_id": partnership.pk,
            "action": "group_member.downgraded",
            "target_type": ContentType.objects.get_for_model(GroupMember),
            "target_id": seat.pk,
            "summary": summary[:300],
            "changes": {field: [value, after[field]] for field, value in before.items() if value != after[field]},
            "reason": REASON,
        }
        if any(field.name == "sequence" for field in AuditEvent._meta.get_fields()):
            # The trail is a hash chain already (core's 0005 ran first): the event goes at the end of its chain.
            append_event(
                AuditEvent, apps.get_model("core", "AuditChainHead"), target="workstreams.groupmember", **event
            )
        else:  # core's 0005 will chain it with the others
            AuditEvent.objects.create(**event)
        lines.append(f"  Group seat {seat.pk}: {summary}.")
    if lines:
        print()  # after Django's "Applying …", which ends without a newline
        print("\n".join(lines))
    return lines


class Migration(migrations.Migration):
    dependencies = [
        ("workstreams", "0001_initial"),
        ("core", "0001_initial"),
        ("partnerships", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Going back leaves the observers as they are: the seats they had were never allowed.
    operations = [migrations.RunPython(downgrade_seats_above_partnership_role, migrations.RunPython.noop)]
