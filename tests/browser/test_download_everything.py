""" "Download everything" in the browser (issue 17): the lead opens it from the partnership's overview, prepares an
archive (the tests' worker builds it at once) and finds it ready to download; while another is being prepared, the
page shows its progress and swaps in the finished archive without a reload. Each state passes axe and fits 320 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.models import ExportStatus, PartnershipExport

from .conftest import sign_in
from .test_organisation_admin import check

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_lead_prepares_follows_and_downloads_the_complete_record(page, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(page, "lead")
    page.goto("/partnerships/QZZ/")
    page.get_by_role("link", name="Download everything").click()
    expect(page.locator("#no-exports")).to_be_visible()
    check(page)

    page.get_by_role("button", name="Prepare the archive").click()
    page.get_by_text("The archive is being prepared").wait_for()
    first = PartnershipExport.objects.get()
    assert first.status == ExportStatus.READY
    expect(page.locator("#exports")).to_contain_text("Ready")
    check(page)
    with page.expect_download() as download:
        page.locator("#exports").get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == first.filename

    # Another, as the worker is half-way through it: the page shows how far, then the finished archive unasked.
    second = PartnershipExport.objects.create(
        partnership=world.partnership,
        requested_by=world.lead,
        status=ExportStatus.BUILDING,
        steps_done=12,
        steps_total=24,
    )
    page.reload()
    expect(page.locator("#export-progress")).to_contain_text("12 of 24 parts written (50%)")
    check(page)
    now = timezone.now()
    PartnershipExport.objects.filter(pk=second.pk).update(
        status=ExportStatus.READY,
        steps_done=24,
        file=first.file.name,
        size=first.size,
        chain_intact=True,
        built_at=now,
        expires_at=now + timedelta(days=7),
    )
    expect(page.get_by_role("button", name="Prepare the archive")).to_be_visible(timeout=15_000)
    expect(page.locator("#exports")).to_contain_text("2 archives")
    check(page)
