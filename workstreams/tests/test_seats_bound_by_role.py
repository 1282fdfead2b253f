"""A group seat never lifts a person above their partnership role (issue 15, reproduction 4 and "Roles bound each
other"): a viewer is refused a seat that writes, on the page and the API, with nothing written; a seat stops
granting writes the moment its holder's role is lowered to viewer; the migration downgrades seats made before."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from core.models import AuditEvent
from partnerships.models import Role
from partnerships.services.people import role_grant, role_revoke
from tests.html import parse, text
from tests.rules import accepts
from workstreams import services
from workstreams.access import group_roles_open_to
from workstreams.models import GroupMember, GroupRole, WorkStreamRole

from .api_support import api_as, row_counts
from .test_rules import choices_on

pytestmark = pytest.mark.django_db

migration = import_module("workstreams.migrations.0002_seats_bound_by_partnership_role")


def refusal(scene, seat: str = "member") -> str:
    return (
        f"{scene.viewer} is a viewer in {scene.partnership.name}, a role that only reads: they may sit in the "
        f"Diabetes group as an observer, not as a {seat}."
    )


def lower_to_viewer(scene, person) -> None:
    """What the partnership lead does on the person's roles page: viewer given, member taken away."""
    role_grant(actor=scene.lead, partnership=scene.partnership, user=person, role=Role.VIEWER)
    role_revoke(actor=scene.lead, partnership=scene.partnership, user=person, role=Role.MEMBER)


# --- Reproduction 4: the lead seats `viewer` as a member -------------------------------------------------------------


