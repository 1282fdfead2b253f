"""The engagement evidence adds a fixed number of queries: the decision page, the register with its flag, the export,
the API, the proposal form and the public pages make as many for 3 activities, groups and responses as for 30."""

import pytest

from governance.models import Decision
from partnerships.models import DecisionCategory
from tests.fixtures import client_for
from tests.html import text

from .evidence_support import activity, end_of_life, expect, said
from .support import approved, in_signoff, propose, signatories
from .test_queries import queries

pytestmark = pytest.mark.django_db

SLUGS = ["patients-carers", "gps", "nurses", "vcse", "public-communities", "staff-unions"]


def evidence(world, workstream, count: int, *, start: int = 0):
    """`count` activities of the work-stream, each reaching up to six groups, each with a published response."""
    activities, responses = [], []
    for number in range(start, start + count):
        reach = dict.fromkeys(SLUGS[: 1 + number % len(SLUGS)], number + 1)
        heard = activity(world.partnership, title=f"Activity {number}", reach=reach, workstreams=[workstream])
        activities.append(heard)
        responses.append(said(heard, f"Theme {number}", status="acted_on", published=True))
    return activities, responses


def with_evidence(world, workstream, activities, responses, *, title: str, state=in_signoff) -> Decision:
    return state(
        world,
        title=title,
        category=DecisionCategory.SERVICE_CHANGE,
        workstream=workstream,
        engagement_activities=activities,
        feedback_addressed=responses,
    )


@pytest.fixture
def workstream(world):
    signatories(world)
    workstream = end_of_life(world)
    expect(workstream, "mps")
    return workstream


def test_the_decision_page_makes_the_same_queries_for_3_linked_activities_as_for_30(world, client, workstream):
    small = with_evidence(world, workstream, *evidence(world, workstream, 3), title="Small")
    large = with_evidence(world, workstream, *evidence(world, workstream, 30, start=3), title="Large")
    client = client_for(client, world, "board")
    assert queries(client, large.get_absolute_url()) == queries(client, small.get_absolute_url())


def test_the_register_export_and_api_make_the_same_queries_for_3_flagged_decisions_as_for_30(
    world, client, api_client, workstream
):
    lists = [
        "/partnerships/QZZ/decisions/",
        "/partnerships/QZZ/decisions/?no_engagement_evidence=yes",
        "/partnerships/QZZ/decisions/export.csv?no_engagement_evidence=yes",
        "/api/v1/decisions/",
        "/api/v1/decisions/?no_engagement_evidence=true",
    ]
    for number in range(3):
        with_evidence(world, workstream, *evidence(world, workstream, 2, start=10 * number), title=f"D{number}")
    client = client_for(client, world, "viewer")
    api = client_for(api_client, world, "viewer")

    def counted(url: str) -> int:
        return queries(api if url.startswith("/api/") else client, url)

    few = {url: counted(url) for url in lists}
    assert "No engagement evidence" in text(client.get(lists[0]), "#decisions")
    for number in range(3, 30):
        with_evidence(world, workstream, *evidence(world, workstream, 3, start=10 * number), title=f"D{number}")
    assert {url: counted(url) for url in lists} == few
    assert len(api.get("/api/v1/decisions/?no_engagement_evidence=true").json()["results"]) == 30


def test_the_proposal_form_makes_the_same_queries_for_3_activities_as_for_30(world, client, workstream):
    draft = propose(world, workstream=workstream)
    evidence(world, workstream, 3)
    client = client_for(client, world, "member")
    urls = [f"/decisions/{draft.pk}/edit/", f"/partnerships/QZZ/decisions/new/?workstream={workstream.pk}"]
    few = {url: queries(client, url) for url in urls}
    evidence(world, workstream, 30, start=3)
    assert {url: queries(client, url) for url in urls} == few


def test_the_public_pages_make_the_same_queries_for_3_responses_as_for_30(world, client, workstream):
    activities, responses = evidence(world, workstream, 3)
    first = with_evidence(world, workstream, activities, responses, title="First", state=approved)
    urls = ["/public/QZZ/", f"/public/QZZ/decisions/{first.reference}/"]
    few = {url: queries(client, url) for url in urls}
    more_activities, more_responses = evidence(world, workstream, 27, start=3)
    second = with_evidence(
        world, workstream, more_activities + activities, more_responses, title="Second", state=approved
    )
    assert {url: queries(client, url) for url in urls} == few
    assert queries(client, f"/public/QZZ/decisions/{second.reference}/") == few[urls[1]]


def test_an_activity_page_makes_the_same_queries_for_1_decision_as_for_10(world, client, workstream):
    heard = activity(world.partnership, title="Hospice visit", reach={"vcse": 2}, workstreams=[workstream])
    propose(world, title="First", engagement_activities=[heard])
    client = client_for(client, world, "member")
    few = queries(client, heard.get_absolute_url())
    for number in range(9):
        propose(world, title=f"Decision {number}", engagement_activities=[heard])
    assert queries(client, heard.get_absolute_url()) == few
