"""The engagement log's and "you said, we did"'s filters are written once (engagement/api/filters.py) and serve the
pages and the API alike: for every filter, the page and `/api/v1/engagement-activities/` or `/api/v1/feedback/` list
the same records to a viewer, a member and the lead, and refuse the same bad input with the same message."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from core.audit import SYSTEM
from engagement import services
from tests.fixtures import client_for
from tests.html import error_summary, parse

from .support import TODAY, group, log

PERSONAS = ["viewer", "member", "lead"]


class Log:
    """Four activities of different work-streams, groups, methods, levels and dates, and what people said at three."""

    def __init__(self, ew):
        p = ew.partnership
        self.gp_forum = log(p, held_on=TODAY, reach={"gps": 8}, workstreams=[ew.diabetes], level="involve")
        self.ward_round = log(p, held_on=TODAY - timedelta(days=3), reach={"hospital-doctors": 4}, method="workshop")
        self.survey = log(
            p,
            held_on=TODAY - timedelta(days=40),
            reach={"patients-carers": 30},
            workstreams=[ew.medicines],
            method="survey",
        )
        self.briefing = log(
            p, held_on=TODAY - timedelta(days=10), reach={"local-authorities": 6}, level="inform", title="Briefing"
        )
        self.appointments = self.said(self.gp_forum, "gps", "Longer appointments")
        self.prescriptions = self.said(
            self.survey, "patients-carers", "Repeat prescriptions online", status="responded", published=True
        )
        self.parking = self.said(self.briefing, "local-authorities", "Parking at the hub", status="not_taken_forward")

    @staticmethod
    def said(activity, slug, theme, *, status="open", published=False):
        item = services.feedback_record(actor=SYSTEM, activity=activity, theme=theme, groups=[group(slug)])
        if status != "open":
            item = services.feedback_respond(
                actor=SYSTEM,
                feedback=item,
                response=f"We did: {theme}",
                status=status,
                reason="There is no room." if status == "not_taken_forward" else "",
                published=published,
            )
        return item

    def ids(self, *names: str) -> set[int]:
        return {getattr(self, name).pk for name in names}


@pytest.fixture
def engagement_log(ew) -> Log:
    return Log(ew)


def page_ids(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    links = parse(response).select("#activities a[href]")
    return {int(re.search(r"/engagement/activities/(\d+)/", a["href"]).group(1)) for a in links}


def api_ids(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def days_ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


ACTIVITY_FILTERS = [
    ("workstream={diabetes}", {"gp_forum"}),
    ("workstream={medicines}", {"survey"}),
    ("group={clinicians}", {"gp_forum", "ward_round"}),  # a main group includes its sub-groups
    ("group={gps}", {"gp_forum"}),
    ("method=survey", {"survey"}),
    ("level=consult", {"ward_round", "survey"}),
    (f"start={days_ago(5)}", {"gp_forum", "ward_round"}),
    (f"end={days_ago(5)}", {"survey", "briefing"}),
    (f"start={days_ago(50)}&end={days_ago(20)}", {"survey"}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("query", "expected"), ACTIVITY_FILTERS)
def test_the_engagement_log_and_the_api_find_the_same_activities(
    ew, client, api_client, engagement_log, persona, query, expected
):
    links = {
        "diabetes": ew.diabetes.pk,
        "medicines": ew.medicines.pk,
        "clinicians": group("clinicians").pk,
        "gps": group("gps").pk,
    }
    query = query.format(**links)
    client = client_for(client, ew.world, persona)
    api = client_for(api_client, ew.world, persona)
    on_page = page_ids(client, reverse("engagement:activity_list", args=["QZZ"]) + "?" + query)
    in_api = api_ids(api, f"/api/v1/engagement-activities/?partnership=QZZ&{query}")
    assert on_page == in_api == engagement_log.ids(*expected)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("workstream={elsewhere}", "workstream", "Choose a work-stream from the list."),
        ("group=x", "group", "Choose a group from the list."),
        ("method=carrier-pigeon", "method", "Choose a method from the list."),
        ("level=shout", "level", "Choose a level from the list."),
        ("start=2026-02-30", "start", "Enter a real date, like 27 3 2027"),
        (
            f"start={days_ago(1)}&end={days_ago(2)}",
            "end",
            "The 'to' date must be the same as or after the 'from' date.",
        ),
    ],
)
def test_a_bad_activity_filter_is_a_400_with_the_same_message_on_the_page_and_the_api(
    ew, client, api_client, engagement_log, query, field, message
):
    query = query.format(elsewhere=ew.elsewhere.pk)
    client = client_for(client, ew.world, "viewer")
    api = client_for(api_client, ew.world, "viewer")
    page = client.get(reverse("engagement:activity_list", args=["QZZ"]) + "?" + query)
    assert page.status_code == 400
    assert [text for text, _ in error_summary(page)] == [message]
    answer = api.get(f"/api/v1/engagement-activities/?{query}")
    assert answer.status_code == 400
    assert answer.json() == {field: [message]}


# --- "You said, we did" ----------------------------------------------------------------------------------------------


def page_themes(client, url: str) -> set[str]:
    """The themes "you said, we did" lists: the first line of each row ("Parking at the hub From GPs, at …")."""
    response = client.get(url)
    assert response.status_code == 200, url
    cells = parse(response).select("#feedback tbody tr td:first-child")
    return {" ".join(cell.get_text(" ").split()).split(" From ")[0] for cell in cells}


FEEDBACK_FILTERS = [
    ("status=open", "status=open", {"appointments"}),
    ("status=not_taken_forward", "status=not_taken_forward", {"parking"}),
    ("workstream={diabetes}", "workstream={diabetes}", {"appointments"}),
    ("workstream={medicines}", "workstream={medicines}", {"prescriptions"}),
    ("published=yes", "published=true", {"prescriptions"}),
    ("published=no", "published=false", {"appointments", "parking"}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page_query", "api_query", "expected"), FEEDBACK_FILTERS)
def test_you_said_we_did_and_the_api_find_the_same_themes(
    ew, client, api_client, engagement_log, persona, page_query, api_query, expected
):
    links = {"diabetes": ew.diabetes.pk, "medicines": ew.medicines.pk}
    client = client_for(client, ew.world, persona)
    api = client_for(api_client, ew.world, persona)
    on_page = page_themes(client, reverse("engagement:feedback_list", args=["QZZ"]) + "?" + page_query.format(**links))
    answer = api.get("/api/v1/feedback/?partnership=QZZ&" + api_query.format(**links))
    assert answer.status_code == 200
    in_api = {row["theme"] for row in answer.json()["results"]}
    assert {row["id"] for row in answer.json()["results"]} == engagement_log.ids(*expected)
    assert on_page == in_api == {getattr(engagement_log, name).theme for name in expected}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("status=ignored", "status", "Choose an outcome from the list."),
        ("workstream={elsewhere}", "workstream", "Choose a work-stream from the list."),
        ("published=perhaps", "published", "Choose published or not published."),
    ],
)
def test_a_bad_feedback_filter_is_a_400_with_the_same_message_on_the_page_and_the_api(
    ew, client, api_client, engagement_log, query, field, message
):
    query = query.format(elsewhere=ew.elsewhere.pk)
    client = client_for(client, ew.world, "member")
    api = client_for(api_client, ew.world, "member")
    page = client.get(reverse("engagement:feedback_list", args=["QZZ"]) + "?" + query)
    assert page.status_code == 400
    assert [text for text, _ in error_summary(page)] == [message]
    answer = api.get(f"/api/v1/feedback/?{query}")
    assert answer.status_code == 400
    assert answer.json() == {field: [message]}
