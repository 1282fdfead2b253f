"""The board digest pages and API, person by person: anonymous → sign-in (401 for the API), outsider → 404 (the list,
a digest and its PDF alike), viewer and the other roles → 403 on "build now" and the schedule, the lead → allowed.
And what the pages say: the history with a queued build's state, a digest opening with the reader's own to-do, the
PDF's text, and the schedule form's answers to bad input."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.models import AuditEvent
from partnerships.tests.api_client import api_as
from reporting.models import Digest, DigestSchedule, DigestStatus
from tests.fixtures import PERSONAS, client_for

from .digest_support import a_week, built

pytestmark = pytest.mark.django_db

READERS = [persona for persona in PERSONAS if persona not in ("anonymous", "outsider")]


def expected_status(persona: str, allowed, *, success: int) -> int:
    if persona == "anonymous":
        return 302
    if persona == "outsider":
        return 404
    return success if persona in allowed else 403


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


@pytest.fixture
def digest(world):
    return built(world)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_digest_page_answers_each_persona_as_the_access_model_says(world, digest, client, persona):
    client = client_for(client, world, persona)
    pages = [
        ("/partnerships/QZZ/digests/", READERS),
        ("/partnerships/QZZ/digests/?page=2", READERS),
        (f"/digests/{digest.pk}/", READERS),
        (f"/digests/{digest.pk}/pdf/", READERS),
        ("/partnerships/QZZ/digest-schedule/", ["lead"]),
    ]
    failures = []
    for url, allowed in pages:
        response = client.get(url)
        wanted = expected_status(persona, allowed, success=200)
        if response.status_code != wanted:
            failures.append(f"{url}: {response.status_code}, wanted {wanted}")
        elif persona == "anonymous" and not response["Location"].startswith("/sign-in/"):
            failures.append(f"{url}: redirected to {response['Location']}")
    assert failures == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_lead_builds_a_digest_now_or_changes_the_schedule(
    world, client, persona, django_capture_on_commit_callbacks
):
    client = client_for(client, world, persona)
    before = (Digest.objects.count(), DigestSchedule.objects.count(), AuditEvent.objects.count())
    with django_capture_on_commit_callbacks(execute=True):  # the queued build, run in-process as tests do
        build = client.post("/partnerships/QZZ/digests/build/")
    schedule = client.post("/partnerships/QZZ/digest-schedule/", {"frequency": "weekly", "weekday": "4", "hour": "9"})
    assert (build.status_code, schedule.status_code) == (expected_status(persona, ["lead"], success=302),) * 2
    if persona == "lead":
        assert Digest.objects.get().status == DigestStatus.BUILT
        assert DigestSchedule.objects.get().description == "Weekly, on Fridays at 9am"
    else:
        assert (Digest.objects.count(), DigestSchedule.objects.count(), AuditEvent.objects.count()) == before


def test_a_digest_of_another_partnership_is_not_found_even_by_its_lead(world, client):
    other = built(world)
    client.force_login(world.outsider)  # the lead of QYY
    for url in (f"/digests/{other.pk}/", f"/digests/{other.pk}/pdf/", f"/api/v1/digests/{other.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/partnerships/QZZ/digest-schedule/").status_code == 404
    assert client.post("/partnerships/QZZ/digests/build/").status_code == 404
    assert Digest.objects.count() == 1


def test_build_now_takes_only_a_post_and_its_address_leads_to_the_digests(world, client):
    client.force_login(world.lead)
    response = client.get("/partnerships/QZZ/digests/build/")
    assert (response.status_code, response["Location"]) == (302, "/partnerships/QZZ/digests/")
    assert Digest.objects.count() == 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_digest_api_answers_each_persona_as_the_pages_do(world, digest, persona):
    api = api_as(world, persona)
    listing = api.get("/api/v1/digests/?partnership=QZZ")
    detail = api.get(f"/api/v1/digests/{digest.pk}/")
    pdf = api.get(f"/api/v1/digests/{digest.pk}/pdf/")
    if persona == "anonymous":
        assert (listing.status_code, detail.status_code, pdf.status_code) == (401, 401, 401)
    elif persona == "outsider":
        assert listing.status_code == 200 and listing.json()["count"] == 0  # a list shows only what one may see
        assert (detail.status_code, pdf.status_code) == (404, 404)
    else:
        assert listing.json()["results"][0]["id"] == digest.pk
        assert detail.status_code == 200 and detail.json()["period_end"] == timezone.localdate().isoformat()
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf["Content-Disposition"] == f'attachment; filename="QZZ-digest-{timezone.localdate().isoformat()}.pdf"'
    assert api.post("/api/v1/digests/", {}, format="json").status_code in (401, 405)


def test_the_api_gives_each_reader_their_own_organisations_to_do(world):
    week = a_week(world)
    digest = built(world)
    board = api_as(world, "board").get(f"/api/v1/digests/{digest.pk}/").json()
    ned = api_as(world, "ned").get(f"/api/v1/digests/{digest.pk}/").json()
    assert board["your_organisation"] == "Demo Hospitals NHS Foundation Trust"
    assert [item["reference"] for item in board["for_your_organisation"]["sign_off"]] == [week.estates.reference]
    assert [action["description"] for action in ned["for_your_organisation"]["actions"]] == [
        "Brief the health scrutiny panel"
    ]
    viewer = api_as(world, "viewer").get(f"/api/v1/digests/{digest.pk}/").json()
    assert "Sale of the Riverside clinic" not in str(viewer)  # confidential, and the viewer may not read it


def queued_today(world) -> Digest:
    """Today's digest as "build now" leaves it until the worker takes it."""
    today = timezone.localdate()
    return Digest.objects.create(
        partnership=world.partnership, period_start=today - timedelta(days=7), period_end=today
    )


