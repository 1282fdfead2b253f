"""The database work of building a digest, and of its list, page and API, does not grow with the data: the same
number of queries for a quiet week as for a busy one, and for 3 digests as for 30."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.tests.evidence_support import activity, said
from governance.tests.risk_support import raise_risk
from governance.tests.support import board_meeting, in_signoff, more_members, sign
from partnerships.tests.api_client import api_as
from reporting.models import Digest
from reporting.selectors.digests import digest_content
from tests.factories import ProfileFactory, UserFactory, grant

from .digest_support import a_week, action, built

pytestmark = pytest.mark.django_db


def queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def page_queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types), which are not the page's own work
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def busier(world, week, count: int) -> None:
    """`count` more of everything a digest reports: partners, decisions in sign-off, overdue actions owned across
    organisations, risks, meetings and responses."""
    partners = more_members(world, count)
    for number in range(count):
        decision = in_signoff(world, title=f"Decision {number}")
        sign(world.board, decision)
        organisation, person = partners[number]
        owner = UserFactory(username=f"owner{number}")
        ProfileFactory(user=owner, organisation=organisation)
        grant(owner, world.partnership, "member")
        action(world, week.workstream, owner, organisation, days=-number - 1, text=f"Overdue {number}")
        action(world, week.workstream, person, None, days=-number - 2, text=f"Overdue by profile {number}")
        raise_risk(world, title=f"Risk {number}", likelihood=1 + number % 5, consequence=5)
        board_meeting(world, days_from_now=1 + number % 10)
        heard = activity(world.partnership, reach={"vcse": 3}, workstreams=[week.workstream], title=f"Visit {number}")
        said(heard, f"Theme {number}", status="responded", groups=("vcse",))


def test_building_a_digest_takes_the_same_queries_for_a_quiet_week_and_a_busy_one(world):
    week = a_week(world)
    start, end = timezone.localdate() - timedelta(days=7), timezone.localdate()
    digest_content(world.partnership, start, end)  # as the busy week's is below: the coverage counts stored
    quiet = queries(lambda: digest_content(world.partnership, start, end))
    busier(world, week, 12)
    content = digest_content(world.partnership, start, end)
    assert content["decisions"]["awaiting_count"] == 14 and content["actions"]["overdue"] == 26
    assert len(content["todo"]) == 15  # the trust, the council, the extra partner and twelve more
    busy = queries(lambda: digest_content(world.partnership, start, end))
    assert busy == quiet
    assert busy <= 40


@pytest.mark.parametrize("persona", ["lead", "viewer"])
def test_the_list_page_and_api_take_the_same_queries_for_3_digests_as_for_30(world, client, persona):
    def add(count: int) -> None:
        done = Digest.objects.count()
        for weeks in range(done, done + count):
            built(world, period_end=timezone.localdate() - timedelta(weeks=weeks))

    add(3)
    client.force_login(getattr(world, persona))
    api = api_as(world, persona)
    urls = ["/partnerships/QZZ/digests/", "/partnerships/QZZ/digests/?page=2"]
    few = [page_queries(client, url) for url in urls] + [page_queries(api, "/api/v1/digests/?partnership=QZZ")]
    add(27)
    many = [page_queries(client, url) for url in urls] + [page_queries(api, "/api/v1/digests/?partnership=QZZ")]
    assert many == few
    assert api.get("/api/v1/digests/?partnership=QZZ").json()["count"] == 30


@pytest.mark.parametrize("persona", ["board", "viewer"])
def test_a_digests_page_and_api_detail_take_the_same_queries_for_a_quiet_week_and_a_busy_one(world, client, persona):
    week = a_week(world)
    quiet = built(world, period_end=timezone.localdate() - timedelta(days=1))
    client.force_login(getattr(world, persona))
    api = api_as(world, persona)
    few = [page_queries(client, quiet.get_absolute_url()), page_queries(api, f"/api/v1/digests/{quiet.pk}/")]
    busier(world, week, 12)
    busy = built(world)
    many = [page_queries(client, busy.get_absolute_url()), page_queries(api, f"/api/v1/digests/{busy.pk}/")]
    assert many == few
