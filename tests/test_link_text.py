"""Links read right to someone who hears them out of context: no repeated words in their hidden text, and dates
written as dates ("6 December", never "6 december")."""

import datetime

from django.utils import timezone

from governance.tests.support import board_meeting
from reporting.models import Digest, DigestStatus
from tests.html import parse
from workstreams import services as workstream_services
from workstreams.models import AgendaPurpose


def link_texts(response) -> list[str]:
    return [" ".join(link.get_text(" ").split()) for link in parse(response).select("main a")]


def test_the_change_link_of_an_agenda_item_reads_change_item_1(world, client):
    meeting = board_meeting(world)
    workstream_services.agenda_item_add(
        actor=world.lead, meeting=meeting, title="Winter plan", purpose=AgendaPurpose.DECISION
    )
    client.force_login(world.lead)
    links = link_texts(client.get(meeting.get_absolute_url()))
    assert "Change item 1" in links
    assert not [link for link in links if "item item" in link]


def test_the_pdf_link_of_a_digest_names_its_week_with_a_capital_month(world, client):
    period_end = datetime.date(2026, 12, 6)
    Digest.objects.create(
        partnership=world.partnership,
        period_start=period_end - datetime.timedelta(days=7),
        period_end=period_end,
        status=DigestStatus.BUILT,
        built_at=timezone.now(),
        send_email=False,
    )
    client.force_login(world.lead)
    links = link_texts(client.get("/partnerships/QZZ/digests/"))
    assert "PDF of the digest for the week to 6 December 2026" in links
    assert not [link for link in links if "december" in link]