def test_the_api_says_a_queued_digest_has_no_pdf_yet(world):
    digest = queued_today(world)
    api = api_as(world, "lead")
    assert api.get(f"/api/v1/digests/{digest.pk}/").json()["status"] == "queued"
    assert api.get(f"/api/v1/digests/{digest.pk}/pdf/").status_code == 409


def test_a_board_member_reads_their_organisations_to_do_first_and_not_anothers(world, client):
    week = a_week(world)
    digest = built(world)
    client.force_login(world.board)
    page = client.get(digest.get_absolute_url()).content.decode()
    todo = page[page.index('id="your-organisation"') : page.index('id="decisions"')]
    assert "For Demo Hospitals NHS Foundation Trust: what you must sign off, ratify or act on" in todo
    assert "Draft the diabetes pathway" in todo and week.estates.reference in todo
    assert "Brief the health scrutiny panel" not in todo  # the council's action
    assert page.index('id="your-organisation"') < page.index('id="decisions"')
    client.force_login(world.ned)
    page = client.get(digest.get_absolute_url()).content.decode()
    todo = page[page.index('id="your-organisation"') : page.index('id="decisions"')]
    assert "For Demo City Council" in todo and "Brief the health scrutiny panel" in todo
    assert "Draft the diabetes pathway" not in todo


def test_the_pdf_holds_the_readers_copy_with_the_partnership_name(world, client):
    week = a_week(world)
    digest = built(world)
    client.force_login(world.ned)
    response = client.get(f"/digests/{digest.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{digest.pdf_filename}"'
    text = " ".join(pdf_text(response.content).split())
    assert "Demo Health and Care Partnership" in text
    assert "For Demo City Council: what your organisation must sign off, ratify or act on" in text  # she cannot sign
    assert "Brief the health scrutiny panel" in text
    assert week.diabetes.reference in text and "Podiatry waits" in text
    assert "Download this digest" not in text  # the page's own links stay off paper


def test_the_history_shows_a_queued_build_and_the_built_ones(world, client):
    built(world, period_end=timezone.localdate() - timedelta(days=14))
    queued = queued_today(world)
    client.force_login(world.viewer)
    page = client.get("/partnerships/QZZ/digests/").content.decode()
    assert "Queued" in page and "Built" in page and 'id="digest-queued-note"' in page
    assert f'id="digest-{queued.pk}"' in page
    assert "Build digest now" not in page and "Change the schedule" not in page  # the viewer's page
    assert "Schedule: Weekly, on Mondays at 7am" in page
    assert "Queued" in client.get(queued.get_absolute_url()).content.decode()
    assert client.get(f"/digests/{queued.pk}/pdf/").status_code == 302  # back to the page, which says it is queued


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose how often the digest is built"),
        ({"frequency": "daily", "weekday": "0", "hour": "7"}, "Choose weekly, or off"),
        ({"frequency": "weekly", "weekday": "7", "hour": "7"}, "Choose a day of the week"),
        ({"frequency": "weekly", "weekday": "0", "hour": "24"}, "Choose a time on the hour"),
        ({"frequency": "weekly", "weekday": "Monday", "hour": "7"}, "Choose a day of the week"),
        ({"frequency": "weekly", "weekday": "0", "hour": "<script>alert(1)</script>"}, "Choose a time on the hour"),
        ({"frequency": "weekly", "weekday": "0", "hour": "-1"}, "Choose a time on the hour"),
    ],
)
def test_the_schedule_refuses_bad_input_with_a_clear_message_and_saves_nothing(world, client, data, message):
    client.force_login(world.lead)
    response = client.post("/partnerships/QZZ/digest-schedule/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert DigestSchedule.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_turning_the_schedule_off_is_recorded_and_shown(world, client):
    client.force_login(world.lead)
    response = client.post("/partnerships/QZZ/digest-schedule/", {"frequency": "off", "weekday": "0", "hour": "7"})
    assert response.status_code == 302
    assert DigestSchedule.objects.get().is_off
    assert AuditEvent.objects.filter(action="digest_schedule.updated").count() == 1
    page = client.get("/partnerships/QZZ/digests/").content.decode()
    assert "Schedule: Off." in page and "The next is due" not in page
    client.post("/partnerships/QZZ/digest-schedule/", {"frequency": "off", "weekday": "0", "hour": "7"})
    assert AuditEvent.objects.filter(action="digest_schedule.updated").count() == 1  # no change, no record


def test_the_overview_links_to_the_board_digests(world, client):
    client.force_login(world.viewer)
    assert 'href="/partnerships/QZZ/digests/"' in client.get("/partnerships/QZZ/").content.decode()
