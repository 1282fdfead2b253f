"""Who may read the dashboard, its API and the lists behind its figures, and what bad input gets: everyone with a
role in the partnership reads them; anyone else gets 404, as for a partnership that does not exist; anonymous
people are sent to sign in (the API answers 401)."""

import pytest
from django.test import Client

from tests.html import error_summary
from workstreams.models import WorkStream

pytestmark = pytest.mark.django_db

PAGES = [
    "/partnerships/QZZ/dashboard/",
    "/partnerships/QZZ/dashboard/actions/",
    "/partnerships/QZZ/dashboard/attendance/",
    "/partnerships/QZZ/dashboard/agenda/",
]
API = "/api/v1/dashboards/QZZ/"
READERS = {"viewer": 200, "member": 200, "ned": 200, "board": 200, "lead": 200}


def status_for(world, persona: str, url: str, method: str = "get") -> int:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    response = getattr(client, method)(url)
    if persona == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith("/sign-in/"), response["Location"]
    return response.status_code


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_for_everyone_in_the_partnership(world, url):
    expected = {"anonymous": 302, "outsider": 404, **READERS}
    assert {persona: status_for(world, persona, url) for persona in expected} == expected


def test_the_api_is_for_everyone_in_the_partnership(world):
    expected = {"anonymous": 401, "outsider": 404, **READERS}
    assert {persona: status_for(world, persona, API) for persona in expected} == expected


@pytest.mark.parametrize("url", [*PAGES, API])
def test_an_unknown_or_another_partnerships_code_is_not_found(world, client, url):
    client.force_login(world.lead)
    assert client.get(url.replace("QZZ", "QXX")).status_code == 404
    assert client.get(url.replace("QZZ", "QYY")).status_code == 404  # the outsider's partnership
    assert client.get(url.replace("QZZ", "q" * 300)).status_code == 404


@pytest.mark.parametrize("url", [PAGES[0], API])
def test_the_dashboard_is_read_only(world, client, url):
    client.force_login(world.lead)
    assert client.post(url, {}).status_code == 405


@pytest.mark.parametrize(
    "url, query, field",
    [
        (PAGES[1], "state=everything", "state"),
        (PAGES[1], "due_from=yesterday", "due_from"),
        (PAGES[1], "completed_to=2026-02-31", "completed_to"),
        (PAGES[1], "organisation=<script>alert(1)</script>", "organisation"),
        (PAGES[2], "absent=maybe", "absent"),
        (PAGES[2], "organisation=99999", "organisation"),
        (PAGES[3], "purpose=gossip", "purpose"),
        (PAGES[3], "body=everyone", "body"),
    ],
)
def test_bad_filters_are_refused_with_a_clear_message(world, client, url, query, field):
    client.force_login(world.lead)
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    # The link goes to the field's control: its input, or a date's first box (#id_due_from-day).
    assert error_summary(response) and error_summary(response)[0][1] in (f"#id_{field}", f"#id_{field}-day")
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_another_partnerships_work_stream_or_organisation_is_refused(world, client):
    elsewhere = WorkStream.objects.create(partnership=world.other_partnership, name="Elsewhere", purpose="Theirs.")
    client.force_login(world.lead)
    for query in (f"workstream={elsewhere.pk}", f"organisation={world.other_trust.pk}", "workstream=x"):
        response = client.get(f"{PAGES[1]}?{query}")
        assert response.status_code == 400, query
        assert "Elsewhere" not in response.content.decode()


def test_good_filters_and_a_page_past_the_end_are_answered(world, client):
    client.force_login(world.lead)
    query = f"state=all&workstream=board&organisation={world.trust.pk}&due_from=2026-01-01&page=999"
    assert client.get(f"{PAGES[1]}?{query}").status_code == 200
    assert client.get(f"{PAGES[2]}?organisation=none&absent=yes&page=abc").status_code == 200
    assert client.get(f"{PAGES[3]}?purpose=note&body=groups").status_code == 200