def test_the_api_refuses_a_viewer_a_members_seat_and_writes_nothing(scene):
    before = row_counts()
    response = api_as(scene, "lead").post(
        reverse("api:group-member-list"),
        {"workstream": scene.diabetes.pk, "person": scene.viewer.pk, "role": "member"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"role": [refusal(scene)]}
    assert row_counts() == before
    assert not WorkStreamRole.objects.filter(user=scene.viewer).exists()


def test_the_page_refuses_a_viewer_a_members_seat_and_writes_nothing(client, scene):
    before = row_counts()
    client.force_login(scene.lead)
    response = client.post(
        reverse("workstreams:group_member_create", args=[scene.diabetes.pk]),
        {"user": scene.viewer.pk, "role": "member"},
    )
    assert response.status_code == 400
    assert refusal(scene) in text(response, ".nhsuk-error-summary")
    assert row_counts() == before


@pytest.mark.parametrize("seat", ["lead", "deputy"])
def test_no_other_seat_that_writes_is_given_to_a_viewer_either(scene, seat):
    response = api_as(scene, "lead").post(
        reverse("api:group-member-list"),
        {"workstream": scene.diabetes.pk, "person": scene.viewer.pk, "role": seat},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"role": [refusal(scene, seat)]}


def test_a_viewer_may_observe_but_not_be_promoted_to_member(client, scene):
    created = api_as(scene, "lead").post(
        reverse("api:group-member-list"),
        {"workstream": scene.diabetes.pk, "person": scene.viewer.pk, "role": "observer"},
        format="json",
    )
    assert created.status_code == 201
    seat = created.json()["id"]
    before = row_counts()
    promoted = api_as(scene, "lead").patch(
        reverse("api:group-member-detail", args=[seat]), {"role": "member"}, format="json"
    )
    assert promoted.status_code == 400
    assert promoted.json() == {"role": [refusal(scene)]}
    client.force_login(scene.lead)
    page = client.post(reverse("workstreams:group_member_update", args=[seat]), {"role": "member"})
    assert page.status_code == 400
    assert refusal(scene) in text(page, ".nhsuk-error-summary")
    assert row_counts() == before
    assert GroupMember.objects.get(pk=seat).role == GroupRole.OBSERVER


def test_a_viewer_cannot_be_made_a_workstreams_lead(scene):
    with pytest.raises(ValidationError) as refused:
        services.workstream_propose(
            actor=scene.lead, partnership=scene.partnership, name="Respiratory", purpose="Breathe.", lead=scene.viewer
        )
    assert refused.value.message_dict == {"lead": [refusal(scene, "lead").replace("Diabetes", "Respiratory")]}
    before = row_counts()
    assert not accepts(services.workstream_update, actor=scene.lead, workstream=scene.diabetes, lead=scene.viewer)
    assert row_counts() == before


# --- The seat form offers what the service accepts --------------------------------------------------------------------


@pytest.mark.parametrize("holder", ["viewer", "member"])
def test_changing_a_seat_offers_exactly_the_seats_its_holder_may_hold(client, scene, holder):
    person = getattr(scene, holder)
    seat = GroupMember.objects.filter(workstream=scene.diabetes, user=person).first() or services.group_member_add(
        actor=scene.lead, workstream=scene.diabetes, user=person, role=GroupRole.OBSERVER
    )
    client.force_login(scene.lead)
    offered = choices_on(client.get(reverse("workstreams:group_member_update", args=[seat.pk])), "role")
    accepted = {
        role
        for role in GroupRole.values
        if accepts(
            services.group_member_update, actor=scene.lead, member=GroupMember.objects.get(pk=seat.pk), role=role
        )
    }
    assert offered == accepted == set(group_roles_open_to(person, scene.diabetes))
    assert offered == ({"observer"} if holder == "viewer" else set(GroupRole.values))


# --- Defence in depth: a role lowered after the seat was given --------------------------------------------------------


def test_a_member_lowered_to_viewer_can_no_longer_raise_actions_or_set_the_rag(scene):
    client = api_as(scene, "member")
    action = {"workstream": scene.diabetes.pk, "description": "Plan", "owner": scene.member.pk, "due_on": "2027-01-01"}
    assert client.post(reverse("api:action-list"), action, format="json").status_code == 201
    lower_to_viewer(scene, scene.member)
    before = row_counts()
    responses = [
        client.post(reverse("api:action-list"), action, format="json"),
        client.post(reverse("api:workstream-rag", args=[scene.diabetes.pk]), {"rag": "red", "reason": "Late."}),
    ]
    assert [response.status_code for response in responses] == [403, 403]
    assert row_counts() == before


def test_the_group_page_says_whose_seat_no_longer_writes(client, scene):
    lower_to_viewer(scene, scene.member)
    client.force_login(scene.lead)
    page = parse(client.get(reverse("workstreams:group", args=[scene.diabetes.pk])))
    flagged = [" ".join(row.get_text(" ").split()) for row in page.select("tr:has([data-seat-grants-nothing])")]
    assert len(flagged) == 1
    assert scene.member.display_name in flagged[0]
    assert "Reads only: their role in the partnership no longer lets them write" in flagged[0]


# --- The migration: seats given before the rule -----------------------------------------------------------------------


def seat_without_the_service(scene, person, role, **fields) -> GroupMember:
    """A seat as the old service made it, for a person whatever their role."""
    seat = GroupMember.objects.create(workstream=scene.diabetes, user=person, role=role, **fields)
    assign_perm(f"workstreams.{GroupRole(role).codename}", person, scene.diabetes)
    return seat


def test_the_migration_makes_a_viewers_seat_an_observers_and_reports_it(scene, capsys):
    viewer_seat = seat_without_the_service(scene, scene.viewer, GroupRole.MEMBER)
    lower_to_viewer(scene, scene.member)  # `deputy` stands in for member's seat
    events = AuditEvent.objects.count()

    lines = migration.downgrade_seats_above_partnership_role(apps, None)

    assert capsys.readouterr().out.splitlines() == ["", *lines]
    assert len(lines) == 2
    assert f"{scene.viewer.first_name} {scene.viewer.last_name} now observes the Diabetes group" in lines[1]
    assert "(viewer) only reads" in lines[1]
    for seat in [scene.member_seat, viewer_seat]:
        seat.refresh_from_db()
        assert seat.role == GroupRole.OBSERVER
        grants = set(
            WorkStreamRole.objects.filter(user=seat.user, content_object=scene.diabetes).values_list(
                "permission__codename", flat=True
            )
        )
        assert grants == {"workstream_observer"}
    assert GroupMember.objects.get(user=scene.deputy, workstream=scene.diabetes).deputy_for is None
    downgraded = AuditEvent.objects.filter(action="group_member.downgraded").order_by("target_id")
    assert AuditEvent.objects.count() == events + 2
    assert [(event.target_id, event.changes) for event in downgraded] == [
        (scene.member_seat.pk, {"role": ["member", "observer"]}),
        (viewer_seat.pk, {"role": ["member", "observer"]}),
    ]
    assert all(event.partnership_id == scene.partnership.pk and event.reason for event in downgraded)


def test_the_migration_leaves_allowed_and_past_seats_alone_and_says_nothing(scene, capsys):
    today = timezone.localdate()
    GroupMember.objects.create(  # a seat that ended: its grant went with it
        workstream=scene.diabetes,
        user=scene.viewer,
        role=GroupRole.MEMBER,
        joined_on=today - timedelta(days=30),
        left_on=today - timedelta(days=1),
    )
    seats = list(GroupMember.objects.values_list("pk", "role"))
    events = AuditEvent.objects.count()

    assert migration.downgrade_seats_above_partnership_role(apps, None) == []

    assert capsys.readouterr().out == ""
    assert list(GroupMember.objects.values_list("pk", "role")) == seats
    assert AuditEvent.objects.count() == events
