"""Work-stream pages: the list, a proposal, the details, status, RAG, the group and its quorum rule."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests.html import error_summary, text
from workstreams import services
from workstreams.models import GroupMember, GroupRole, WorkStream, WorkStreamRole, WorkStreamStatus

from .helpers import assert_matrix

pytestmark = pytest.mark.django_db

READERS = {"anonymous": 302, "outsider": 404, "viewer": 200, "member": 200, "ned": 200, "board": 200, "lead": 200}


def test_everyone_in_the_partnership_sees_the_list_of_workstreams(scene):
    assert_matrix(scene.world, reverse("workstreams:workstream_list", args=["QZZ"]), READERS)


def test_the_list_shows_each_workstream_with_status_rag_and_overdue_actions(client, scene):
    scene.action(scene.diabetes, due_in_days=-3)
    scene.action(scene.diabetes, due_in_days=3)
    client.force_login(scene.viewer)
    response = client.get(reverse("workstreams:workstream_list", args=["QZZ"]))
    row = text(response, "tbody tr:nth-of-type(1)")
    assert row.startswith("Diabetes")
    assert "Active Not rated 2 1" in row


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_workstreams(client, scene, rows, django_assert_num_queries):
    for number in range(rows):
        workstream = scene.workstream(f"Programme {number}", lead=scene.pharmacist)
        scene.action(workstream, due_in_days=-1)
    client.force_login(scene.viewer)
    with django_assert_num_queries(4):
        response = client.get(reverse("workstreams:workstream_list", args=["QZZ"]))
    assert response.status_code == 200


def test_who_may_open_the_proposal_form(scene):
    url = reverse("workstreams:workstream_create", args=["QZZ"])
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403, "member": 200, "ned": 200, "lead": 200}
    assert_matrix(scene.world, url, expected)


def proposal(scene, **changes):
    return {
        "name": "End of Life Care",
        "priority_area": "Ageing well",
        "purpose": "Help people die well, where they choose.",
        "scope": "Adults in the last year of life.",
        "expected_benefits": "Fewer deaths in hospital.",
        "resources": "A programme manager.",
        "lead": scene.member.pk,
        **changes,
    }


def test_a_member_proposes_a_workstream_and_its_lead_joins_the_group(client, scene):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:workstream_create", args=["QZZ"]), proposal(scene))
    workstream = WorkStream.objects.get(name="End of Life Care")
    assert response.status_code == 302
    assert response["Location"] == workstream.get_absolute_url()
    assert workstream.status == WorkStreamStatus.PROPOSED
    assert workstream.proposed_by == scene.member
    assert GroupMember.objects.get(workstream=workstream).role == GroupRole.LEAD
    assert WorkStreamRole.objects.filter(content_object=workstream, user=scene.member).exists()
    assert AuditEvent.objects.filter(action="workstream.proposed", target_id=workstream.pk).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the work-stream's name"),
        ({"purpose": ""}, "Enter the work-stream's purpose"),
        ({"name": "x" * 201}, "Name must be 200 characters or fewer"),
        ({"purpose": "<script>alert(1)</script>"}, "Remove the HTML tags"),
        ({"lead": ""}, "Choose the lead"),
        ({"lead": "not-a-number"}, "Choose the lead from the list"),
        ({"name": "diabetes"}, "This partnership already has a work-stream with that name."),
    ],
)
def test_a_bad_proposal_is_refused_with_a_clear_message_and_nothing_written(client, scene, changes, message):
    client.force_login(scene.member)
    before = WorkStream.objects.count()
    response = client.post(reverse("workstreams:workstream_create", args=["QZZ"]), proposal(scene, **changes))
    assert response.status_code == 400
    assert any(message in error for error, _ in error_summary(response)), error_summary(response)
    assert WorkStream.objects.count() == before


def test_a_lead_from_another_partnership_is_refused(client, scene):
    client.force_login(scene.lead)
    before = WorkStream.objects.count()
    response = client.post(
        reverse("workstreams:workstream_create", args=["QZZ"]), proposal(scene, lead=scene.outsider.pk)
    )
    assert response.status_code == 400
    assert WorkStream.objects.count() == before


def test_everyone_in_the_partnership_reads_a_workstream(scene):
    assert_matrix(scene.world, reverse("workstreams:workstream_detail", args=[scene.diabetes.pk]), READERS)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_workstream_page_costs_the_same_queries_however_busy(client, scene, rows, django_assert_num_queries):
    for number in range(rows):
        scene.meeting(scene.diabetes, days_ago=number - 5)
        scene.action(scene.diabetes, due_in_days=number - 10)
        services.workstream_change_status(
            actor=scene.lead,
            workstream=scene.diabetes,
            status=WorkStreamStatus.PAUSED if number % 2 == 0 else WorkStreamStatus.ACTIVE,
            reason=f"Change {number}",
        )
    client.force_login(scene.member)
    with django_assert_num_queries(11):
        response = client.get(reverse("workstreams:workstream_detail", args=[scene.diabetes.pk]))
    assert response.status_code == 200


def test_the_workstream_page_shows_its_group_quorum_rule_and_history(client, scene):
    client.force_login(scene.viewer)
    response = client.get(reverse("workstreams:workstream_detail", args=[scene.diabetes.pk]))
    page = text(response)
    assert "50% of members present." in page
    assert "Mei" not in page or "member" in page
    assert f"{scene.member.display_name}, member" in page
    assert "Accepted by" in page or "Agreed by the board." in page
    assert "Schedule a meeting" not in page


def test_who_may_change_the_details(scene):
    url = reverse("workstreams:workstream_update", args=[scene.diabetes.pk])
    expected = {
        "anonymous": 302,
        "outsider": 404,
        "viewer": 403,
        "member": 403,
        "ned": 403,
        "board": 200,
        "lead": 200,
    }
    assert_matrix(scene.world, url, expected)


def test_a_new_lead_joins_the_group_as_lead(client, scene):
    client.force_login(scene.board)
    response = client.post(
        reverse("workstreams:workstream_update", args=[scene.diabetes.pk]),
        proposal(scene, name="Diabetes", lead=scene.doctor.pk),
    )
    assert response.status_code == 302
    seat = GroupMember.objects.get(workstream=scene.diabetes, user=scene.doctor, left_on__isnull=True)
    assert seat.role == GroupRole.LEAD
    assert WorkStreamRole.objects.filter(
        content_object=scene.diabetes, user=scene.doctor, permission__codename="workstream_lead"
    ).exists()
    assert not WorkStreamRole.objects.filter(
        content_object=scene.diabetes, user=scene.doctor, permission__codename="workstream_member"
    ).exists()


def test_the_partnership_lead_accepts_a_proposal(client, scene):
    workstream = scene.workstream("End of Life Care", lead=scene.member, status=WorkStreamStatus.PROPOSED)
    client.force_login(scene.lead)
    url = reverse("workstreams:workstream_status", args=[workstream.pk])
    assert "Accepted" in text(client.get(url))
    response = client.post(url, {"status": "accepted", "reason": "Agreed at the board on 3 November."})
    assert response.status_code == 302
    workstream.refresh_from_db()
    assert workstream.status == WorkStreamStatus.ACCEPTED
    change = workstream.status_changes.first()
    assert (change.from_status, change.to_status, change.changed_by) == ("proposed", "accepted", scene.lead)
    assert change.reason == "Agreed at the board on 3 November."


def test_the_proposals_own_lead_cannot_accept_it(client, scene):
    workstream = scene.workstream("End of Life Care", lead=scene.member, status=WorkStreamStatus.PROPOSED)
    client.force_login(scene.member)
    url = reverse("workstreams:workstream_status", args=[workstream.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"status": "accepted", "reason": "We like it."})
    assert response.status_code == 403
    workstream.refresh_from_db()
    assert workstream.status == WorkStreamStatus.PROPOSED


def test_a_status_jump_that_is_not_allowed_is_refused_and_nothing_changes(client, scene):
    workstream = scene.workstream("End of Life Care", lead=scene.member, status=WorkStreamStatus.PROPOSED)
    client.force_login(scene.lead)
    changes = workstream.status_changes.count()
    response = client.post(
        reverse("workstreams:workstream_status", args=[workstream.pk]), {"status": "active", "reason": "Go!"}
    )
    assert response.status_code == 400
    assert error_summary(response)[0][0] == (
        "A work-stream that is proposed cannot become active. It can become: accepted, closed."
    )
    workstream.refresh_from_db()
    assert workstream.status == WorkStreamStatus.PROPOSED
    assert workstream.status_changes.count() == changes


def test_a_status_change_needs_a_reason(client, scene):
    client.force_login(scene.board)
    response = client.post(reverse("workstreams:workstream_status", args=[scene.diabetes.pk]), {"status": "paused"})
    assert response.status_code == 400
    assert error_summary(response) == [("Say why the status is changing", "#id_reason")]


def test_the_group_lead_pauses_the_workstream_but_only_the_partnership_lead_closes_it(client, scene):
    client.force_login(scene.board)
    url = reverse("workstreams:workstream_status", args=[scene.diabetes.pk])
    assert client.post(url, {"status": "closed", "reason": "Done."}).status_code == 403
    assert client.post(url, {"status": "paused", "reason": "Waiting for funding."}).status_code == 302
    scene.diabetes.refresh_from_db()
    assert scene.diabetes.status == WorkStreamStatus.PAUSED


def test_a_diabetes_member_cannot_change_medicines_optimisation(client, scene):
    client.force_login(scene.member)
    for name, data in [
        ("workstream_status", {"status": "paused", "reason": "No"}),
        ("workstream_rag", {"rag": "red", "reason": "No"}),
        ("workstream_update", proposal(scene, name="Medicines")),
        ("meeting_create", {"day": "2026-12-01", "time": "10:00", "duration_minutes": 60, "place": "Room 1"}),
        ("action_create", {"description": "x", "owner": scene.member.pk, "due_on": "2026-12-01"}),
    ]:
        response = client.post(reverse(f"workstreams:{name}", args=[scene.medicines.pk]), data)
        assert response.status_code == 403, name
    scene.medicines.refresh_from_db()
    assert (scene.medicines.name, scene.medicines.status, scene.medicines.rag) == (
        "Medicines Optimisation",
        "active",
        "",
    )
    assert scene.medicines.meetings.count() == 0
    assert scene.medicines.actions.count() == 0


def test_who_may_rate_a_workstream(scene):
    url = reverse("workstreams:workstream_rag", args=[scene.diabetes.pk])
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403, "ned": 403, "member": 200, "board": 200, "lead": 200}
    assert_matrix(scene.world, url, expected)


def test_a_group_member_rates_the_workstream_with_a_reason_and_date(client, scene):
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:workstream_rag", args=[scene.diabetes.pk]),
        {"rag": "amber", "reason": "Recruitment is behind plan."},
    )
    assert response.status_code == 302
    scene.diabetes.refresh_from_db()
    assert (scene.diabetes.rag, scene.diabetes.rag_reason) == ("amber", "Recruitment is behind plan.")
    assert scene.diabetes.rag_set_on is not None
    page = text(client.get(scene.diabetes.get_absolute_url()))
    assert "Amber since" in page and "Recruitment is behind plan." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rag": "purple", "reason": "x"}, "Choose the RAG rating from the list"),
        ({"rag": "red"}, "Say why the work-stream has this rating"),
        ({"rag": "red", "reason": "<b>bad</b>"}, "Remove the HTML tags"),
    ],
)
def test_a_bad_rating_is_refused(client, scene, data, message):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:workstream_rag", args=[scene.diabetes.pk]), data)
    assert response.status_code == 400
    assert message in error_summary(response)[0][0]
    scene.diabetes.refresh_from_db()
    assert scene.diabetes.rag == ""


def test_everyone_reads_the_group(scene):
    assert_matrix(scene.world, reverse("workstreams:group", args=[scene.diabetes.pk]), READERS)


def test_the_group_page_shows_roles_and_who_a_deputy_stands_in_for(client, scene):
    client.force_login(scene.viewer)
    page = text(client.get(reverse("workstreams:group", args=[scene.diabetes.pk])))
    assert f"Deputy for {scene.member.display_name}" in page
    assert "Clinician" in page
    assert "Add someone to the group" not in page


def test_who_may_add_someone_to_the_group(scene):
    url = reverse("workstreams:group_member_create", args=[scene.diabetes.pk])
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403, "member": 403, "board": 200, "lead": 200}
    assert_matrix(scene.world, url, expected)


def test_a_non_executive_added_to_the_group_sits_as_one_from_their_role(client, scene):
    client.force_login(scene.board)
    response = client.post(
        reverse("workstreams:group_member_create", args=[scene.diabetes.pk]),
        {"user": scene.ned.pk, "role": "member"},
    )
    assert response.status_code == 302
    seat = GroupMember.objects.get(workstream=scene.diabetes, user=scene.ned)
    assert (seat.role, seat.is_non_executive, seat.organisation) == ("member", True, scene.world.council)
    assert WorkStreamRole.objects.filter(content_object=scene.diabetes, user=scene.ned).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "member"}, "Choose the person"),
        ({"role": "chair"}, "Choose the group role from the list"),
        ({"role": "member", "user": "member"}, "is already in the Diabetes group"),
        ({"role": "member", "user": "outsider"}, "Choose the person from the list"),
        ({"role": "member", "user": "viewer", "deputy_for": "seat"}, "Only a deputy stands in for a named member."),
    ],
)
def test_a_bad_seat_is_refused_and_nothing_written(client, scene, data, message):
    if "user" in data:
        data = {**data, "user": getattr(scene, data["user"]).pk}
    if "deputy_for" in data:
        data = {**data, "deputy_for": scene.member_seat.pk}
    client.force_login(scene.board)
    seats, grants = GroupMember.objects.count(), WorkStreamRole.objects.count()
    response = client.post(reverse("workstreams:group_member_create", args=[scene.diabetes.pk]), data)
    assert response.status_code == 400
    assert any(message in error for error, _ in error_summary(response)), error_summary(response)
    assert (GroupMember.objects.count(), WorkStreamRole.objects.count()) == (seats, grants)


def test_making_a_member_an_observer_takes_away_their_right_to_write(client, scene):
    client.force_login(scene.board)
    response = client.post(
        reverse("workstreams:group_member_update", args=[scene.member_seat.pk]),
        {"role": "observer"},
    )
    assert response.status_code == 302
    codenames = set(
        WorkStreamRole.objects.filter(content_object=scene.diabetes, user=scene.member).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"workstream_observer"}
    client.force_login(scene.member)
    assert client.get(reverse("workstreams:meeting_create", args=[scene.diabetes.pk])).status_code == 403


def test_removing_someone_keeps_their_seat_in_history_and_ends_their_rights(client, scene):
    url = reverse("workstreams:group_member_remove", args=[scene.member_seat.pk])
    assert_matrix(scene.world, url, {"outsider": 404, "viewer": 403, "member": 403, "board": 200})
    client.force_login(scene.board)
    assert client.post(url).status_code == 302
    scene.member_seat.refresh_from_db()
    assert scene.member_seat.left_on is not None
    assert not WorkStreamRole.objects.filter(content_object=scene.diabetes, user=scene.member).exists()
    assert GroupMember.objects.get(user=scene.deputy, workstream=scene.diabetes).deputy_for is None
    second = client.post(url)
    assert second.status_code == 400
    assert "has already left the group" in text(second)


def test_the_group_lead_sets_the_quorum_rule(client, scene):
    url = reverse("workstreams:workstream_quorum", args=[scene.diabetes.pk])
    assert_matrix(scene.world, url, {"outsider": 404, "viewer": 403, "member": 403, "board": 200, "lead": 200})
    client.force_login(scene.board)
    response = client.post(url, {"quorum_minimum": "3", "quorum_percentage": "", "quorum_needs_clinician": "on"})
    assert response.status_code == 302
    scene.diabetes.refresh_from_db()
    assert scene.diabetes.quorum_description == "At least 3 members present, including a clinician."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quorum_minimum": "", "quorum_percentage": ""}, "Set a minimum number of members, a percentage, or both."),
        ({"quorum_percentage": "150"}, "Percentage of members present must be 100 or less"),
        ({"quorum_minimum": "three"}, "Minimum number of members present must be a whole number"),
        ({"quorum_minimum": "0"}, "Minimum number of members present must be 1 or more"),
    ],
)
def test_a_bad_quorum_rule_is_refused(client, scene, data, message):
    client.force_login(scene.board)
    response = client.post(reverse("workstreams:workstream_quorum", args=[scene.diabetes.pk]), data)
    assert response.status_code == 400
    assert message in error_summary(response)[0][0]
    scene.diabetes.refresh_from_db()
    assert (scene.diabetes.quorum_minimum, scene.diabetes.quorum_percentage) == (None, 50)


def test_the_status_link_shows_only_to_people_who_may_move_the_status(client, scene):
    client.force_login(scene.member)
    assert "Change the status" not in text(client.get(scene.diabetes.get_absolute_url()))
    client.force_login(scene.board)
    assert "Change the status" in text(client.get(scene.diabetes.get_absolute_url()))


def test_the_group_lead_says_a_member_sits_as_a_clinician(client, scene):
    client.force_login(scene.board)
    response = client.post(
        reverse("workstreams:group_member_update", args=[scene.member_seat.pk]),
        {"role": "member", "is_clinician": "on"},
    )
    assert response.status_code == 302
    scene.member_seat.refresh_from_db()
    assert (scene.member_seat.is_clinician, scene.member_seat.is_non_executive) == (True, False)
