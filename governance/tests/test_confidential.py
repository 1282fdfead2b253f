"""Confidential decisions stay inside the partnership board: never on the public page, the feed, the public
decision pages, exports or API answers to anyone who may not read them."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from governance.models import Visibility
from tests.fixtures import client_for
from tests.html import parse, text

from .support import approved, in_signoff, propose, workstream

SECRET_TITLE = "Sale of the Riverside site to Acme Health"
SECRET_CASE = "Acme offered 4.2 million pounds in confidence."


@pytest.fixture
def decisions(world):
    public = approved(world, title="Community diabetes hub")
    secret = approved(
        world,
        title=SECRET_TITLE,
        case=SECRET_CASE,
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Commercial negotiation under way.",
        confidential_review_on=timezone.localdate() + timedelta(days=90),
    )
    return public, secret


def test_the_public_page_lists_approved_public_decisions_partners_and_work_streams_only(world, client, decisions):
    public, secret = decisions
    draft = propose(world, title="Not decided yet")
    page = client.get("/public/QZZ/")
    assert page.status_code == 200
    body = text(page)
    assert public.title in body
    assert SECRET_TITLE not in body and secret.reference not in body
    assert draft.title not in body
    assert world.trust.name in text(page, "#partners + ul")


def test_the_feed_carries_public_decisions_only(client, decisions):
    public, secret = decisions
    feed = client.get("/public/QZZ/decisions.atom")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert public.reference in body
    assert SECRET_TITLE not in body and secret.reference not in body and SECRET_CASE not in body


def test_a_confidential_decision_has_no_public_page(client, decisions):
    public, secret = decisions
    assert client.get(f"/public/QZZ/decisions/{public.reference}/").status_code == 200
    assert client.get(f"/public/QZZ/decisions/{secret.reference}/").status_code == 404


def test_a_decision_not_yet_approved_has_no_public_page(world, client):
    decision = in_signoff(world)
    assert client.get(f"/public/QZZ/decisions/{decision.reference}/").status_code == 404


@pytest.mark.parametrize("path", ["/public/QXX/", "/public/QXX/decisions.atom", "/public/QXX/decisions/QXX-2026-001/"])
def test_an_unknown_partnership_code_is_not_found(db, client, path):
    assert client.get(path).status_code == 404


def test_a_decision_of_another_partnership_is_not_found_under_this_code(world, client, decisions):
    public, _ = decisions
    assert client.get(f"/public/QYY/decisions/{public.reference}/").status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "member"])
def test_members_and_viewers_see_that_a_confidential_decision_exists_but_not_what_it_says(
    world, client, decisions, persona
):
    _, secret = decisions
    client = client_for(client, world, persona)
    if persona == "member":  # the member proposed both decisions; another member did not
        secret.proposer = world.viewer
        secret.save(update_fields=["proposer"])
    register = text(client.get("/partnerships/QZZ/decisions/"))
    assert f"{secret.reference}: confidential decision" in register
    assert SECRET_TITLE not in register
    page = client.get(secret.get_absolute_url())
    assert page.status_code == 200
    assert SECRET_TITLE not in page.content.decode() and SECRET_CASE not in page.content.decode()
    assert "Commercial negotiation under way." in text(page)


def test_searching_the_register_by_a_confidential_title_finds_nothing_for_a_viewer(world, client, decisions):
    _, secret = decisions
    client = client_for(client, world, "viewer")
    assert parse(client.get("/partnerships/QZZ/decisions/?search=Riverside")).select("#decisions tbody tr") == []
    by_reference = parse(client.get(f"/partnerships/QZZ/decisions/?search={secret.reference}"))
    assert len(by_reference.select("#decisions tbody tr")) == 1


@pytest.mark.parametrize(("persona", "sees"), [("viewer", False), ("ned", True), ("board", True), ("lead", True)])
def test_the_csv_export_shows_confidential_details_only_to_board_level_roles(world, client, decisions, persona, sees):
    _, secret = decisions
    client = client_for(client, world, persona)
    response = client.get("/partnerships/QZZ/decisions/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = next(row for row in rows if row["Reference"] == secret.reference)
    assert (row["Title"] == SECRET_TITLE) is sees
    assert (row["Value (£)"] != "") is sees
    assert row["Why confidential"] == "Commercial negotiation under way."


def test_the_api_gives_outsiders_nothing(world, api_client, decisions):
    _, secret = decisions
    api = client_for(api_client, world, "outsider")
    assert api.get("/api/v1/decisions/").json()["count"] == 0
    assert api.get(f"/api/v1/decisions/{secret.pk}/").status_code == 404
    for resource in ["signoffs", "challenges", "declarations", "ratifications", "interests"]:
        assert api.get(f"/api/v1/{resource}/").json()["count"] == 0


def test_the_api_redacts_a_confidential_decision_for_a_viewer(world, api_client, decisions):
    _, secret = decisions
    api = client_for(api_client, world, "viewer")
    answer = api.get(f"/api/v1/decisions/{secret.pk}/").json()
    assert answer["is_redacted"] is True
    assert answer["title"] == "Confidential decision"
    assert answer["case"] is None and answer["value_pounds"] is None and answer["proposer"] is None
    listed = api.get("/api/v1/decisions/?search=Riverside").json()
    assert listed["count"] == 0
    signoffs = api.get(f"/api/v1/signoffs/?decision={secret.pk}").json()
    assert signoffs["count"] == 0
    assert SECRET_TITLE not in api.get("/api/v1/decisions/").content.decode()


@pytest.mark.parametrize(("persona", "finds_secret"), [("viewer", False), ("board", True), ("lead", True)])
def test_filtering_by_work_stream_finds_a_confidential_decision_only_for_those_who_may_read_it(
    world, client, api_client, persona, finds_secret
):
    stream = workstream(world)
    approved(world, title="Community diabetes hub", workstream=stream)
    approved(
        world,
        title=SECRET_TITLE,
        workstream=stream,
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Commercial negotiation under way.",
        confidential_review_on=timezone.localdate() + timedelta(days=90),
    )
    client = client_for(client, world, persona)
    api = client_for(api_client, world, persona)
    api_titles = {row["title"] for row in api.get(f"/api/v1/decisions/?workstream={stream.pk}").json()["results"]}
    page = parse(client.get(f"/partnerships/QZZ/decisions/?workstream={stream.pk}"))
    page_rows = [" ".join(row.get_text(" ").split()) for row in page.select("#decisions tbody tr")]
    assert "Community diabetes hub" in api_titles
    assert (SECRET_TITLE in api_titles) is finds_secret
    assert ("Confidential decision" in api_titles) is False
    assert len(page_rows) == len(api_titles)
    assert any(SECRET_TITLE in row for row in page_rows) is finds_secret


def test_the_api_shows_a_confidential_decision_in_full_to_a_board_member(world, api_client, decisions):
    _, secret = decisions
    api = client_for(api_client, world, "board")
    answer = api.get(f"/api/v1/decisions/{secret.pk}/").json()
    assert answer["title"] == SECRET_TITLE and answer["case"] == SECRET_CASE and answer["is_redacted"] is False
    assert api.get(f"/api/v1/signoffs/?decision={secret.pk}").json()["count"] == 2
