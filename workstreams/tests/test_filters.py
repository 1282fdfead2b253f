"""The actions' filters are written once (workstreams.api.filters.ActionFilter) and serve the action logs, My actions
and `/api/v1/actions/` alike: for every state, each page and the API list the same actions to a viewer, a member and
the lead. The pages show open actions until asked for others, and take a state they do not know as "open"."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import SYSTEM
from tests.fixtures import client_for
from tests.html import parse
from workstreams import services

PERSONAS = ["viewer", "member", "lead"]
STATES = ["open", "overdue", "closed", "all"]


class Actions:
    """Actions of the Diabetes group and the board, open, overdue and done, owned and raised by different people."""

    def __init__(self, scene):
        self.overdue = scene.action(scene.diabetes, owner=scene.member, due_in_days=-5, description="Overdue one")
        self.upcoming = scene.action(scene.medicines, owner=scene.member, due_in_days=5, description="Upcoming one")
        self.done = scene.action(scene.diabetes, owner=scene.member, due_in_days=-9, description="Done one")
        services.action_complete(actor=SYSTEM, action=self.done)
        self.raised = services.action_create(
            actor=scene.member,
            workstream=scene.diabetes,
            description="Raised for the doctor",
            owner=scene.doctor,
            due_on=timezone.localdate() + timedelta(days=3),
        )
        board_meeting = scene.meeting()
        self.board = scene.action(meeting=board_meeting, owner=scene.lead, description="Board paper")
        self.board_late = scene.action(meeting=board_meeting, owner=scene.board, due_in_days=-1, description="Late")

    def ids(self, *names: str) -> set[int]:
        return {getattr(self, name).pk for name in names}


@pytest.fixture
def actions(scene) -> Actions:
    return Actions(scene)


def page_ids(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {int(re.search(r"/actions/(\d+)/", a["href"]).group(1)) for a in parse(response).select("tbody a[href]")}


def api_ids(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


IN_STATE = {
    "open": {"overdue", "upcoming", "raised", "board", "board_late"},
    "overdue": {"overdue", "board_late"},
    "closed": {"done"},
    "all": {"overdue", "upcoming", "done", "raised", "board", "board_late"},
}


def _in(state: str, *names: str) -> set[str]:
    return IN_STATE[state] & set(names)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_a_work_streams_action_log_and_the_api_find_the_same_actions(
    scene, client, api_client, actions, persona, state
):
    client = client_for(client, scene.world, persona)
    api = client_for(api_client, scene.world, persona)
    url = reverse("workstreams:action_log", args=[scene.diabetes.pk])
    on_page = page_ids(client, f"{url}?state={state}")
    in_api = api_ids(api, f"/api/v1/actions/?workstream={scene.diabetes.pk}&state={state}")
    assert on_page == in_api == actions.ids(*_in(state, "overdue", "done", "raised"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_the_board_action_log_and_the_api_find_the_same_actions(scene, client, api_client, actions, persona, state):
    client = client_for(client, scene.world, persona)
    api = client_for(api_client, scene.world, persona)
    on_page = page_ids(client, reverse("workstreams:board_action_log", args=["QZZ"]) + f"?state={state}")
    in_api = api_ids(api, f"/api/v1/actions/?partnership=QZZ&board=true&state={state}")
    assert on_page == in_api == actions.ids(*_in(state, "board", "board_late"))


MINE = {
    "viewer": {"assigned": set(), "raised": set()},
    "member": {"assigned": {"overdue", "upcoming", "done"}, "raised": {"raised"}},
    "lead": {"assigned": {"board"}, "raised": set()},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("which", "api_filter"), [("assigned", "mine"), ("raised", "raised_by_me")])
def test_my_actions_and_the_api_find_the_same_actions(
    scene, client, api_client, actions, persona, state, which, api_filter
):
    client = client_for(client, scene.world, persona)
    api = client_for(api_client, scene.world, persona)
    on_page = page_ids(client, reverse("workstreams:my_actions") + f"?which={which}&state={state}")
    in_api = api_ids(api, f"/api/v1/actions/?{api_filter}=true&state={state}")
    assert on_page == in_api == actions.ids(*_in(state, *MINE[persona][which]))


def test_the_pages_start_with_open_actions_and_take_an_unknown_state_as_open(scene, client, api_client, actions):
    client = client_for(client, scene.world, "viewer")
    api = client_for(api_client, scene.world, "viewer")
    url = reverse("workstreams:action_log", args=[scene.diabetes.pk])
    open_actions = actions.ids("overdue", "raised")
    assert page_ids(client, url) == page_ids(client, f"{url}?state=everything") == open_actions
    assert api.get("/api/v1/actions/?state=everything").status_code == 400


def test_the_export_follows_the_state_and_starts_with_every_action(scene, client, actions):
    client = client_for(client, scene.world, "viewer")
    url = reverse("workstreams:action_log_export", args=[scene.diabetes.pk])

    def references(query=""):
        body = b"".join(client.get(url + query).streaming_content).decode("utf-8-sig")
        return {int(reference) for reference in re.findall(r"^A(\d+),", body, flags=re.MULTILINE)}

    assert references() == actions.ids("overdue", "done", "raised")
    assert references("?state=overdue") == actions.ids("overdue")
