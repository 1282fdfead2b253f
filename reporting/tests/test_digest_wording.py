"""What the dashboard and the board digest say, as people read them: a decision counts as decided only while its
result stands; a confidential decision is marked so wherever its title is shown; and the digest tells only those
who may sign "what you must sign off"."""

import html
import re
from io import BytesIO

import pytest
from django.core import mail
from pypdf import PdfReader

from core.audit import SYSTEM
from governance import services
from governance.tests.support import approved
from reporting.services.digests import digest_build
from tests.fixtures import client_for
from tests.html import parse, text

from .digest_support import a_week, built

pytestmark = pytest.mark.django_db

DASHBOARD = "/partnerships/QZZ/dashboard/"


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks):
    """Run what services queue after commit (the digest's emails) as it is queued."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split())


def todo_of(response) -> str:
    page = html.unescape(response.content.decode())
    return page[page.index('id="your-organisation"') : page.index('id="decisions"')]


# --- The dashboard's "made in the last 30 days" ---------------------------------------------------------------------


def test_the_dashboard_does_not_list_a_decision_back_in_sign_off_or_superseded_as_decided(world, client):
    stands = approved(world, title="Joint winter plan")
    reopened = approved(world, title="Community beds")
    services.decision_reopen(actor=world.lead, decision=reopened, reason="The trust's costs have changed.")
    replaced = approved(world, title="Old discharge policy")
    replacement = approved(world, title="New discharge policy")
    services.decision_supersede(
        actor=world.lead, decision=replaced, superseded_by=replacement, reason="The new policy replaces it."
    )
    lead = client_for(client, world, "lead")
    page = parse(lead.get(DASHBOARD))
    listed = page.select_one("#made-recently-list").get_text(" ")
    assert stands.reference in listed and replacement.reference in listed
    assert reopened.reference not in listed and replaced.reference not in listed
    figure = page.select_one("#figure-made-recently")
    assert figure.get_text(" ").split()[0] == "2"
    register = parse(lead.get(figure["href"]))  # the register the figure links to lists the same two
    linked = {a["href"] for a in register.select("#decisions a[href*='/decisions/']")}
    assert linked == {stands.get_absolute_url(), replacement.get_absolute_url()}
    assert reopened.reference in text(lead.get(DASHBOARD), "#awaiting-signoff-table")  # it is awaited again


# --- Confidential decisions in the digest ---------------------------------------------------------------------------


def test_the_board_members_digest_marks_confidential_decisions_confidential_on_the_page_and_in_the_pdf(world, client):
    week = a_week(world)
    digest = built(world)
    board = client_for(client, world, "board")
    page = parse(board.get(digest.get_absolute_url()))
    for selector in ("#your-organisation", "#decisions"):
        for item in page.select(f"{selector} li, {selector} tr"):
            words = item.get_text(" ")
            if "Sale of the Riverside clinic" in words:
                assert item.select_one(".nhsuk-tag.digest-confidential").get_text(strip=True) == "Confidential"
            if "Shared community diabetes service" in words:
                assert item.select_one(".digest-confidential") is None  # a public decision carries no mark
    assert len(page.select("#decisions .digest-confidential")) == 1  # the estates sale, awaiting sign-off
    pdf = pdf_text(board.get(f"/digests/{digest.pk}/pdf/").content)
    assert re.search(rf"{week.estates.reference}: Sale of the Riverside clinic Confidential", pdf)


def test_a_member_still_sees_only_that_a_confidential_decision_exists(world, client):
    week = a_week(world)
    digest = built(world)
    page = client_for(client, world, "member").get(digest.get_absolute_url())
    assert "Sale of the Riverside clinic" not in page.content.decode()
    assert f"{week.estates.reference}</a> (confidential)" in page.content.decode()


def test_the_board_members_digest_email_marks_confidential_decisions(world, run_after_commit):
    week = a_week(world)
    mail.outbox.clear()
    run_after_commit(digest_build, actor=SYSTEM, partnership=world.partnership)
    email = next(message for message in mail.outbox if message.to == [world.board.email])
    assert f"{week.estates.reference} Sale of the Riverside clinic (confidential)" in email.body
    assert "Sale of the Riverside clinic (confidential)" in email.alternatives[0].content


# --- Whether the reader may sign ------------------------------------------------------------------------------------


def test_the_ned_digest_does_not_ask_her_to_sign(world, client, api_client):
    """The non-executive works for the council, whose director holds its delegation: she cannot sign for it."""
    a_week(world)
    digest = built(world)
    ned = client_for(client, world, "ned")
    todo = todo_of(ned.get(digest.get_absolute_url()))
    assert "For Demo City Council: what your organisation must sign off, ratify or act on" in todo
    assert "what you must sign off" not in todo
    assert "You cannot sign these yourself" in todo
    pdf = pdf_text(ned.get(f"/digests/{digest.pk}/pdf/").content)
    assert "For Demo City Council: what your organisation must sign off, ratify or act on" in pdf
    assert "what you must sign off" not in pdf
    api_client.force_login(world.ned)
    api = api_client.get(f"/api/v1/digests/{digest.pk}/").json()
    assert api["for_your_organisation"]["you_may_sign"] is False


def test_the_board_member_who_signs_for_the_trust_is_asked_what_he_must_sign(world, client):
    a_week(world)
    digest = built(world)
    todo = todo_of(client_for(client, world, "board").get(digest.get_absolute_url()))
    assert "For Demo Hospitals NHS Foundation Trust: what you must sign off, ratify or act on" in todo
    assert "You cannot sign these yourself" not in todo


def test_the_ned_digest_email_does_not_ask_her_to_sign(world, run_after_commit):
    a_week(world)
    mail.outbox.clear()
    run_after_commit(digest_build, actor=SYSTEM, partnership=world.partnership)
    ned = next(message for message in mail.outbox if message.to == [world.ned.email])
    assert "FOR DEMO CITY COUNCIL: WHAT YOUR ORGANISATION MUST SIGN OFF, RATIFY OR ACT ON" in ned.body
    assert "what your organisation must sign off" in ned.alternatives[0].content
    assert "WHAT YOU MUST" not in ned.body and "what you must" not in ned.alternatives[0].content
    board = next(message for message in mail.outbox if message.to == [world.board.email])
    assert "WHAT YOU MUST SIGN OFF, RATIFY OR ACT ON" in board.body
