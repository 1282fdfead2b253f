"""Meeting pages: scheduling, the meeting page, status, agenda, papers and attendance with quorum."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProfileFactory, UserFactory, grant
from tests.html import error_summary, text
from workstreams import services
from workstreams.models import (
    AgendaItem,
    AgendaPurpose,
    GroupRole,
    Meeting,
    MeetingStatus,
    Paper,
)
from workstreams.services import AttendanceLine

from .helpers import assert_matrix

pytestmark = pytest.mark.django_db

READERS = {"anonymous": 302, "outsider": 404, "viewer": 200, "member": 200, "ned": 200, "board": 200, "lead": 200}
GROUP_WRITERS = {"anonymous": 302, "outsider": 404, "viewer": 403, "ned": 403, "member": 200, "board": 200, "lead": 200}
BOARD_WRITERS = {"anonymous": 302, "outsider": 404, "viewer": 403, "member": 403, "ned": 200, "board": 200, "lead": 200}

MEETING = {"title": "", "day": "2026-12-03", "time": "14:00", "duration_minutes": "90", "place": "Room 4, Town Hall"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_who_may_schedule_a_workstream_meeting(scene):
    assert_matrix(scene.world, reverse("workstreams:meeting_create", args=[scene.diabetes.pk]), GROUP_WRITERS)


def test_who_may_schedule_a_board_meeting(scene):
    assert_matrix(scene.world, reverse("workstreams:board_meeting_create", args=["QZZ"]), BOARD_WRITERS)


def test_a_group_member_schedules_a_meeting_named_after_the_group(client, scene):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:meeting_create", args=[scene.diabetes.pk]), MEETING)
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.title == "Diabetes group meeting"
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-12-03 14:00"
    assert (meeting.partnership, meeting.workstream, meeting.status) == (scene.partnership, scene.diabetes, "scheduled")


def test_a_board_member_schedules_a_board_meeting(client, scene):
    client.force_login(scene.ned)
    response = client.post(
        reverse("workstreams:board_meeting_create", args=["QZZ"]),
        {**MEETING, "place": "", "link": "https://teams.example.nhs.uk/board"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.title, meeting.workstream, meeting.is_board_meeting) == ("Partnership board meeting", None, True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"place": "", "link": ""}, "Enter where the meeting is, an online link, or both"),
        ({"day": ""}, "Enter the date"),
        ({"day": "31/02/2026"}, "Enter a real date, like 27 3 2027"),
        ({"day": "", "day[day]": "1", "day[month]": "", "day[year]": "2026"}, "Date must include a month"),
        ({"time": "25:00"}, "Enter a real time, like 14:30"),
        ({"duration_minutes": "1000"}, "Ensure this value is less than or equal to 720"),
        ({"duration_minutes": "an hour"}, "Length in minutes must be a whole number"),
        ({"title": "<script>alert(1)</script>"}, "Remove the HTML tags"),
        ({"link": "javascript:alert(1)"}, "Enter the online meeting link as a full web address"),
    ],
)
def test_a_bad_meeting_is_refused_with_a_clear_message(client, scene, changes, message):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:meeting_create", args=[scene.diabetes.pk]), {**MEETING, **changes})
    assert response.status_code == 400
    assert any(message in error for error, _ in error_summary(response)), error_summary(response)
    assert Meeting.objects.count() == 0


def test_a_closed_workstream_holds_no_more_meetings(client, scene):
    services.workstream_change_status(actor=scene.lead, workstream=scene.diabetes, status="closed", reason="Done.")
    client.force_login(scene.lead)
    response = client.post(reverse("workstreams:meeting_create", args=[scene.diabetes.pk]), MEETING)
    assert response.status_code == 400
    assert "Diabetes is closed: it holds no more meetings." in error_summary(response)[0][0]
    assert Meeting.objects.count() == 0


def test_everyone_in_the_partnership_reads_a_meeting_page(scene):
    assert_matrix(scene.world, scene.meeting(scene.diabetes).get_absolute_url(), READERS)
    assert_matrix(scene.world, scene.meeting().get_absolute_url(), READERS)


def test_the_meetings_lists_are_read_by_everyone_in_the_partnership(scene):
    scene.meeting(scene.diabetes)
    scene.meeting()
    assert_matrix(scene.world, reverse("workstreams:meeting_list", args=[scene.diabetes.pk]), READERS)
    assert_matrix(scene.world, reverse("workstreams:board_meeting_list", args=["QZZ"]), READERS)


def busy_meeting(scene, people: int, items: int) -> Meeting:
    """A held meeting with `people` extra group members (all present) and `items` agenda items with papers."""
    for _ in range(people):
        user = UserFactory()
        ProfileFactory(user=user, organisation=scene.world.trust)
        grant(user, scene.partnership, "member")
        services.group_member_add(actor=scene.lead, workstream=scene.diabetes, user=user, role=GroupRole.MEMBER)
    meeting = scene.meeting(scene.diabetes)
    for number in range(items):
        item = services.agenda_item_add(
            actor=scene.lead,
            meeting=meeting,
            title=f"Item {number}",
            purpose=AgendaPurpose.NOTE,
            presenter=scene.doctor,
        )
        services.paper_add(
            actor=scene.lead, item=item, title=f"Paper {number}", file=SimpleUploadedFile("p.pdf", b"%PDF-1.4 x")
        )
        scene.action(meeting=meeting, owner=scene.member)
    seats = [member.user for member in scene.diabetes.group_members.all()]
    services.attendance_record(
        actor=scene.lead, meeting=meeting, lines=[AttendanceLine(user, "present") for user in seats]
    )
    return meeting


@pytest.mark.parametrize(("people", "items"), [(3, 3), (30, 30)])
def test_the_meeting_page_costs_the_same_queries_for_a_big_group_and_long_agenda(
    client, scene, people, items, django_assert_num_queries
):
    meeting = busy_meeting(scene, people, items)
    client.force_login(scene.member)
    with django_assert_num_queries(11):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert f"Item {items - 1}" in text(response)


def test_the_meeting_page_shows_quorum_with_its_reason_and_each_persons_attendance(client, scene):
    meeting = scene.meeting(scene.diabetes)
    services.attendance_record(
        actor=scene.member,
        meeting=meeting,
        lines=[AttendanceLine(scene.member, "present"), AttendanceLine(scene.doctor, "apologies")],
    )
    client.force_login(scene.viewer)
    page = text(client.get(meeting.get_absolute_url()))
    assert "Not quorate: 1 of 3 members present, 2 needed" in page
    assert f"{scene.doctor.display_name} Demo Hospitals NHS Foundation Trust Member Apologies" in page
    assert f"{scene.board.display_name} Demo Hospitals NHS Foundation Trust Lead Not recorded" in page
    assert "Record attendance" not in page


@pytest.mark.parametrize("persona", ["member", "lead"])
def test_the_group_marks_a_meeting_held(client, scene, persona):
    meeting = scene.meeting(scene.diabetes)
    client.force_login(getattr(scene, persona))
    url = reverse("workstreams:meeting_status", args=[meeting.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "held"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_who_may_change_a_meetings_status(scene):
    meeting = scene.meeting(scene.diabetes)
    assert_matrix(scene.world, reverse("workstreams:meeting_status", args=[meeting.pk]), GROUP_WRITERS)


def test_a_meeting_cannot_jump_from_scheduled_to_minutes_approved(client, scene):
    meeting = scene.meeting(scene.diabetes)
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:meeting_status", args=[meeting.pk]), {"status": "minutes_approved"})
    assert response.status_code == 400
    assert error_summary(response)[0][0] == (
        "A meeting that is scheduled cannot become minutes approved. It can become: held, cancelled."
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_a_meeting_in_the_future_cannot_be_marked_held(client, scene):
    meeting = scene.meeting(scene.diabetes, days_ago=-3)
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:meeting_status", args=[meeting.pk]), {"status": "held"})
    assert response.status_code == 400
    assert "has not started yet" in error_summary(response)[0][0]


def test_a_cancelled_meeting_can_be_reinstated_but_not_given_an_agenda(client, scene):
    meeting = scene.meeting(scene.diabetes)
    client.force_login(scene.member)
    client.post(reverse("workstreams:meeting_status", args=[meeting.pk]), {"status": "cancelled", "reason": "Snow."})
    response = client.post(
        reverse("workstreams:agenda_item_create", args=[meeting.pk]), {"title": "Budget", "purpose": "decision"}
    )
    assert response.status_code == 400
    assert "was cancelled" in error_summary(response)[0][0]
    client.post(reverse("workstreams:meeting_status", args=[meeting.pk]), {"status": "scheduled"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_the_meeting_details_can_be_changed_until_the_minutes_are_approved(client, scene):
    meeting = scene.meeting(scene.diabetes)
    url = reverse("workstreams:meeting_update", args=[meeting.pk])
    assert_matrix(scene.world, url, GROUP_WRITERS)
    client.force_login(scene.member)
    response = client.post(url, {**MEETING, "title": "Extraordinary meeting", "place": "Room 5"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.place) == ("Extraordinary meeting", "Room 5")


def test_who_may_add_to_the_agenda(scene):
    meeting = scene.meeting(scene.diabetes)
    assert_matrix(scene.world, reverse("workstreams:agenda_item_create", args=[meeting.pk]), GROUP_WRITERS)


def test_agenda_items_are_numbered_in_order_with_purpose_and_presenter(client, scene):
    meeting = scene.meeting(scene.diabetes)
    client.force_login(scene.member)
    url = reverse("workstreams:agenda_item_create", args=[meeting.pk])
    client.post(url, {"title": "Minutes of the last meeting", "purpose": "note"})
    response = client.post(url, {"title": "Retinal screening", "purpose": "decision", "presenter": scene.doctor.pk})
    assert response.status_code == 302
    items = list(meeting.agenda_items.values_list("position", "title", "purpose", "presenter"))
    assert items == [
        (1, "Minutes of the last meeting", "note", None),
        (2, "Retinal screening", "decision", scene.doctor.pk),
    ]
    page = text(client.get(meeting.get_absolute_url()))
    assert f"2. Retinal screening For decision. Presented by {scene.doctor.display_name}" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"purpose": "decision"}, "Enter the item's title"),
        ({"title": "Budget", "purpose": "gossip"}, "Choose the purpose from the list"),
        ({"title": "Budget", "purpose": "decision", "presenter": "outsider"}, "Choose the presenter from the list"),
        ({"title": "<img src=x>", "purpose": "decision"}, "Remove the HTML tags"),
    ],
)
def test_a_bad_agenda_item_is_refused(client, scene, data, message):
    if data.get("presenter") == "outsider":
        data = {**data, "presenter": scene.outsider.pk}
    meeting = scene.meeting(scene.diabetes)
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:agenda_item_create", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert message in error_summary(response)[0][0]
    assert AgendaItem.objects.count() == 0


def test_an_agenda_item_is_changed(client, scene):
    meeting = scene.meeting(scene.diabetes)
    item = services.agenda_item_add(actor=scene.lead, meeting=meeting, title="Budget", purpose="decision")
    url = reverse("workstreams:agenda_item_update", args=[item.pk])
    assert_matrix(scene.world, url, GROUP_WRITERS)
    client.force_login(scene.member)
    assert client.post(url, {"title": "Budget 2027", "purpose": "discussion"}).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.purpose) == ("Budget 2027", "discussion")


@pytest.fixture
def item(scene):
    meeting = scene.meeting(scene.diabetes)
    return services.agenda_item_add(actor=scene.lead, meeting=meeting, title="Budget", purpose="decision")


def test_who_may_attach_a_paper(scene, item):
    assert_matrix(scene.world, reverse("workstreams:paper_create", args=[item.pk]), GROUP_WRITERS)


def test_a_paper_is_attached_and_downloaded_through_an_access_check(client, scene, item):
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:paper_create", args=[item.pk]),
        {"title": "Budget paper", "file": SimpleUploadedFile("budget.pdf", b"%PDF-1.7 budget", "application/pdf")},
    )
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert (paper.title, paper.size, paper.uploaded_by) == ("Budget paper", 15, scene.member)
    download = reverse("workstreams:paper_download", args=[paper.pk])
    assert_matrix(scene.world, download, READERS)
    client.force_login(scene.viewer)
    response = client.get(download)
    assert b"".join(response.streaming_content) == b"%PDF-1.7 budget"
    assert 'filename="budget.pdf"' in response["Content-Disposition"]


def test_a_paper_downloads_under_the_name_it_was_uploaded_with_though_storage_renamed_it(client, scene, item):
    for title in ["This year", "Next year"]:
        upload = SimpleUploadedFile("budget.pdf", b"%PDF-1.7 " + title.encode())
        services.paper_add(actor=scene.member, item=item, title=title, file=upload)
    second = Paper.objects.get(title="Next year")
    assert not second.file.name.endswith("/budget.pdf")  # the storage kept the first one's name
    client.force_login(scene.viewer)
    response = client.get(reverse("workstreams:paper_download", args=[second.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 Next year"
    assert response["Content-Disposition"] == 'attachment; filename="budget.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (20 * 1024 * 1024)), "smaller than 20 MB"),
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "The file must be a PDF"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), "The file is not a real PDF"),
        (SimpleUploadedFile("empty.pdf", b""), "The selected file is empty"),
    ],
)
def test_a_bad_paper_is_refused_and_nothing_stored(client, scene, item, upload, message):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:paper_create", args=[item.pk]), {"title": "", "file": upload})
    assert response.status_code == 400
    assert any(message in error for error, _ in error_summary(response)), error_summary(response)
    assert Paper.objects.count() == 0


def test_a_paper_needs_a_file(client, scene, item):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:paper_create", args=[item.pk]), {"title": "Budget"})
    assert response.status_code == 400
    assert error_summary(response) == [("Choose a file to upload", "#id_file")]


@pytest.mark.parametrize("rows", [3, 30])
def test_meeting_lists_cost_the_same_for_3_or_30_meetings(client, scene, rows, django_assert_num_queries):
    for number in range(rows):
        scene.meeting(scene.diabetes, days_ago=number)
        scene.meeting(days_ago=number)
    client.force_login(scene.member)
    with django_assert_num_queries(6):  # the first request after signing in reads the person once
        assert client.get(reverse("workstreams:meeting_list", args=[scene.diabetes.pk])).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(reverse("workstreams:board_meeting_list", args=["QZZ"])).status_code == 200
