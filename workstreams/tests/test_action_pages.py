"""Actions: raising them, progress to completion, My actions, the action logs and their CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import SYSTEM
from core.http import PAGE_SIZE
from tests.html import error_summary, parse, text
from workstreams import services
from workstreams.models import Action, ActionNote, ActionStatus

from .helpers import assert_matrix

pytestmark = pytest.mark.django_db

READERS = {"anonymous": 302, "outsider": 404, "viewer": 200, "member": 200, "ned": 200, "board": 200, "lead": 200}
GROUP_WRITERS = {"anonymous": 302, "outsider": 404, "viewer": 403, "ned": 403, "member": 200, "board": 200, "lead": 200}
TODAY = timezone.localdate()


def days(count: int) -> str:
    return (TODAY + timedelta(days=count)).isoformat()


def test_who_may_add_an_action_to_a_workstream(scene):
    assert_matrix(scene.world, reverse("workstreams:action_create", args=[scene.diabetes.pk]), GROUP_WRITERS)


def test_who_may_add_an_action_at_a_board_meeting(scene):
    meeting = scene.meeting()
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403, "member": 403, "ned": 200, "lead": 200}
    assert_matrix(scene.world, reverse("workstreams:meeting_action_create", args=[meeting.pk]), expected)


def test_an_action_raised_at_a_meeting_item_takes_its_owners_organisation(client, scene):
    meeting = scene.meeting(scene.diabetes)
    item = services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Foot checks", purpose="decision")
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:meeting_action_create", args=[meeting.pk]),
        {"description": "Audit foot checks", "owner": scene.ned.pk, "due_on": days(20), "agenda_item": item.pk},
    )
    assert response["Location"] == meeting.get_absolute_url()
    action = Action.objects.get()
    assert (action.partnership, action.workstream, action.meeting, action.agenda_item) == (
        scene.partnership,
        scene.diabetes,
        meeting,
        item,
    )
    assert (action.owner, action.owner_organisation, action.raised_by, action.status) == (
        scene.ned,
        scene.world.council,
        scene.member,
        "open",
    )


def test_the_due_date_is_typed_as_day_month_and_year_in_the_nhsuk_date_input(client, scene):
    due = TODAY + timedelta(days=20)
    client.force_login(scene.member)
    url = reverse("workstreams:action_create", args=[scene.diabetes.pk])
    boxes = [
        (box["name"], box.find_previous("label").get_text(strip=True))
        for box in parse(client.get(url)).select("#id_due_on input")
    ]
    assert boxes == [("due_on[day]", "Day"), ("due_on[month]", "Month"), ("due_on[year]", "Year")]
    typed = {"due_on[day]": str(due.day), "due_on[month]": str(due.month), "due_on[year]": str(due.year)}
    response = client.post(url, {"description": "Write the plan", "owner": scene.member.pk, **typed})
    assert response.status_code == 302
    assert Action.objects.get().due_on == due


def test_a_due_date_missing_its_month_is_refused_and_what_was_typed_stays(client, scene):
    client.force_login(scene.member)
    url = reverse("workstreams:action_create", args=[scene.diabetes.pk])
    typed = {"due_on[day]": "27", "due_on[month]": "", "due_on[year]": "2027"}
    response = client.post(url, {"description": "Write the plan", "owner": scene.member.pk, **typed})
    assert response.status_code == 400
    assert error_summary(response) == [("Due date must include a month", "#id_due_on-month")]
    assert [box["value"] for box in parse(response).select("#id_due_on input")] == ["27", "", "2027"]
    assert Action.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on": days(-30)}, "The due date must be on or after the meeting it arose at"),
        ({"due_on": ""}, "Enter the date the action is due"),
        ({"due_on": "next Tuesday"}, "Enter a real date"),
        ({"due_on": days(4000)}, "The due date must be within 10 years."),
        ({"description": ""}, "Describe the action"),
        ({"description": "x" * 2001}, "Description must be 2000 characters or fewer"),
        ({"description": "<script>alert(1)</script>"}, "Remove the HTML tags"),
        ({"owner": "outsider"}, "Choose the owner from the list"),
        ({"owner_organisation": "other_trust"}, "Choose the owner's organisation from the list"),
        ({"agenda_item": "other"}, "Choose the agenda item it arose from, from the list"),
    ],
)
def test_a_bad_action_is_refused_with_a_clear_message_and_nothing_written(client, scene, changes, message):
    meeting = scene.meeting(scene.diabetes, days_ago=7)
    other_meeting = scene.meeting(scene.diabetes, days_ago=3)
    other_item = services.agenda_item_add(actor=SYSTEM, meeting=other_meeting, title="Other", purpose="note")
    lookups = {
        "outsider": scene.outsider.pk,
        "other_trust": scene.world.other_trust.pk,
        "other": other_item.pk,
    }
    data = {"description": "Write the plan", "owner": scene.member.pk, "due_on": days(10)}
    data.update({key: lookups.get(value, value) for key, value in changes.items()})
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:meeting_action_create", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert any(message in error for error, _ in error_summary(response)), error_summary(response)
    assert Action.objects.count() == 0


def test_an_owner_without_a_role_in_the_partnership_is_refused_by_the_service(scene):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        services.action_create(
            actor=scene.lead, workstream=scene.diabetes, description="x", owner=scene.outsider, due_on=TODAY
        )
    assert "has no role in Demo Health and Care Partnership" in raised.value.message_dict["owner"][0]
    assert Action.objects.count() == 0


def test_everyone_in_the_partnership_reads_an_action(scene):
    assert_matrix(scene.world, scene.action(scene.diabetes).get_absolute_url(), READERS)


def test_the_owner_from_outside_the_group_records_progress_and_completes_it(client, scene):
    action = scene.action(scene.medicines, owner=scene.member)
    client.force_login(scene.member)
    page = text(client.get(action.get_absolute_url()))
    assert "Record progress" in page
    assert "Change the action" not in page
    url = reverse("workstreams:action_progress", args=[action.pk])
    assert client.post(url, {"text": "Draft shared with GPs.", "status": "in_progress"}).status_code == 302
    assert client.post(url, {"text": "Signed off.", "status": "done"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (ActionStatus.DONE, TODAY)
    notes = list(action.notes.order_by("created_at").values_list("text", "from_status", "to_status"))
    assert notes == [("Draft shared with GPs.", "open", "in_progress"), ("Signed off.", "in_progress", "done")]


def test_the_owner_cannot_cancel_their_own_action_but_the_group_can(client, scene):
    action = scene.action(scene.medicines, owner=scene.member)
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:action_progress", args=[action.pk]), {"status": "cancelled"})
    assert response.status_code == 403
    client.force_login(scene.pharmacist)
    response = client.post(reverse("workstreams:action_progress", args=[action.pk]), {"status": "cancelled"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED


def test_who_may_record_progress(scene):
    action = scene.action(scene.diabetes, owner=scene.doctor)
    url = reverse("workstreams:action_progress", args=[action.pk])
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403, "ned": 403, "member": 302, "lead": 302}
    assert_matrix(scene.world, url, expected, method="post", data={"text": "Progress."})
    assert ActionNote.objects.filter(action=action).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Write a progress note or choose a new status."),
        ({"status": "open"}, "Write a progress note or choose a new status."),
        ({"status": "finished"}, "Choose the status from the list"),
        ({"text": "<a href=x>link</a>"}, "Remove the HTML tags"),
    ],
)
def test_bad_progress_is_refused(client, scene, data, message):
    action = scene.action(scene.diabetes)
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:action_progress", args=[action.pk]), data)
    assert response.status_code == 400
    assert message in error_summary(response)[0][0]
    assert ActionNote.objects.count() == 0


def test_a_done_action_cannot_jump_to_in_progress(client, scene):
    action = scene.action(scene.diabetes)
    services.action_complete(actor=SYSTEM, action=action)
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:action_progress", args=[action.pk]), {"status": "in_progress"})
    assert response.status_code == 400
    assert error_summary(response)[0][0] == "An action that is done cannot become in progress. It can become: open."
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_reopening_a_done_action_clears_its_completed_date(client, scene):
    action = scene.action(scene.diabetes)
    services.action_complete(actor=SYSTEM, action=action)
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:action_progress", args=[action.pk]), {"status": "open", "text": "Not finished after all."}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("open", None)


def test_the_group_changes_an_action(client, scene):
    action = scene.action(scene.diabetes)
    url = reverse("workstreams:action_update", args=[action.pk])
    assert_matrix(scene.world, url, GROUP_WRITERS)
    client.force_login(scene.member)
    response = client.post(url, {"description": "Write the plan", "owner": scene.doctor.pk, "due_on": days(30)})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.owner_organisation, action.due_on) == (
        scene.doctor,
        scene.world.trust,
        TODAY + timedelta(days=30),
    )


@pytest.fixture
def mixed(scene):
    """Actions of every kind owned by or raised by `member`."""
    overdue = scene.action(scene.diabetes, owner=scene.member, due_in_days=-5, description="Overdue one")
    upcoming = scene.action(scene.medicines, owner=scene.member, due_in_days=5, description="Upcoming one")
    done = scene.action(scene.diabetes, owner=scene.member, due_in_days=-9, description="Done one")
    services.action_complete(actor=SYSTEM, action=done)
    raised = services.action_create(
        actor=scene.member,
        workstream=scene.diabetes,
        description="Raised for the doctor",
        owner=scene.doctor,
        due_on=TODAY + timedelta(days=3),
    )
    return {"overdue": overdue, "upcoming": upcoming, "done": done, "raised": raised}


def action_descriptions(response) -> list[str]:
    from tests.html import parse

    return [
        " ".join(cell.get_text(" ").split()).split(": ", 1)[1]
        for cell in parse(response).select("tbody td:first-child")
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Overdue one", "Upcoming one"]),
        ("?state=overdue", ["Overdue one"]),
        ("?state=closed", ["Done one"]),
        ("?state=all", ["Done one", "Overdue one", "Upcoming one"]),
        ("?which=raised&state=open", ["Raised for the doctor"]),
        ("?state=nonsense", ["Overdue one", "Upcoming one"]),
    ],
)
def test_my_actions_filters_what_is_assigned_to_me_or_raised_by_me(client, scene, mixed, query, expected):
    client.force_login(scene.member)
    response = client.get(reverse("workstreams:my_actions") + query)
    assert response.status_code == 200
    assert action_descriptions(response) == expected


def test_my_actions_shows_counts_and_marks_overdue_in_words(client, scene, mixed):
    client.force_login(scene.member)
    page = text(client.get(reverse("workstreams:my_actions")))
    assert "Open (2) Overdue (1) Closed (1) All (3)" in page
    assert "Overdue one Diabetes" in page
    assert "Overdue" in text(client.get(reverse("workstreams:my_actions")), "tbody tr:first-child")


def test_my_actions_needs_sign_in_and_shows_nothing_of_other_partnerships(client, scene, mixed):
    assert_matrix(scene.world, reverse("workstreams:my_actions"), {"anonymous": 302, "outsider": 200})
    client.force_login(scene.outsider)
    assert action_descriptions(client.get(reverse("workstreams:my_actions") + "?state=all")) == []


@pytest.mark.parametrize("rows", [3, 30])
def test_my_actions_costs_the_same_queries_for_3_or_30_actions(client, scene, rows, django_assert_num_queries):
    for number in range(rows):
        meeting = scene.meeting(scene.diabetes if number % 2 else None, days_ago=number)
        scene.action(meeting=meeting, owner=scene.member, due_in_days=5 - number)
    client.force_login(scene.member)
    with django_assert_num_queries(5):  # one of them the owners, fetched apart from the page (action_list)
        response = client.get(reverse("workstreams:my_actions") + "?state=all")
    assert len(action_descriptions(response)) == min(rows, PAGE_SIZE)


def test_everyone_reads_the_action_log(scene):
    assert_matrix(scene.world, reverse("workstreams:action_log", args=[scene.diabetes.pk]), READERS)
    assert_matrix(scene.world, reverse("workstreams:board_action_log", args=["QZZ"]), READERS)


def test_the_action_log_has_the_same_filters(client, scene, mixed):
    client.force_login(scene.viewer)
    url = reverse("workstreams:action_log", args=[scene.diabetes.pk])
    assert action_descriptions(client.get(url)) == ["Overdue one", "Raised for the doctor"]
    assert action_descriptions(client.get(url + "?state=overdue")) == ["Overdue one"]
    assert action_descriptions(client.get(url + "?state=closed")) == ["Done one"]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_action_log_costs_the_same_queries_for_3_or_30_actions(client, scene, rows, django_assert_num_queries):
    for number in range(rows):
        scene.action(scene.diabetes, owner=scene.doctor if number % 2 else scene.member, due_in_days=number - 10)
    client.force_login(scene.viewer)
    with django_assert_num_queries(8):
        response = client.get(reverse("workstreams:action_log", args=[scene.diabetes.pk]) + "?state=all")
    assert len(action_descriptions(response)) == min(rows, PAGE_SIZE)


def test_a_long_log_is_paged_25_at_a_time_keeping_its_filter(client, scene):
    for number in range(30):
        scene.action(scene.diabetes, due_in_days=number)
    client.force_login(scene.viewer)
    url = reverse("workstreams:action_log", args=[scene.diabetes.pk])
    first, second = client.get(url + "?state=open"), client.get(url + "?state=open&page=2")
    assert (len(action_descriptions(first)), len(action_descriptions(second))) == (25, 5)
    assert "Page 2 of 2" in text(first)
    assert 'href="?state=open&amp;page=2"' in first.content.decode()


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_action_log_downloads_as_csv_for_everyone_who_reads_it(scene, mixed):
    url = reverse("workstreams:action_log_export", args=[scene.diabetes.pk])
    assert_matrix(scene.world, url, READERS)


def test_the_csv_export_is_safe_against_spreadsheet_formulas(client, scene):
    scene.action(scene.diabetes, description='=HYPERLINK("http://evil.example","Click")', due_in_days=-1)
    client.force_login(scene.viewer)
    response = client.get(reverse("workstreams:action_log_export", args=[scene.diabetes.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="diabetes-actions-all-')
    rows = read_csv(response)
    assert rows[0][:6] == ["Reference", "Description", "Owner", "Owner's organisation", "Due date", "Status"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert rows[1][6] == "Yes"


def test_the_csv_export_follows_the_filter(client, scene, mixed):
    client.force_login(scene.viewer)
    url = reverse("workstreams:action_log_export", args=[scene.diabetes.pk])
    assert [row[1] for row in read_csv(client.get(url + "?state=closed"))[1:]] == ["Done one"]
    assert len(read_csv(client.get(url))) == 4


def test_the_board_has_its_own_action_log_and_export(client, scene):
    meeting = scene.meeting()
    scene.action(meeting=meeting, owner=scene.board, description="Board action")
    scene.action(scene.diabetes, description="Group action")
    client.force_login(scene.viewer)
    assert action_descriptions(client.get(reverse("workstreams:board_action_log", args=["QZZ"]))) == ["Board action"]
    rows = read_csv(client.get(reverse("workstreams:board_action_log_export", args=["QZZ"])))
    assert [row[1] for row in rows[1:]] == ["Board action"]
