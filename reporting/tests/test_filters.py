"""The lists behind the dashboard's figures filter as their API lists do, with the same FilterSets: every action of the
partnership as `/api/v1/actions/` (workstreams.api.filters.ActionFilter), and the year's agenda items as
`/api/v1/agenda-items/` (AgendaItemFilter), for a viewer, a member and the lead alike. People's attendance has no
list in the API; its filters narrow the page as they should."""

import re
from datetime import timedelta

import pytest

from tests.fixtures import client_for
from tests.html import parse
from workstreams.models import AgendaItem, Attendance

from .dashboard_support import DashboardScene

pytestmark = pytest.mark.django_db

PERSONAS = ["viewer", "member", "lead"]


@pytest.fixture
def scene(world) -> DashboardScene:
    return DashboardScene(world)


def linked_ids(client, url: str, table: str, pattern: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    hrefs = [a["href"] for a in parse(response).select(f"#{table} a[href]")]
    return {int(match.group(1)) for href in hrefs if (match := re.search(pattern, href))}


def api_ids(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def day(scene, days: int) -> str:
    return (scene.today + timedelta(days=days)).isoformat()


# Each filter: the page's query, the API's (which lists every state unless asked, where the page starts with open
# actions), and the actions found, by their number in DashboardScene (a1 to a9).
ACTION_FILTERS = [
    ("", "state=open", {1, 2, 3, 6, 7, 8, 9}),
    ("state=overdue", "state=overdue", {1, 2, 6, 8, 9}),
    ("state=closed", "state=closed", {4, 5}),
    ("state=all", "state=all", {1, 2, 3, 4, 5, 6, 7, 8, 9}),
    ("state=all&workstream={diabetes}", "workstream={diabetes}", {1, 2, 3, 4, 5}),
    ("state=all&workstream=board", "workstream=board", {8}),
    ("state=all&workstream=board", "board=true", {8}),
    ("state=all&organisation={council}", "organisation={council}", {1, 4, 5, 8}),
    ("state=all&organisation=none", "organisation=none", {3}),
    ("state=all&due_from={minus_5}&due_to={today}", "due_from={minus_5}&due_to={today}", {2, 6, 7}),
    (
        "state=closed&completed_from={minus_30}&completed_to={today}",
        "state=closed&completed_from={minus_30}&completed_to={today}",
        {4},
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page_query", "api_query", "expected"), ACTION_FILTERS)
def test_the_dashboards_actions_and_the_api_find_the_same_actions(
    world, client, api_client, scene, persona, page_query, api_query, expected
):
    links = {
        "diabetes": scene.diabetes.pk,
        "council": world.council.pk,
        "today": day(scene, 0),
        "minus_5": day(scene, -5),
        "minus_30": day(scene, -30),
    }
    client = client_for(client, world, persona)
    api = client_for(api_client, world, persona)
    page_url = "/partnerships/QZZ/dashboard/actions/?" + page_query.format(**links)
    on_page = linked_ids(client, page_url, "actions", r"/actions/(\d+)/")
    in_api = api_ids(api, "/api/v1/actions/?partnership=QZZ&" + api_query.format(**links))
    assert on_page == in_api == {getattr(scene, f"a{number}").pk for number in expected}


def test_another_partnerships_organisation_is_refused_by_the_page_and_the_api(world, client, api_client, scene):
    client = client_for(client, world, "member")
    api = client_for(api_client, world, "member")
    page = client.get(f"/partnerships/QZZ/dashboard/actions/?organisation={world.other_trust.pk}")
    assert page.status_code == 400
    assert "Choose an organisation from the list" in parse(page).select_one("#id_organisation-error").get_text()
    answer = api.get(f"/api/v1/actions/?organisation={world.other_trust.pk}")
    assert answer.status_code == 400
    assert answer.json() == {"organisation": ["Choose an organisation from the list"]}


# --- Agenda items -----------------------------------------------------------------------------------------------------

AGENDA_FILTERS = [
    ("", {"Budget", "Estates", "Minutes", "Risk report", "Screening", "Assurance report"}),
    ("purpose=decision", {"Budget", "Estates", "Screening"}),
    ("body=board", {"Budget", "Estates", "Minutes", "Risk report"}),
    ("body=groups", {"Screening", "Assurance report"}),
    ("purpose=note&body=board", {"Minutes", "Risk report"}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("query", "expected"), AGENDA_FILTERS)
def test_the_dashboards_agenda_items_and_the_api_find_the_same_items(
    world, client, api_client, scene, persona, query, expected
):
    # The page lists the year's items of meetings that took place; the API every item. Leave out the others.
    AgendaItem.objects.filter(meeting__in=[scene.m_old, scene.m_cancelled]).delete()
    client = client_for(client, world, persona)
    api = client_for(api_client, world, persona)
    on_page = linked_ids(client, f"/partnerships/QZZ/dashboard/agenda/?{query}", "agenda-items", r"#item-(\d+)")
    in_api = api_ids(api, f"/api/v1/agenda-items/?partnership=QZZ&{query}")
    titles = dict(AgendaItem.objects.values_list("title", "pk"))
    assert on_page == in_api == {titles[title] for title in expected}


def test_a_bad_agenda_filter_is_refused_by_the_page_and_the_api(world, client, api_client, scene):
    client = client_for(client, world, "viewer")
    api = client_for(api_client, world, "viewer")
    page = client.get("/partnerships/QZZ/dashboard/agenda/?body=everyone")
    assert page.status_code == 400
    assert "Choose whose meetings from the list" in parse(page).select_one("#id_body-error").get_text()
    answer = api.get("/api/v1/agenda-items/?body=everyone")
    assert answer.status_code == 400
    assert answer.json() == {"body": ["Choose whose meetings from the list"]}


# --- Attendance (the page only) ---------------------------------------------------------------------------------------


def people(client, query: str) -> set[str]:
    response = client.get(f"/partnerships/QZZ/dashboard/attendance/?{query}")
    assert response.status_code == 200
    names = set()
    for cell in parse(response).select("#people tbody tr > :first-child"):
        for extra in cell.select("[aria-hidden=true], .governance-meta"):
            extra.decompose()  # the column's heading on a narrow screen, and the person's organisation
        names.add(" ".join(cell.get_text(" ").split()))
    return names


def name(user) -> str:
    return f"{user.first_name} {user.last_name}".strip() or user.username


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_attendance_list_narrows_by_organisation_and_to_the_persistently_absent(world, client, scene, persona):
    # A board meeting's record with no organisation: the member's only one of the kind.
    Attendance.objects.create(meeting=scene.m3, user=world.member, status="absent", organisation=None)
    client = client_for(client, world, persona)
    everyone = {name(person) for person in [world.lead, world.board, world.ned, world.member, scene.wslead]}
    assert people(client, "") == everyone
    assert people(client, f"organisation={world.trust.pk}") == {name(world.lead), name(world.board)}
    assert people(client, f"organisation={world.council.pk}") == {
        name(world.ned),
        name(world.member),
        name(scene.wslead),
    }
    assert people(client, "organisation=none") == {name(world.member)}
    assert people(client, "absent=yes") == {name(world.ned)}
    assert people(client, f"absent=yes&organisation={world.trust.pk}") == set()
