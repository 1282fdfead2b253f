"""Minutes: written per agenda item, approved and locked, amended as a new version that keeps the old one."""

import pytest
from django.urls import reverse

from core.audit import SYSTEM
from tests.html import error_summary, text
from workstreams import services
from workstreams.models import MeetingStatus, MinutesVersion
from workstreams.services import AttendanceLine

from .helpers import assert_matrix

pytestmark = pytest.mark.django_db

GROUP_WRITERS = {"anonymous": 302, "outsider": 404, "viewer": 403, "ned": 403, "member": 200, "board": 200, "lead": 200}


@pytest.fixture
def held(scene):
    """A held Diabetes meeting with two agenda items and its attendance recorded."""
    meeting = scene.meeting(scene.diabetes)
    services.meeting_change_status(actor=SYSTEM, meeting=meeting, status="held")
    first = services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Retinal screening", purpose="decision")
    second = services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Any other business", purpose="note")
    services.attendance_record(
        actor=SYSTEM,
        meeting=meeting,
        lines=[AttendanceLine(scene.board, "present"), AttendanceLine(scene.member, "present")],
    )
    meeting.items = (first, second)
    return meeting


def minutes_data(meeting, first="Agreed to extend screening to all practices.", second=""):
    return {f"item_{meeting.items[0].pk}": first, f"item_{meeting.items[1].pk}": second}


def test_who_may_write_the_minutes(scene, held):
    assert_matrix(scene.world, reverse("workstreams:minutes_edit", args=[held.pk]), GROUP_WRITERS)


def test_writing_the_minutes_makes_them_a_draft(client, scene, held):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:minutes_edit", args=[held.pk]), minutes_data(held))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == MeetingStatus.MINUTES_DRAFT
    assert held.agenda_items.get(position=1).minutes == "Agreed to extend screening to all practices."
    page = text(client.get(held.get_absolute_url()))
    assert "The minutes are a draft until they are approved." in page


def test_minutes_cannot_be_written_before_the_meeting_is_held(client, scene):
    meeting = scene.meeting(scene.diabetes)
    item = services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Budget", purpose="decision")
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:minutes_edit", args=[meeting.pk]), {f"item_{item.pk}": "Agreed."})
    assert response.status_code == 400
    assert "Mark it as held first" in error_summary(response)[0][0]
    item.refresh_from_db()
    assert item.minutes == ""


def test_markup_in_minutes_is_refused(client, scene, held):
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:minutes_edit", args=[held.pk]), minutes_data(held, "<script>steal()</script>")
    )
    assert response.status_code == 400
    assert "Remove the HTML tags" in error_summary(response)[0][0]
    held.refresh_from_db()
    assert held.status == MeetingStatus.HELD


def test_who_may_approve_the_minutes(scene, held):
    services.minutes_record(actor=SYSTEM, meeting=held, minutes={held.items[0].pk: "Agreed."})
    assert_matrix(scene.world, reverse("workstreams:minutes_approve", args=[held.pk]), GROUP_WRITERS)


def test_approving_the_minutes_locks_them_as_version_one(client, scene, held):
    services.minutes_record(actor=SYSTEM, meeting=held, minutes={held.items[0].pk: "Agreed."})
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:minutes_approve", args=[held.pk]))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == MeetingStatus.MINUTES_APPROVED
    version = MinutesVersion.objects.get(meeting=held)
    assert (version.number, version.approved_by, version.items[0]["minutes"]) == (1, scene.member, "Agreed.")
    again = client.post(reverse("workstreams:minutes_approve", args=[held.pk]))
    assert again.status_code == 400
    assert "already approved" in text(again, ".nhsuk-error-summary")
    assert MinutesVersion.objects.count() == 1


def test_minutes_without_attendance_are_not_approved(client, scene):
    meeting = scene.meeting(scene.diabetes)
    services.meeting_change_status(actor=SYSTEM, meeting=meeting, status="held")
    item = services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Budget", purpose="decision")
    services.minutes_record(actor=SYSTEM, meeting=meeting, minutes={item.pk: "Agreed."})
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:minutes_approve", args=[meeting.pk]))
    assert response.status_code == 400
    assert "Record who attended" in text(response, ".nhsuk-error-summary")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_DRAFT


