"""The engagement pages through HTTP: logging an activity on one form, bad input answered with 400 and a clear
message, the filters, the CSV exports, and lists whose queries do not grow with their rows."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import SYSTEM
from engagement import services
from engagement.models import EngagementActivity, Feedback
from tests.html import error_summary, parse, text

from .support import group, log, workstream, written

pytestmark = pytest.mark.django_db


def activity_form(today, **changes) -> dict:
    data = {
        "title": "Diabetes pathway workshop",
        "held_on": today.isoformat(),
        "method": "workshop",
        "level": "involve",
        f"reach_{group('patients-carers').pk}": "14",
        f"reach_{group('gps').pk}": "6",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_member_logs_an_activity_with_groups_and_counts_on_one_form(client, ew, today):
    client.force_login(ew.member)
    page = client.get(reverse("engagement:activity_create", args=["QZZ"]) + f"?workstream={ew.diabetes.pk}")
    assert page.status_code == 200
    assert (
        f'value="{ew.diabetes.pk}" checked' in page.content.decode().replace("\n", " ")
        or "checked" in page.content.decode()
    )
    response = client.post(
        reverse("engagement:activity_create", args=["QZZ"]),
        activity_form(
            today, workstreams=[ew.diabetes.pk], themes_heard="Evening clinics", seldom_heard_groups="Young carers"
        ),
    )
    activity = EngagementActivity.objects.get()
    assert response["Location"] == activity.get_absolute_url()
    assert {row.group.slug: row.people_count for row in activity.reach.all()} == {"patients-carers": 14, "gps": 6}
    assert (activity.reached_seldom_heard, activity.seldom_heard_groups) == (True, "Young carers")
    detail = client.get(activity.get_absolute_url())
    assert "Activity logged: Diabetes pathway workshop" in text(detail, ".nhsuk-notification-banner")
    assert "Patients and carers 14" in text(detail, "#groups-reached")
    assert "People reached 20" in text(detail, ".nhsuk-summary-list")


def test_the_form_needs_only_title_date_method_level_and_one_group(client, ew, today):
    client.force_login(ew.member)
    before = written()
    response = client.post(reverse("engagement:activity_create", args=["QZZ"]), {})
    assert response.status_code == 400
    messages = [message for message, _ in error_summary(response)]
    assert messages == [
        "Enter the title, like Diabetes pathway workshop",
        "Enter the date it took place",
        "Choose the method",
        "Choose the level of engagement",
        "Enter how many people you reached from at least one group",
    ]
    assert written() == before


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("-5", "GPs: the number of people cannot be negative."),
        ("0", "GPs: enter at least 1, or leave the number blank if no one from this group took part."),
        ("lots", "GPs: enter the number of people as a whole number, like 12"),
        ("2.5", "GPs: enter the number of people as a whole number, like 12"),
        ("99999999", "GPs: enter a number up to 10,000,000"),
    ],
)
def test_a_bad_count_is_a_400_with_a_message_linked_to_its_box(client, ew, today, count, message):
    client.force_login(ew.member)
    before = written()
    response = client.post(
        reverse("engagement:activity_create", args=["QZZ"]), activity_form(today, **{f"reach_{group('gps').pk}": count})
    )
    assert response.status_code == 400
    assert (message, f"#id_reach_{group('gps').pk}") in error_summary(response)
    assert written() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "<script>alert(1)</script>"}, "Remove the HTML tags from the title"),
        ({"title": "x" * 201}, "Title must be 200 characters or fewer"),
        ({"held_on": "2026-02-30"}, "Enter a real date, like 27 3 2027"),
        ({"held_on": "2027-01-01"}, "The date cannot be in the future. Log an activity once it has taken place."),
        ({"method": "carrier-pigeon"}, "Choose the method from the list"),
        ({"workstreams": ["999999"]}, "Choose work-streams from the list"),
        ({"method": "consultation"}, "For a consultation, say whether the proposals were still at a formative stage."),
    ],
)
def test_bad_input_is_a_400_that_writes_nothing(client, ew, today, changes, message):
    client.force_login(ew.member)
    before = written()
    response = client.post(reverse("engagement:activity_create", args=["QZZ"]), activity_form(today, **changes))
    assert response.status_code == 400
    assert message in [text for text, _ in error_summary(response)]
    assert response.content.decode().count("<script>alert(1)</script>") == 0
    assert written() == before


def test_another_partnerships_work_stream_cannot_be_chosen(client, ew, today):
    client.force_login(ew.member)
    before = written()
    response = client.post(
        reverse("engagement:activity_create", args=["QZZ"]), activity_form(today, workstreams=[ew.elsewhere.pk])
    )
    assert response.status_code == 400
    assert ("Choose work-streams from the list", "#id_workstreams") in error_summary(response)
    assert written() == before


def test_changing_an_activity_shows_its_counts_and_saves_the_change(client, ew, today):
    activity = log(ew.partnership, held_on=today, reach={"gps": 3}, workstreams=[ew.diabetes], title="Practice visit")
    client.force_login(ew.board)
    url = reverse("engagement:activity_edit", args=[activity.pk])
    assert 'value="3"' in client.get(url).content.decode()
    response = client.post(
        url, activity_form(today, title="Practice visits", **{f"reach_{group('patients-carers').pk}": ""})
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Practice visits"
    assert {row.group.slug for row in activity.reach.all()} == {"gps"}


def test_recording_themes_and_a_response_from_the_activity_page(client, ew, today):
    activity = log(ew.partnership, held_on=today, reach={"patients-carers": 9}, workstreams=[ew.diabetes])
    client.force_login(ew.member)
    create = reverse("engagement:feedback_create", args=[activity.pk])
    another = client.post(create, {"theme": "Evening clinics", "groups": [group("patients-carers").pk], "another": "1"})
    assert another["Location"] == create
    client.post(create, {"theme": "Free parking", "groups": [group("patients-carers").pk]})
    parking = Feedback.objects.get(theme="Free parking")
    response = client.post(
        reverse("engagement:feedback_respond", args=[parking.pk]),
        {"response": "Parking is a trust matter", "status": "not_taken_forward", "reason": "", "published": "on"},
    )
    assert response.status_code == 400
    assert error_summary(response) == [("Give the reason it was not taken forward.", "#id_reason")]
    response = client.post(
        reverse("engagement:feedback_respond", args=[parking.pk]),
        {
            "response": "We raised it with the trust",
            "status": "not_taken_forward",
            "reason": "Parking charges are set by the trust board",
            "published": "on",
            "fed_back_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    page = text(client.get(activity.get_absolute_url()), "main")
    assert "You said: Free parking" in page
    assert "We did: We raised it with the trust" in page
    assert "Why not taken forward: Parking charges are set by the trust board" in page


def test_feedback_from_a_group_the_activity_did_not_reach_is_refused(client, ew, today):
    activity = log(ew.partnership, held_on=today, reach={"patients-carers": 9})
    client.force_login(ew.member)
    before = written()
    response = client.post(
        reverse("engagement:feedback_create", args=[activity.pk]), {"theme": "Parking", "groups": [group("mps").pk]}
    )
    assert response.status_code == 400
    assert error_summary(response) == [("Choose from the groups this activity reached", "#id_groups")]
    assert written() == before


def test_a_response_cannot_link_another_partnerships_action(client, ew, today):
    from workstreams.models import Action as WorkStreamAction

    activity = log(ew.partnership, held_on=today, reach={"patients-carers": 9}, workstreams=[ew.diabetes])
    item = services.feedback_record(actor=SYSTEM, activity=activity, theme="Signs", groups=[group("patients-carers")])
    theirs = WorkStreamAction.objects.create(
        partnership=ew.other_partnership, workstream=ew.elsewhere, description="Signs", owner=ew.outsider, due_on=today
    )
    client.force_login(ew.member)
    response = client.post(
        reverse("engagement:feedback_respond", args=[item.pk]),
        {"response": "New signs", "status": "acted_on", "action": theirs.pk},
    )
    assert response.status_code == 400
    assert error_summary(response) == [("Choose an action from the list", "#id_action")]


def test_the_log_filters_by_work_stream_group_method_level_and_period(client, ew, today):
    log(ew.partnership, held_on=today - timedelta(days=40), title="Old survey", method="survey", reach={"mps": 1})
    log(ew.partnership, held_on=today, title="GP forum", reach={"gps": 8}, workstreams=[ew.diabetes], level="involve")
    client.force_login(ew.viewer)
    url = reverse("engagement:activity_list", args=["QZZ"])
    titles = lambda response: text(response, "#activities tbody") if b'id="activities"' in response.content else ""  # noqa: E731
    assert "GP forum" in titles(client.get(url, {"workstream": ew.diabetes.pk}))
    assert "Old survey" not in titles(client.get(url, {"workstream": ew.diabetes.pk}))
    assert "GP forum" in titles(client.get(url, {"group": group("clinicians").pk}))
    assert "Old survey" in titles(client.get(url, {"method": "survey"}))
    assert "GP forum" not in titles(client.get(url, {"level": "consult"}))
    period = client.get(
        url, {"start": (today - timedelta(days=50)).isoformat(), "end": (today - timedelta(days=1)).isoformat()}
    )
    assert "Old survey" in titles(period) and "GP forum" not in titles(period)
    bad = client.get(url, {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat(), "group": "x"})
    assert bad.status_code == 400
    assert [message for message, _ in error_summary(bad)] == [
        "Choose a group from the list.",
        "The 'to' date must be the same as or after the 'from' date.",
    ]


def test_the_csv_export_follows_the_filters_and_is_safe_in_a_spreadsheet(client, ew, today):
    log(ew.partnership, held_on=today, title='=HYPERLINK("http://evil")', reach={"gps": 2}, workstreams=[ew.diabetes])
    log(ew.partnership, held_on=today, title="Unrelated", reach={"mps": 1})
    client.force_login(ew.viewer)
    response = client.get(reverse("engagement:activity_export", args=["QZZ"]), {"workstream": ew.diabetes.pk})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert rows[0][:3] == ["Date", "Title", "Method"]
    assert len(rows) == 2
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][5] == "GPs: 2"


def test_the_feedback_export_is_safe_in_a_spreadsheet(client, ew, today):
    activity = log(ew.partnership, held_on=today, reach={"gps": 2})
    services.feedback_record(actor=SYSTEM, activity=activity, theme="+cmd|' /C calc'!A0", groups=[group("gps")])
    client.force_login(ew.viewer)
    response = client.get(reverse("engagement:feedback_export", args=["QZZ"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert rows[1][0] == "'+cmd|' /C calc'!A0"
    assert rows[1][5] == "Open"


def coverage_cell(response, workstream, slug) -> str:
    """A cell of the coverage matrix as a screen reader reads it: its text, white space collapsed."""
    cell = parse(response).select_one(f'#coverage-matrix td[data-workstream="{workstream.pk}"][data-group="{slug}"]')
    return " ".join(cell.get_text("").split())


def test_the_coverage_page_says_each_cell_in_words_and_lists_the_gaps(client, ew, today):
    services.expectation_set(actor=SYSTEM, workstream=ew.medicines, group=group("patients-carers"), interval_days=90)
    log(ew.partnership, held_on=today - timedelta(days=152), reach={"patients-carers": 30}, workstreams=[ew.medicines])
    client.force_login(ew.viewer)
    response = client.get(reverse("engagement:coverage", args=["QZZ"]))
    assert coverage_cell(response, ew.medicines, "patients-carers") == (
        "Red: last engaged 152 days ago (expected every 90) 1 in the last 12 months"
    )
    assert coverage_cell(response, ew.diabetes, "patients-carers") == "No expectation: never engaged"
    assert "Medicines Optimisation , Patients and carers: last engaged 152 days ago, expected every 90 days" in text(
        response, "#gap-list"
    )
    assert "For a group expected every 90 days, that is 68 to 90 days since it was last engaged." in text(
        response, "#rag-definitions"
    )
    one_row = client.get(reverse("engagement:coverage", args=["QZZ"]), {"workstream": ew.diabetes.pk, "period": "90"})
    assert "Medicines" not in text(one_row, "#coverage-matrix")
    assert client.get(reverse("engagement:coverage", args=["QZZ"]), {"period": "7"}).status_code == 400


# --- Query counts: lists do not grow with their rows -----------------------------------------------------------


def queries_for(client, url) -> int:
    client.get(url)  # warm: the first request after signing in reads the person, later ones the cache
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(context)


def _more_activities(ew, today, count, start=0):
    for number in range(start, start + count):
        activity = log(
            ew.partnership,
            held_on=today - timedelta(days=number),
            title=f"Activity {number}",
            reach={"patients-carers": 3, "gps": 2},
            workstreams=[ew.diabetes, ew.medicines],
            organisations=[ew.trust],
        )
        item = services.feedback_record(
            actor=SYSTEM, activity=activity, theme=f"Theme {number}", groups=[group("gps"), group("patients-carers")]
        )
        services.feedback_respond(actor=SYSTEM, feedback=item, response="Done", status="acted_on", published=True)


@pytest.mark.parametrize(
    "page",
    [
        "engagement:activity_list",
        "engagement:activity_export",
        "engagement:feedback_list",
        "engagement:feedback_export",
        "engagement:coverage",
        "engagement:expectation_list",
    ],
)
def test_lists_take_the_same_queries_for_3_rows_and_30(client, ew, today, page):
    client.force_login(ew.member)
    url = reverse(page, args=["QZZ"])
    _more_activities(ew, today, 3)
    services.expectation_set(actor=SYSTEM, workstream=ew.diabetes, group=group("gps"), interval_days=30)
    small = queries_for(client, url)
    _more_activities(ew, today, 27, start=3)
    for number in range(8):
        stream = workstream(ew.partnership, f"Programme {number}")
        services.expectation_set(actor=SYSTEM, workstream=stream, group=group("vcse"), interval_days=60)
    assert queries_for(client, url) == small


def test_the_activity_page_takes_the_same_queries_for_few_and_many_themes(client, ew, today):
    activity = log(ew.partnership, held_on=today, reach={"gps": 3, "nurses": 1}, workstreams=[ew.diabetes])
    client.force_login(ew.member)
    for number in range(2):
        services.feedback_record(actor=SYSTEM, activity=activity, theme=f"Theme {number}", groups=[group("gps")])
    small = queries_for(client, activity.get_absolute_url())
    for number in range(2, 20):
        services.feedback_record(actor=SYSTEM, activity=activity, theme=f"Theme {number}", groups=[group("gps")])
    assert queries_for(client, activity.get_absolute_url()) == small
