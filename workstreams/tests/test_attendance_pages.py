"""Attendance and quorum on the pages: who is recorded, how deputies count, the board's deputies and its rule."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.audit import SYSTEM
from tests.html import error_summary, parse, text
from workstreams import services
from workstreams.models import Attendance
from workstreams.services import AttendanceLine

from .helpers import assert_matrix

pytestmark = pytest.mark.django_db

GROUP_WRITERS = {"anonymous": 302, "outsider": 404, "viewer": 403, "ned": 403, "member": 200, "board": 200, "lead": 200}


def test_who_may_record_attendance(scene):
    meeting = scene.meeting(scene.diabetes)
    assert_matrix(scene.world, reverse("workstreams:attendance", args=[meeting.pk]), GROUP_WRITERS)


def attendance_form(scene, **statuses):
    data = {f"status_{getattr(scene, name).pk}": status for name, status in statuses.items()}
    return data


def test_recording_attendance_computes_quorum_and_shows_why(client, scene):
    services.workstream_quorum_update(
        actor=scene.lead,
        workstream=scene.diabetes,
        quorum_minimum=3,
        quorum_percentage=None,
        quorum_needs_clinician=True,
        quorum_needs_non_executive=False,
    )
    meeting = scene.meeting(scene.diabetes)
    client.force_login(scene.member)
    url = reverse("workstreams:attendance", args=[meeting.pk])
    response = client.post(url, attendance_form(scene, board="present", member="present", doctor="apologies"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.quorate is False
    assert meeting.quorum_explanation == "Not quorate: 2 of 3 members present, 3 needed; no clinician present"
    response = client.post(url, attendance_form(scene, board="present", member="present", doctor="present"))
    meeting.refresh_from_db()
    assert meeting.quorum_explanation == "Quorate: 3 of 3 members present, 3 needed"
    assert Attendance.objects.filter(meeting=meeting).count() == 3


def test_a_named_deputy_counts_for_the_member_they_stand_in_for(client, scene):
    meeting = scene.meeting(scene.diabetes)
    client.force_login(scene.board)
    url = reverse("workstreams:attendance", args=[meeting.pk])
    form = client.get(url)
    chosen = parse(form).select_one(f"#id_deputy_for_{scene.deputy.pk} option[selected]")
    assert chosen["value"] == str(scene.member.pk)
    data = attendance_form(scene, board="present", member="apologies", deputy="present", doctor="absent")
    response = client.post(url, {**data, f"deputy_for_{scene.deputy.pk}": str(scene.member.pk)})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.quorum_explanation == "Quorate: 2 of 3 members present (including 1 named deputy), 2 needed"
    record = Attendance.objects.get(meeting=meeting, user=scene.deputy)
    assert record.deputy_for == scene.member


def test_a_deputy_not_named_for_anyone_does_not_count(client, scene):
    meeting = scene.meeting(scene.diabetes)
    client.force_login(scene.board)
    data = attendance_form(scene, board="present", member="apologies", deputy="present", doctor="absent")
    client.post(reverse("workstreams:attendance", args=[meeting.pk]), {**data, f"deputy_for_{scene.deputy.pk}": ""})
    meeting.refresh_from_db()
    # The group names the deputy for `member`, so leaving it blank on the form falls back to the group's naming.
    assert meeting.quorate is True
    services.group_member_update(
        actor=scene.lead, member=scene.diabetes.group_members.get(user=scene.deputy), deputy_for=None
    )
    client.post(reverse("workstreams:attendance", args=[meeting.pk]), {**data, f"deputy_for_{scene.deputy.pk}": ""})
    meeting.refresh_from_db()
    assert meeting.quorum_explanation == (
        "Not quorate: 1 of 3 members present, 2 needed; 1 deputy not counted: not named for an absent member"
    )


def test_attendance_for_someone_not_in_the_group_is_refused_and_nothing_written(scene):
    meeting = scene.meeting(scene.diabetes)
    services.attendance_record(actor=scene.member, meeting=meeting, lines=[AttendanceLine(scene.member, "present")])
    with pytest.raises(ValidationError) as raised:
        services.attendance_record(
            actor=scene.member,
            meeting=meeting,
            lines=[AttendanceLine(scene.board, "present"), AttendanceLine(scene.pharmacist, "present")],
        )
    assert raised.value.message_dict == {
        "attendance": [f"{scene.pharmacist} is not in the Diabetes group, so their attendance cannot be recorded here."]
    }
    assert list(Attendance.objects.filter(meeting=meeting).values_list("user", flat=True)) == [scene.member.pk]


def test_attendance_form_refuses_a_tampered_status(client, scene):
    meeting = scene.meeting(scene.diabetes)
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:attendance", args=[meeting.pk]), attendance_form(scene, member="asleep")
    )
    assert response.status_code == 400
    assert "from the list" in error_summary(response)[0][0]
    assert Attendance.objects.count() == 0


def test_only_a_deputy_stands_in_for_someone(client, scene):
    meeting = scene.meeting(scene.diabetes)
    with pytest.raises(Exception, match="is not a deputy"):
        services.attendance_record(
            actor=scene.member, meeting=meeting, lines=[AttendanceLine(scene.doctor, "present", scene.member)]
        )
    assert Attendance.objects.count() == 0


def test_at_the_board_someone_else_of_the_partnership_deputises_for_a_named_board_member(client, scene):
    services.board_quorum_update(
        actor=scene.lead,
        partnership=scene.partnership,
        quorum_minimum=None,
        quorum_percentage=100,
        quorum_needs_clinician=False,
        quorum_needs_non_executive=True,
    )
    meeting = scene.meeting()
    client.force_login(scene.lead)
    url = reverse("workstreams:attendance", args=[meeting.pk])
    data = attendance_form(scene, lead="present", board="present", ned="apologies")
    response = client.post(url, {**data, "new_deputy": scene.viewer.pk, "new_deputy_for": scene.ned.pk})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.quorum_explanation == (
        "Not quorate: 3 of 3 members present (including 1 named deputy), 3 needed; "
        "no non-executive or lay member present"
    )
    page = text(client.get(meeting.get_absolute_url()))
    assert f"Present, for {scene.ned.display_name}" in page
    again = client.get(url)
    assert f'name="status_{scene.viewer.pk}"' in again.content.decode()


def test_a_board_deputy_must_name_the_member(client, scene):
    meeting = scene.meeting()
    client.force_login(scene.lead)
    response = client.post(reverse("workstreams:attendance", args=[meeting.pk]), {"new_deputy": scene.viewer.pk})
    assert response.status_code == 400
    assert error_summary(response) == [("Choose the board member they stood in for", "#id_new_deputy_for")]


def test_the_board_quorum_rule_is_set_by_the_partnership_lead_only(client, scene):
    url = reverse("workstreams:board_quorum", args=["QZZ"])
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403, "member": 403, "ned": 403, "board": 403, "lead": 200}
    assert_matrix(scene.world, url, expected)
    client.force_login(scene.lead)
    response = client.post(url, {"quorum_minimum": "4", "quorum_needs_non_executive": "on"})
    assert response.status_code == 302
    page = text(client.get(reverse("workstreams:board_meeting_list", args=["QZZ"])))
    assert "At least 4 members present, including a non-executive or lay member." in page


def test_attendance_is_locked_once_the_minutes_are_approved(client, scene):
    meeting = scene.meeting(scene.diabetes)
    services.meeting_change_status(actor=SYSTEM, meeting=meeting, status="held")
    item = services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Budget", purpose="decision")
    services.attendance_record(actor=SYSTEM, meeting=meeting, lines=[AttendanceLine(scene.member, "present")])
    services.minutes_record(actor=SYSTEM, meeting=meeting, minutes={item.pk: "Agreed."})
    services.minutes_approve(actor=SYSTEM, meeting=meeting)
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:attendance", args=[meeting.pk]), attendance_form(scene, board="present")
    )
    assert response.status_code == 400
    assert "approved" in error_summary(response)[0][0]
    assert Attendance.objects.filter(meeting=meeting).count() == 1
