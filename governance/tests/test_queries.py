"""The database work of each list and page does not grow with its rows: the same number of queries for a few
decisions, organisations, votes and challenges as for many."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance import services
from governance.models import Position
from tests.fixtures import client_for

from .support import in_signoff, more_members, propose, sign, signatories


def queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types), which are not the page's own work
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


def add_decisions(world, count: int, *, start: int = 0):
    for number in range(start, start + count):
        decision = in_signoff(world, title=f"Decision {number}")
        services.challenge_raise(actor=world.ned, decision=decision, text=f"Question {number}")
        sign(world.board, decision)


LISTS = [
    "/partnerships/QZZ/decisions/",
    "/partnerships/QZZ/decisions/?status=in_signoff&search=Decision",
    "/partnerships/QZZ/decisions/export.csv",
    "/my-sign-offs/",
    "/api/v1/decisions/",
    "/api/v1/signoffs/",
    "/api/v1/challenges/",
    "/api/v1/declarations/",
    "/api/v1/interests/",
    "/partnerships/QZZ/interests/",
]


@pytest.mark.parametrize("persona", ["board", "viewer"])
def test_lists_make_the_same_queries_for_3_decisions_as_for_30(world, client, persona):
    signatories(world)
    add_decisions(world, 3)
    services.interest_declare(
        actor=world.ned,
        partnership=world.partnership,
        kind="financial",
        description="Shares",
        valid_from=timezone.localdate(),
    )
    client = client_for(client, world, persona)
    few = {url: queries(client, url) for url in LISTS}
    add_decisions(world, 27, start=3)
    for number in range(10):
        services.interest_declare(
            actor=world.board,
            partnership=world.partnership,
            kind="indirect",
            description=f"Relative {number}",
            valid_from=timezone.localdate() - timedelta(days=number),
        )
    many = {url: queries(client, url) for url in LISTS}
    assert many == few


def test_the_decision_page_makes_the_same_queries_for_3_organisations_as_for_30(world, client):
    signatories(world)
    small = in_signoff(world, title="Small")
    services.challenge_raise(actor=world.ned, decision=small, text="One question")
    sign(world.board, small)
    client = client_for(client, world, "board")
    few = queries(client, small.get_absolute_url())

    people = [person for _, person in more_members(world, 28)]
    large = in_signoff(world, title="Large")
    for number, person in enumerate(people):
        if number % 3 == 0:
            services.decision_declare(
                actor=person, decision=large, position=Position.CONFLICT, kind="financial", description="Shares"
            )
        else:
            sign(person, large)
        services.challenge_raise(actor=person, decision=large, text=f"Question {number}")
    sign(world.board, large, "abstain")
    sign(world.board, large, "reject", "Changed my mind")  # a changed vote, kept
    assert queries(client, large.get_absolute_url()) == few


def test_the_public_page_and_feed_make_the_same_queries_for_few_and_many_decisions(world, client):
    from .support import approved

    approved(world, title="First")
    few = {url: queries(client, url) for url in ["/public/QZZ/", "/public/QZZ/decisions.atom"]}
    for number in range(12):
        approved(world, title=f"Decision {number}")
    propose(world, title="Not public yet")
    many = {url: queries(client, url) for url in ["/public/QZZ/", "/public/QZZ/decisions.atom"]}
    assert many == few
