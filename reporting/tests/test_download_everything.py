"""A lead's "Download everything" (issue 17): the page, the request, the worker's build with its stored progress, the
emailed link, each download recorded, and the archive deleted when its days are up. Person by person: anonymous →
sign-in, outsider → 404, every role but the lead → 403 with nothing written, the lead → allowed."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AuditEvent
from reporting.models import ExportStatus, PartnershipExport
from reporting.services import exports as services
from reporting.tasks import build_export, expire_exports
from tests.fixtures import PERSONAS, client_for

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/QZZ/download-everything/"
PREPARE = "/partnerships/QZZ/download-everything/prepare/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def expected_status(persona: str, *, success: int) -> int:
    return {"anonymous": 302, "outsider": 404, "lead": success}.get(persona, 403)


def ready(world, *, actor=None, **changes) -> PartnershipExport:
    """An archive of QZZ asked for by the lead and built by the worker, as the outbox would run it."""
    export, _ = services.export_request(actor=actor or world.lead, partnership=world.partnership)
    services.export_build(export.pk)
    export.refresh_from_db()
    if changes:
        PartnershipExport.objects.filter(pk=export.pk).update(**changes)
        export.refresh_from_db()
    return export


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_lead_opens_the_page_prepares_an_archive_and_downloads_it(
    world, client, persona, django_capture_on_commit_callbacks
):
    archive = ready(world)
    client = client_for(client, world, persona)
    before = (PartnershipExport.objects.count(), AuditEvent.objects.count())
    page = client.get(PAGE)
    got = client.get(f"/exports/{archive.pk}/download/")
    assert (page.status_code, got.status_code) == (expected_status(persona, success=200),) * 2
    with django_capture_on_commit_callbacks(execute=True):
        prepare = client.post(PREPARE)
    assert prepare.status_code == expected_status(persona, success=302)
    if persona == "lead":
        assert got["Content-Type"] == "application/zip"
        assert PartnershipExport.objects.count() == 2
    else:
        assert (PartnershipExport.objects.count(), AuditEvent.objects.count()) == before
    if persona == "anonymous":
        assert page["Location"].startswith("/sign-in/")


def test_the_lead_asks_the_worker_builds_it_emails_the_link_and_the_page_offers_it(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.lead)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(PREPARE, follow=True)
    assert len(callbacks) >= 1  # the build was handed to the worker after the commit, not run in the request
    assert "The archive is being prepared" in response.text
    export = PartnershipExport.objects.get()
    assert (export.status, export.steps_done, export.chain_intact) == (ExportStatus.READY, export.steps_total, True)
    assert export.expires_at - export.built_at == timedelta(days=7)
    assert zipfile.ZipFile(export.file.path).read("README.txt").decode().startswith("The complete record of")
    (email,) = mail.outbox
    assert email.to == [world.lead.email]
    assert f"/exports/{export.pk}/download/" in email.body
    assert "kept until" in email.body
    page = client.get(PAGE).text
    assert f'href="/exports/{export.pk}/download/"' in page
    assert "Ready" in page and "audit chain intact" in page
    assert (events("export.requested"), events("export.built")) == (1, 1)


def test_the_download_is_the_archive_and_each_download_is_recorded_in_the_history(world, client):
    export = ready(world)
    client.force_login(world.lead)
    for _ in range(2):
        response = client.get(f"/exports/{export.pk}/download/")
        content = b"".join(response.streaming_content)
        assert "README.txt" in zipfile.ZipFile(io.BytesIO(content)).namelist()
        assert response["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    recorded = AuditEvent.objects.filter(action="export.downloaded")
    assert recorded.count() == 2
    assert {event.partnership_id for event in recorded} == {world.partnership.pk}
    assert "downloaded the complete record of QZZ" in client.get("/partnerships/QZZ/history/").text


def test_asking_twice_while_one_is_being_prepared_shows_that_one(world, client):
    client.force_login(world.lead)
    client.post(PREPARE)  # its build waits for the commit callbacks, which this test never runs
    response = client.post(PREPARE, follow=True)
    assert "An archive is already being prepared" in response.text
    assert PartnershipExport.objects.filter(status=ExportStatus.QUEUED).count() == 1
    assert events("export.requested") == 1


def test_the_page_shows_how_far_the_worker_has_got_and_offers_no_second_archive(world, client):
    PartnershipExport.objects.create(
        partnership=world.partnership,
        requested_by=world.lead,
        status=ExportStatus.BUILDING,
        steps_done=6,
        steps_total=24,
    )
    client.force_login(world.lead)
    page = client.get(PAGE).text
    assert "6 of\n        24 parts written (25%)" in page
    assert '<progress id="export-progress-bar" max="100" value="25">' in page
    assert "data-in-progress" in page
    assert "Prepare the archive" not in page


def test_every_page_of_the_list_shows_the_archive_being_prepared(world, client):
    PartnershipExport.objects.bulk_create(
        PartnershipExport(partnership=world.partnership, status=ExportStatus.FAILED) for _ in range(30)
    )
    PartnershipExport.objects.create(partnership=world.partnership, status=ExportStatus.BUILDING, steps_total=24)
    client.force_login(world.lead)
    page = client.get(PAGE + "?page=2").text  # the newest, being prepared, is listed on the first page
    assert "An archive is being prepared" in page
    assert "Prepare the archive" not in page


def test_the_worker_stores_progress_after_each_part(world, monkeypatch):
    export, _ = services.export_request(actor=world.lead, partnership=world.partnership)
    seen = []

    def archive(partnership, destination, progress):
        for name in ("decisions", "risks", "audit"):
            progress(name)
            seen.append(PartnershipExport.objects.get(pk=export.pk).steps_done)  # as another process reads it
        destination.write(b"PK")  # stands in for the zip
        from reporting.services.archive import ArchiveSummary

        return ArchiveSummary(partnership=partnership, built_at=timezone.now())

    monkeypatch.setattr(services, "build_partnership_archive", archive)
    services.export_build(export.pk)
    assert seen == [1, 2, 3]


def test_a_failed_build_says_why_and_the_lead_can_ask_again(world, client, monkeypatch):
    export, _ = services.export_request(actor=world.lead, partnership=world.partnership)

    def broken(partnership, destination, progress):
        raise OSError("No space left on device")

    monkeypatch.setattr(services, "build_partnership_archive", broken)
    build_export(export.pk)
    export.refresh_from_db()
    why = "OSError: No space left on device"
    assert (export.status, export.error, bool(export.file)) == (ExportStatus.FAILED, why, False)
    assert AuditEvent.objects.get(action="export.failed").reason == why
    client.force_login(world.lead)
    page = client.get(PAGE).text
    assert "No space left on device" in page and "Prepare the archive" in page
    assert services.export_request(actor=world.lead, partnership=world.partnership)[1] is True


def test_running_the_build_again_changes_nothing_once_it_is_ready(world):
    export = ready(world)
    before = (export.file.name, AuditEvent.objects.count())
    assert build_export(export.pk) is None
    export.refresh_from_db()
    assert (export.file.name, AuditEvent.objects.count()) == before


def test_an_archive_past_its_days_is_refused_then_deleted_once_and_recorded(
    world, client, django_capture_on_commit_callbacks
):
    export = ready(world, expires_at=timezone.now() - timedelta(minutes=1))
    path = Path(export.file.path)
    client.force_login(world.lead)
    response = client.get(f"/exports/{export.pk}/download/", follow=True)
    assert "can no longer be downloaded" in response.text
    assert events("export.downloaded") == 0
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the change commits
        assert expire_exports() == 1
    assert expire_exports() == 0
    export.refresh_from_db()
    assert (export.status, export.file.name) == (ExportStatus.EXPIRED, "")
    assert not path.exists()
    assert events("export.expired") == 1
    assert "Deleted" in client.get(PAGE).text


def test_an_archive_within_its_days_is_kept(world):
    export = ready(world)
    assert expire_exports() == 0
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


def test_another_partnerships_archive_is_not_found_even_by_its_lead(world, client):
    theirs = PartnershipExport.objects.create(partnership=world.other_partnership, requested_by=world.outsider)
    client.force_login(world.lead)
    assert client.get(f"/exports/{theirs.pk}/download/").status_code == 404
    assert client.get("/exports/999999/download/").status_code == 404
    assert client.get("/partnerships/QYY/download-everything/").status_code == 404


def test_opening_the_prepare_address_goes_to_the_page(world, client):
    client.force_login(world.lead)
    response = client.get(PREPARE)
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert not PartnershipExport.objects.exists()


def test_the_overview_links_the_lead_and_nobody_else_to_the_page(world, client):
    client.force_login(world.lead)
    assert 'id="download-everything-link"' in client.get("/partnerships/QZZ/").text
    client.force_login(world.board)
    assert 'id="download-everything-link"' not in client.get("/partnerships/QZZ/").text


def test_the_page_costs_the_same_few_queries_however_many_archives(world, client):
    client.force_login(world.lead)

    def queries_with(count: int) -> int:
        PartnershipExport.objects.bulk_create(
            PartnershipExport(partnership=world.partnership, requested_by=world.lead, status=ExportStatus.FAILED)
            for _ in range(count - PartnershipExport.objects.count())
        )
        client.get(PAGE)  # warm the session and the caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return len(queries)

    few, many = queries_with(2), queries_with(30)
    assert few == many <= 6  # session and user at most, the partnership and its role check, the count, the page
