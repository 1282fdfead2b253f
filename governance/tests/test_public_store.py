"""The public pages from a stored rendering (issue 18): anonymous readers are answered from the store in two queries,
with `ETag` and `Last-Modified`, and `304 Not Modified` when they ask again; a newly published decision shows on the
very next request; a change the page does not show moves neither validator; signed-in readers get their own page;
and the stored page carries each reader's own CSP nonce."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Visibility

from .support import approved, propose

pytestmark = pytest.mark.django_db

PAGES = ["/public/QZZ/", "/public/QZZ/decisions.atom"]


@pytest.fixture
def published(world):
    return approved(world, title="Shared community diabetes service")


@pytest.mark.parametrize("url", PAGES)
def test_a_second_reader_is_answered_from_the_store_in_two_queries(world, published, client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        rendered = client.get(url)
    with CaptureQueriesContext(connection) as second:
        stored = client.get(url)
    assert len(first) > len(second) == 2  # the partnership, and its chain's head
    assert stored.content == rendered.content if url.endswith(".atom") else stored.status_code == 200
    assert "Shared community diabetes service" in stored.text
    assert stored["ETag"] == rendered["ETag"]


@pytest.mark.parametrize("url", PAGES)
def test_asking_again_with_the_validators_gets_not_modified(world, published, client, url):
    first = client.get(url)
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert (again.status_code, again.content) == (304, b"")
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


def test_a_newly_published_decision_shows_on_the_very_next_request(world, published, client):
    before = client.get("/public/QZZ/")
    approved(world, title="Hospice at home for the whole footprint")
    after = client.get("/public/QZZ/", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert "Hospice at home for the whole footprint" in after.text
    assert after["ETag"] != before["ETag"]
    assert "Hospice at home" in client.get("/public/QZZ/decisions.atom").text


def test_a_change_the_page_does_not_show_moves_neither_validator(world, published, client):
    before = client.get("/public/QZZ/")
    propose(
        world,
        title="Estates disposal at Northgate",
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Commercially sensitive.",
        confidential_review_on=date(2027, 6, 1),
    )
    after = client.get("/public/QZZ/")
    assert "Estates disposal" not in after.text
    assert (after["ETag"], after["Last-Modified"]) == (before["ETag"], before["Last-Modified"])
    assert client.get("/public/QZZ/", headers={"If-None-Match": before["ETag"]}).status_code == 304


def test_a_signed_in_reader_gets_their_own_page_not_the_stored_one(world, published, client):
    client.get("/public/QZZ/")  # stored by an anonymous reader
    client.force_login(world.lead)
    page = client.get("/public/QZZ/")
    assert "ETag" not in page
    assert "Sign out" in page.text


def test_the_stored_page_carries_each_readers_own_nonce_and_no_one_elses_token(world, published, client):
    client.get("/public/QZZ/")
    for _ in range(2):
        page = client.get("/public/QZZ/")
        nonce = re.search(r"'nonce-([^']+)'", page["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"' in page.text
        assert "__csp_nonce__" not in page.text
        assert "csrfmiddlewaretoken" not in page.text


def test_a_decision_that_is_not_published_is_still_not_found(world, published, client):
    draft = propose(world, title="Not public yet")
    client.get(f"/public/QZZ/decisions/{published.reference}/")
    assert client.get(f"/public/QZZ/decisions/{draft.reference}/").status_code == 404
    assert client.get(f"/public/QZZ/decisions/{published.reference}/").status_code == 200
