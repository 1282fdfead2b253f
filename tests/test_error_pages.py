"""What "You cannot do this" and "Page not found" tell people (issue 14, items 17 and 19): the access check's own
reason and a way back on the 403 page; on the 404 page, and in the API's 404, nothing that says whether the record
exists, under DEBUG (`make run`) too."""

import pytest
from django.test import override_settings
from django.urls import reverse

from core.audit import SYSTEM
from tests.fixtures import client_for
from tests.html import parse, text
from workstreams import services as workstream_services
from workstreams.models import WorkStream, WorkStreamStatus


@pytest.fixture
def medicines(world):
    """A work-stream led by the board member: `member` can read it but not change it."""
    workstream = workstream_services.workstream_propose(
        actor=world.lead,
        partnership=world.partnership,
        name="Medicines Optimisation",
        purpose="Safer prescribing.",
        lead=world.board,
    )
    workstream_services.workstream_accept(actor=SYSTEM, workstream=workstream, reason="Agreed by the board.")
    workstream_services.workstream_change_status(
        actor=SYSTEM, workstream=workstream, status=WorkStreamStatus.ACTIVE, reason="Group formed."
    )
    return workstream


# --- 403: the reason, and a way back --------------------------------------------------------------------------------


def test_you_cannot_do_this_says_why_in_the_services_words(client, world, medicines):
    client_for(client, world, "member")
    response = client.get(reverse("workstreams:workstream_update", args=[medicines.pk]))
    assert response.status_code == 403
    assert text(response, "#reason") == "Only the Medicines Optimisation group and the partnership lead can do that."
    assert "Your role in this partnership does not allow it" not in text(response)


def test_you_cannot_do_this_links_back_to_the_page_you_came_from(client, world, medicines):
    client_for(client, world, "member")
    came_from = reverse("workstreams:workstream_detail", args=[medicines.pk])
    response = client.get(
        reverse("workstreams:workstream_update", args=[medicines.pk]),
        headers={"referer": f"http://testserver{came_from}?tab=group"},
    )
    back = parse(response).select_one("#back")
    assert (back["href"], back.get_text(strip=True)) == (f"{came_from}?tab=group", "Go back to the page you came from")


@pytest.mark.parametrize("referer", ["", "https://elsewhere.example/phish", "javascript:alert(1)"])
def test_you_cannot_do_this_links_to_the_start_page_when_you_came_from_elsewhere(client, world, medicines, referer):
    client_for(client, world, "member")
    response = client.get(reverse("workstreams:workstream_update", args=[medicines.pk]), headers={"referer": referer})
    back = parse(response).select_one("#back")
    assert (back["href"], back.get_text(strip=True)) == (reverse("core:start"), "Go to the start page")


def test_the_reason_on_you_cannot_do_this_is_shown_as_text_not_run(client, world, medicines):
    WorkStream.objects.filter(pk=medicines.pk).update(name="<script>alert(1)</script>")  # past the service's check
    client_for(client, world, "member")
    response = client.get(reverse("workstreams:workstream_update", args=[medicines.pk]))
    assert response.status_code == 403
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


# --- 404: one answer for "not yours" and "not there" -------------------------------------------------------------


@override_settings(DEBUG=True)
def test_an_outsider_gets_our_page_not_found_under_debug_and_it_does_not_say_the_partnership_exists(client, world):
    client_for(client, world, "outsider")
    theirs = client.get(reverse("partnerships:overview", args=["QZZ"]))
    nowhere = client.get(reverse("partnerships:overview", args=["QXX"]))
    assert (theirs.status_code, nowhere.status_code) == (404, 404)
    assert text(theirs) == text(nowhere)
    assert text(theirs, "h1") == "Page not found"
    for response in (theirs, nowhere):
        assert "No such partnership" not in response.content.decode()
        assert "URLconf" not in response.content.decode()  # Django's debug page lists every URL pattern


@override_settings(DEBUG=True)
def test_a_work_stream_of_another_partnership_and_a_missing_one_read_the_same(client, world, medicines):
    client_for(client, world, "outsider")
    theirs = client.get(reverse("workstreams:workstream_detail", args=[medicines.pk]))
    nowhere = client.get(reverse("workstreams:workstream_detail", args=[medicines.pk + 1000]))
    assert (theirs.status_code, nowhere.status_code) == (404, 404)
    assert text(theirs) == text(nowhere)


@pytest.mark.parametrize(
    ("theirs", "nowhere"),
    [
        ("/api/v1/partnerships/QZZ/", "/api/v1/partnerships/QXX/"),
        ("/api/v1/workstreams/{pk}/", "/api/v1/workstreams/{missing}/"),
    ],
)
def test_the_api_answers_not_yours_and_not_there_byte_for_byte_the_same(client, world, medicines, theirs, nowhere):
    client_for(client, world, "outsider")
    ids = {"pk": medicines.pk, "missing": medicines.pk + 1000}
    seen = client.get(theirs.format(**ids))
    missing = client.get(nowhere.format(**ids))
    assert (seen.status_code, missing.status_code) == (404, 404)
    assert seen.content == missing.content == b'{"detail":"Not found."}'
