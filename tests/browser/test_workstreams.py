"""Work-streams in the browser, with axe on every page: a group member logs a meeting end to end, and a tour of
the other work-stream pages (forms, lists, the board's pages, an error page)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.audit import SYSTEM
from workstreams import services
from workstreams.models import Action, Meeting, MeetingStatus
from workstreams.tests.conftest import Scene

from .conftest import assert_accessible, fill_date, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scene = Scene(world)
    services.workstream_quorum_update(
        actor=scene.lead,
        workstream=scene.diabetes,
        quorum_minimum=None,
        quorum_percentage=50,
        quorum_needs_clinician=True,
        quorum_needs_non_executive=False,
    )
    return scene


def main(page):
    return page.locator("main")


def submit(page, name: str) -> None:
    page.get_by_role("button", name=name).click()


def test_a_group_member_logs_a_meeting_end_to_end_and_the_actions_reach_their_owners(page, scene):
    yesterday = timezone.localdate() - timedelta(days=1)
    sign_in(page, "member")

    # The work-stream page, then schedule yesterday's meeting.
    page.goto(scene.diabetes.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=re.compile("Diabetes$"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Schedule a meeting").click()
    assert_accessible(page)
    fill_date(page, "Date", yesterday)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place").fill("Meeting room 2, Civic Centre")
    submit(page, "Schedule the meeting")
    page.get_by_text("The meeting has been scheduled").wait_for()
    meeting = Meeting.objects.get(workstream=scene.diabetes)
    assert_accessible(page)

    # The agenda: two items, one with a presenter.
    for title, purpose, presenter in [
        ("Prevention programme referrals", "For assurance", None),
        ("Retinal screening contract", "For decision", scene.doctor.display_name),
    ]:
        page.get_by_role("button", name="Add an agenda item").click()
        page.get_by_label("Title").fill(title)
        page.get_by_label(purpose).check()
        if presenter:
            page.get_by_label("Presenter").select_option(label=presenter)
        assert_accessible(page)
        submit(page, "Add the item")
        page.get_by_text(f"added to the agenda: {title}").wait_for()
    expect(main(page)).to_contain_text("2. Retinal screening contract For decision", use_inner_text=True)

    # The meeting took place: mark it held.
    page.get_by_role("link", name="Change the status").click()
    page.get_by_label("Held").check()
    assert_accessible(page)
    submit(page, "Change the status")
    page.get_by_text("The meeting is now: held.").wait_for()

    # Attendance: without the clinician the meeting is not quorate, and the page says why.
    page.get_by_role("link", name="Record attendance").click()
    for person, status in [(scene.board, "Present"), (scene.member, "Present"), (scene.doctor, "Apologies")]:
        page.get_by_label(person.display_name, exact=False).first.select_option(label=status)
    assert_accessible(page)
    submit(page, "Save attendance")
    page.get_by_text("Attendance recorded.").wait_for()
    expect(main(page)).to_contain_text(
        "Not quorate: 2 of 3 members present, 2 needed; no clinician present", use_inner_text=True
    )
    assert_accessible(page)

    # The clinician was there after all: quorate.
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label(scene.doctor.display_name, exact=False).first.select_option(label="Present")
    submit(page, "Save attendance")
    page.get_by_text("Quorate: 3 of 3 members present, 2 needed").first.wait_for()

    # Minutes of each item.
    page.get_by_role("button", name="Write the minutes").click()
    page.get_by_label("1. Prevention programme referrals").fill("Referrals are 12% below plan.")
    page.get_by_label("2. Retinal screening contract").fill("Agreed to extend the contract for a year.")
    assert_accessible(page)
    submit(page, "Save the minutes")
    page.get_by_text("Minutes saved.").wait_for()

    # Two actions, with owners and due dates.
    for description, owner, days in [
        ("Agree a joint campaign with the council", scene.member, 14),
        ("Bring the screening contract variation", scene.doctor, 21),
    ]:
        page.get_by_role("button", name="Add an action").click()
        page.get_by_label("Description").fill(description)
        page.get_by_label("Owner", exact=True).select_option(label=owner.display_name)
        fill_date(page, "Due date", timezone.localdate() + timedelta(days=days))
        assert_accessible(page)
        submit(page, "Add the action")
        page.get_by_text(f"added for {owner.display_name}").wait_for()
    assert Action.objects.filter(meeting=meeting).count() == 2

    # Approve the minutes: they are locked as version 1.
    page.get_by_role("button", name="Approve the minutes").click()
    assert_accessible(page)
    submit(page, "Approve the minutes")
    page.get_by_text("The minutes are approved and locked.").wait_for()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_APPROVED
    expect(main(page)).to_contain_text("Version 1", use_inner_text=True)
    assert_accessible(page)

    # Each owner finds their action on My actions.
    page.get_by_role("link", name="My actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(main(page)).to_contain_text("Agree a joint campaign with the council")
    expect(main(page)).not_to_contain_text("Bring the screening contract variation")
    assert_accessible(page)
    sign_out(page)
    sign_in(page, "doctor")
    page.get_by_role("link", name="My actions").click()
    expect(main(page)).to_contain_text("Bring the screening contract variation")
    assert_accessible(page)


def test_a_tour_of_the_other_work_stream_pages_finds_no_accessibility_problem(page, scene):
    meeting = scene.meeting(scene.diabetes)
    services.meeting_change_status(actor=scene.lead, meeting=meeting, status="held")
    item = services.agenda_item_add(actor=scene.lead, meeting=meeting, title="Budget", purpose="decision")
    services.attendance_record(
        actor=scene.lead, meeting=meeting, lines=[services.AttendanceLine(scene.member, "present")]
    )
    services.minutes_record(actor=scene.lead, meeting=meeting, minutes={item.pk: "Agreed."})
    services.minutes_approve(actor=scene.lead, meeting=meeting)
    board_meeting = scene.meeting()
    action = scene.action(scene.diabetes, owner=scene.member, due_in_days=-3)
    report = services.highlight_report_create(
        actor=scene.lead,
        workstream=scene.diabetes,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        rag="amber",
        progress="Slower than planned.",
    )
    diabetes = scene.diabetes.pk
    sign_in(page, "lead")
    pages = [
        "/partnerships/QZZ/workstreams/",
        "/partnerships/QZZ/workstreams/propose/",
        f"/workstreams/{diabetes}/edit/",
        f"/workstreams/{diabetes}/status/",
        f"/workstreams/{diabetes}/rag/",
        f"/workstreams/{diabetes}/group/",
        f"/workstreams/{diabetes}/group/add/",
        f"/group-members/{scene.member_seat.pk}/edit/",
        f"/group-members/{scene.member_seat.pk}/remove/",
        f"/workstreams/{diabetes}/quorum/",
        f"/workstreams/{diabetes}/meetings/",
        f"/workstreams/{diabetes}/highlight-reports/new/",
        report.get_absolute_url(),
        f"/highlight-reports/{report.pk}/edit/",
        f"/workstreams/{diabetes}/actions/",
        f"/workstreams/{diabetes}/actions/new/",
        action.get_absolute_url(),
        f"/actions/{action.pk}/edit/",
        "/partnerships/QZZ/board/",
        "/partnerships/QZZ/board/meetings/new/",
        "/partnerships/QZZ/board/quorum/",
        "/partnerships/QZZ/board/actions/",
        board_meeting.get_absolute_url(),
        f"/meetings/{board_meeting.pk}/edit/",
        f"/meetings/{board_meeting.pk}/attendance/",
        f"/meetings/{board_meeting.pk}/agenda/add/",
        meeting.get_absolute_url(),
        f"/meetings/{meeting.pk}/minutes/",
        f"/meetings/{meeting.pk}/minutes/versions/1/",
        f"/agenda-items/{item.pk}/papers/add/",
        "/calendar/",
    ]
    for address in pages:
        response = page.goto(address)
        assert response.status == 200, address
        assert_accessible(page)

    # A form with errors, and the calendar address once made.
    page.goto("/partnerships/QZZ/workstreams/propose/")
    submit(page, "Propose the work-stream")
    page.locator(".nhsuk-error-summary").wait_for()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    page.goto("/calendar/")
    submit(page, "Make my calendar address")
    page.get_by_text("Your calendar address is ready").wait_for()
    expect(page.locator(".workstreams-feed-url")).to_contain_text("/calendar/")
    assert_accessible(page)


def test_pages_that_cannot_be_used_yet_or_any_more_say_why_instead_of_offering_a_form(page, scene):
    upcoming = scene.meeting(scene.diabetes, days_ago=-7)
    services.agenda_item_add(actor=SYSTEM, meeting=upcoming, title="Budget", purpose="decision")
    services.workstream_change_status(actor=scene.lead, workstream=scene.diabetes, status="closed", reason="Done.")
    sign_in(page, "lead")
    for path, says in [
        (reverse("workstreams:minutes_edit", args=[upcoming.pk]), "once the meeting has been held"),
        (reverse("workstreams:workstream_rag", args=[scene.diabetes.pk]), "Diabetes is closed"),
        (reverse("workstreams:meeting_create", args=[scene.diabetes.pk]), "Diabetes is closed"),
    ]:
        page.goto(path)
        expect(main(page)).to_contain_text(says)
        expect(main(page).locator("form textarea, form select")).to_have_count(0)
        assert_accessible(page)
