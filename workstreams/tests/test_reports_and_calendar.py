"""Highlight reports for the board, and each person's iCalendar feed of their meetings."""

from datetime import date

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from core.audit import SYSTEM
from partnerships.access import forget_roles
from tests.html import error_summary, text
from workstreams import services
from workstreams.models import CalendarFeed, HighlightReport

from .helpers import assert_matrix

pytestmark = pytest.mark.django_db

GROUP_WRITERS = {"anonymous": 302, "outsider": 404, "viewer": 403, "ned": 403, "member": 200, "board": 200, "lead": 200}
REPORT = {
    "period_start": "2026-10-01",
    "period_end": "2026-10-31",
    "rag": "amber",
    "progress": "Screening rolled out to 40 of 52 practices.",
    "risks_and_issues": "Two practices have no retinal camera.",
    "asks_of_board": "Agree funding for two cameras.",
}


def test_who_may_write_a_highlight_report(scene):
    assert_matrix(scene.world, reverse("workstreams:highlight_report_create", args=[scene.diabetes.pk]), GROUP_WRITERS)


def test_a_highlight_report_is_written_and_its_rating_becomes_the_workstreams(client, scene):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:highlight_report_create", args=[scene.diabetes.pk]), REPORT)
    report = HighlightReport.objects.get()
    assert response["Location"] == report.get_absolute_url()
    assert (report.partnership, report.author, report.rag) == (scene.partnership, scene.member, "amber")
    scene.diabetes.refresh_from_db()
    assert (scene.diabetes.rag, scene.diabetes.rag_set_on) == ("amber", date(2026, 10, 31))
    page = text(client.get(report.get_absolute_url()))
    assert "Agree funding for two cameras." in page and "Amber" in page


def test_an_older_periods_report_does_not_overwrite_the_current_rating(scene):
    services.highlight_report_create(
        actor=SYSTEM,
        workstream=scene.diabetes,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        rag="green",
        progress="Fine.",
    )
    services.highlight_report_create(
        actor=SYSTEM,
        workstream=scene.diabetes,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        rag="red",
        progress="Late.",
    )
    scene.diabetes.refresh_from_db()
    assert scene.diabetes.rag == "green"


def test_everyone_reads_a_highlight_report_and_the_group_changes_it(client, scene):
    report = services.highlight_report_create(
        actor=SYSTEM,
        workstream=scene.diabetes,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        rag="green",
        progress="Fine.",
    )
    readers = {"anonymous": 302, "outsider": 404, "viewer": 200, "member": 200, "lead": 200}
    assert_matrix(scene.world, report.get_absolute_url(), readers)
    url = reverse("workstreams:highlight_report_update", args=[report.pk])
    assert_matrix(scene.world, url, GROUP_WRITERS)
    client.force_login(scene.member)
    assert client.post(url, {**REPORT, "rag": "red"}).status_code == 302
    report.refresh_from_db()
    assert report.rag == "red"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_end": "2026-09-01"}, "The period must end on or after the day it starts."),
        ({"rag": "blue"}, "Choose the RAG rating from the list"),
        ({"progress": ""}, "Enter the progress in the period"),
        ({"period_start": "yesterday"}, "Enter a real date, like 27 3 2027"),
        ({"asks_of_board": "<iframe>"}, "Remove the HTML tags"),
    ],
)
def test_a_bad_highlight_report_is_refused(client, scene, changes, message):
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:highlight_report_create", args=[scene.diabetes.pk]), {**REPORT, **changes}
    )
    assert response.status_code == 400
    assert any(message in error for error, _ in error_summary(response)), error_summary(response)
    assert HighlightReport.objects.count() == 0


def test_a_second_report_for_the_same_period_is_refused(client, scene):
    client.force_login(scene.member)
    url = reverse("workstreams:highlight_report_create", args=[scene.diabetes.pk])
    client.post(url, REPORT)
    response = client.post(url, REPORT)
    assert response.status_code == 400
    assert "already a highlight report for a period starting on that date" in error_summary(response)[0][0]
    assert HighlightReport.objects.count() == 1


def test_the_calendar_page_needs_sign_in(scene):
    assert_matrix(scene.world, reverse("workstreams:calendar"), {"anonymous": 302, "viewer": 200, "member": 200})


def feed_events(url: str) -> list:
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_a_person_subscribes_to_their_meetings_without_signing_in(client, scene):
    diabetes = scene.meeting(scene.diabetes, days_ago=-7, title="Diabetes group, December")
    scene.meeting(scene.medicines, days_ago=-7)
    scene.meeting(days_ago=-3)
    client.force_login(scene.member)
    assert client.post(reverse("workstreams:calendar")).status_code == 302
    feed = CalendarFeed.objects.get(user=scene.member)
    page = text(client.get(reverse("workstreams:calendar")))
    assert f"http://testserver/calendar/{feed.token}.ics" in page
    events = feed_events(feed.feed_path)
    assert [str(event["summary"]) for event in events] == ["Diabetes group, December"]
    event = events[0]
    assert str(event["location"]) == "Boardroom, Civic Centre"
    assert event["dtstart"].dt == diabetes.starts_at.replace(microsecond=0)
    assert event["dtend"].dt == diabetes.ends_at.replace(microsecond=0)
    assert str(event["url"]).endswith(diabetes.get_absolute_url())


def test_a_board_member_gets_the_board_meetings_and_their_groups(client, scene):
    scene.meeting(scene.diabetes, days_ago=-7)
    scene.meeting(days_ago=-3)
    feed = services.calendar_feed_reset(actor=scene.board)
    assert len(feed_events(feed.feed_path)) == 2


def test_resetting_the_address_stops_the_old_one_working(client, scene):
    old = services.calendar_feed_reset(actor=scene.member).feed_path
    client.force_login(scene.member)
    client.post(reverse("workstreams:calendar"))
    new = CalendarFeed.objects.get(user=scene.member).feed_path
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_an_unknown_address_and_an_inactive_persons_address_are_not_found(scene):
    assert Client().get(reverse("workstreams:calendar_feed", args=["not-a-token"])).status_code == 404
    feed = services.calendar_feed_reset(actor=scene.member)
    scene.member.is_active = False
    scene.member.save()
    assert Client().get(feed.feed_path).status_code == 404


def test_a_person_who_leaves_the_partnership_stops_seeing_its_meetings(scene):
    from guardian.shortcuts import remove_perm

    scene.meeting(scene.diabetes, days_ago=-7)
    feed = services.calendar_feed_reset(actor=scene.member)
    assert len(feed_events(feed.feed_path)) == 1
    remove_perm("partnerships.member", scene.member, scene.partnership)
    forget_roles(scene.member)
    assert feed_events(feed.feed_path) == []


def test_a_cancelled_meeting_stays_in_the_feed_marked_cancelled(scene):
    meeting = scene.meeting(scene.diabetes, days_ago=-7)
    services.meeting_change_status(actor=SYSTEM, meeting=meeting, status="cancelled")
    feed = services.calendar_feed_reset(actor=scene.member)
    assert [str(event["status"]) for event in feed_events(feed.feed_path)] == ["CANCELLED"]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_feed_costs_the_same_queries_however_many_meetings(scene, rows, django_assert_num_queries):
    for number in range(rows):
        scene.meeting(scene.diabetes, days_ago=-number)
    feed = services.calendar_feed_reset(actor=scene.member)
    with django_assert_num_queries(2):
        events = feed_events(feed.feed_path)
    assert len(events) == rows
