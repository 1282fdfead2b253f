"""The database work of every risk list, page and API list does not grow with its rows: the same number of queries
for 3 risks as for 30, with their reviews, owners, work-streams, organisations, actions and decisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.selectors import risks as selectors
from governance.services.risks import risk_update
from partnerships.tests.api_client import api_as
from tests.factories import ProfileFactory, UserFactory, grant
from tests.fixtures import client_for
from workstreams.models import Action

from .risk_support import raise_risk, review, set_appetite, workstream_with_lead
from .support import approved


def queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types), which are not the page's own work
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def grow(world):
    """A function adding `count` risks at every tier, each reviewed and linked to an action and a decision."""
    set_appetite(world, "Finance", tolerance=8)
    workstream, group_lead = workstream_with_lead(world)
    decision = approved(world, title="Approved decision")
    made = []

    def add(count: int):
        for number in range(len(made), len(made) + count):
            owner = UserFactory(username=f"owner{number}")
            ProfileFactory(user=owner, organisation=world.trust)
            grant(owner, world.partnership, "member")
            tier = ["partnership", "workstream", "organisation"][number % 3]
            links = {"workstream": workstream} if tier == "workstream" else {}
            links.update({"organisation": world.council} if tier == "organisation" else {})
            action = Action.objects.create(
                partnership=world.partnership,
                workstream=workstream,
                description=f"Action {number}",
                owner=owner,
                due_on=timezone.localdate(),
            )
            risk = raise_risk(
                world,
                title=f"Risk {number}",
                actor=owner,  # who links a risk to a decision must look after it
                owner=owner,
                tier=tier,
                likelihood=1 + number % 5,
                consequence=1 + (number // 5) % 5,
                actions=[action],
                decisions=[decision],
                **links,
            )
            review(world, risk, 1 + (number + 1) % 5, 3, note=f"Review {number}")
            made.append(risk)
        return made

    return add


PAGES = [
    "/partnerships/QZZ/risks/",
    "/partnerships/QZZ/risks/?band=high&above_appetite=yes&status=all&search=Risk",
    "/partnerships/QZZ/risks/?review_overdue=yes&escalated=yes&tier=workstream",
    "/partnerships/QZZ/risks/export.csv",
    "/partnerships/QZZ/risks/heat-map/",
    "/partnerships/QZZ/risks/escalated/",
    "/partnerships/QZZ/risk-appetite/",
    "/api/v1/risks/",
    "/api/v1/risks/?partnership=QZZ&band=high&is_escalated=false",
    "/api/v1/risk-reviews/",
    "/api/v1/risk-score-changes/",
    "/api/v1/risk-appetites/",
    "/api/v1/risk-domains/",
    "/api/v1/risk-settings/",
]


@pytest.mark.parametrize("persona", ["lead", "viewer"])
def test_risk_lists_make_the_same_queries_for_3_risks_as_for_30(world, client, grow, persona):
    grow(3)
    client = client_for(client, world, persona)
    api = api_as(world, persona)
    few = {url: queries(api if url.startswith("/api/") else client, url) for url in PAGES}
    grow(27)
    many = {url: queries(api if url.startswith("/api/") else client, url) for url in PAGES}
    assert many == few


def test_a_risks_page_and_its_decisions_page_make_the_same_queries_for_few_and_many_links(world, client, grow):
    risks = grow(3)
    first = risks[0]
    decision = first.decisions.get()
    client = client_for(client, world, "board")
    few = [queries(client, first.get_absolute_url()), queries(client, decision.get_absolute_url())]
    more = grow(27)
    risk_update(actor=world.lead, risk=first, actions=list(Action.objects.all()))
    for number in range(10):
        review(world, first, 1 + number % 5, 2, note=f"Again {number}")
    assert len(more) == 30
    many = [queries(client, first.get_absolute_url()), queries(client, decision.get_absolute_url())]
    assert many == few


def test_the_dashboard_selectors_each_take_a_fixed_number_of_queries(world, grow, django_assert_num_queries):
    def run():
        from datetime import timedelta

        since = timezone.localdate() - timedelta(days=7)
        selectors.heat_map(world.partnership)
        list(selectors.risks_above_appetite(world.partnership))
        list(selectors.escalated_risks(world.partnership))
        list(selectors.reviews_overdue(world.partnership, timezone.localdate()))
        changes = selectors.new_and_escalated_since(world.partnership, since)
        list(changes.raised), list(changes.escalated)
        list(selectors.decisions_review_suggested(world.partnership))

    grow(3)
    with django_assert_num_queries(8):  # the heat map two, then one each
        run()
    grow(27)
    with django_assert_num_queries(8):
        run()