def test_empty_minutes_are_not_approved(client, scene, held):
    services.minutes_record(actor=SYSTEM, meeting=held, minutes={held.items[0].pk: "  "})
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:minutes_approve", args=[held.pk]))
    assert response.status_code == 400
    assert "The minutes are empty" in text(response, ".nhsuk-error-summary")
    assert MinutesVersion.objects.count() == 0


@pytest.fixture
def approved(held):
    services.minutes_record(actor=SYSTEM, meeting=held, minutes={held.items[0].pk: "Agreed."})
    services.minutes_approve(actor=SYSTEM, meeting=held)
    return held


def test_a_second_edit_of_approved_minutes_is_refused_unless_it_is_an_amendment(client, scene, approved):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:minutes_edit", args=[approved.pk]), minutes_data(approved, "Changed."))
    assert response.status_code == 400
    assert error_summary(response) == [("Say why the approved minutes are being amended", "#id_amendment_reason")]
    assert approved.agenda_items.get(position=1).minutes == "Agreed."
    assert MinutesVersion.objects.count() == 1


def test_the_service_refuses_a_plain_edit_of_approved_minutes_too(scene, approved):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        services.minutes_record(actor=scene.member, meeting=approved, minutes={approved.items[0].pk: "Changed."})
    assert raised.value.message_dict["amendment_reason"] == [
        "These minutes are approved and locked. To change them, make an amendment and say why."
    ]
    assert approved.agenda_items.get(position=1).minutes == "Agreed."


def test_an_amendment_makes_a_new_version_and_keeps_the_old_one(client, scene, approved):
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:minutes_edit", args=[approved.pk]),
        {**minutes_data(approved, "Agreed, subject to funding."), "amendment_reason": "Funding condition left out."},
    )
    assert response.status_code == 302
    versions = list(MinutesVersion.objects.filter(meeting=approved).order_by("number"))
    assert [(v.number, v.items[0]["minutes"], v.amendment_reason) for v in versions] == [
        (1, "Agreed.", ""),
        (2, "Agreed, subject to funding.", "Funding condition left out."),
    ]
    approved.refresh_from_db()
    assert approved.status == MeetingStatus.MINUTES_APPROVED
    page = text(client.get(approved.get_absolute_url()))
    assert "Version 2 , amended" in page
    assert "Version 1 , approved" in page
    old = client.get(reverse("workstreams:minutes_version", args=[approved.pk, 1]))
    assert "These minutes were later amended" in text(old)
    assert "Agreed." in text(old)
    current = client.get(reverse("workstreams:minutes_version", args=[approved.pk, 2]))
    assert "later amended" not in text(current)
    assert "Reason for the amendment: Funding condition left out." in text(current)


def test_an_amendment_that_changes_nothing_is_refused(client, scene, approved):
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:minutes_edit", args=[approved.pk]),
        {**minutes_data(approved, "Agreed."), "amendment_reason": "No reason."},
    )
    assert response.status_code == 400
    assert "Nothing has changed" in error_summary(response)[0][0]
    assert MinutesVersion.objects.count() == 1


def test_the_agenda_of_approved_minutes_is_locked(client, scene, approved):
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:agenda_item_update", args=[approved.items[0].pk]), {"title": "New", "purpose": "note"}
    )
    assert response.status_code == 400
    assert "approved" in error_summary(response)[0][0]


def test_everyone_in_the_partnership_reads_approved_versions(scene, approved):
    url = reverse("workstreams:minutes_version", args=[approved.pk, 1])
    expected = {"anonymous": 302, "outsider": 404, "viewer": 200, "member": 200, "ned": 200, "board": 200, "lead": 200}
    assert_matrix(scene.world, url, expected)
    assert_matrix(scene.world, reverse("workstreams:minutes_version", args=[approved.pk, 9]), {"viewer": 404})
