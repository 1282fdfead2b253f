"""Board digests in the browser, with axe on every page on the way: the lead opens the partnership's digests, sees an
earlier one still queued, presses "Build digest now", reads the digest (opening with the trust's to-do), opens its
PDF, and moves the schedule to Fridays."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from reporting.models import Digest, DigestSchedule, DigestStatus
from reporting.tests.digest_support import a_week

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_lead_builds_reads_and_downloads_the_board_digest(page, world):
    week = a_week(world)
    earlier = timezone.localdate() - timedelta(days=21)
    Digest.objects.create(partnership=world.partnership, period_start=earlier - timedelta(days=7), period_end=earlier)

    sign_in(page, "lead")
    page.goto("/partnerships/QZZ/")
    page.get_by_role("link", name="Board digests").click()
    expect(page.locator("#digests")).to_contain_text("Queued")
    expect(page.locator("#digest-queued-note")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Build digest now").click()
    page.get_by_text("Today's digest is queued").wait_for()  # tests run the worker's tasks at once
    digest = Digest.objects.get(period_end=timezone.localdate())
    assert digest.status == DigestStatus.BUILT
    expect(page.locator(f"#digest-{digest.pk}")).to_contain_text("Built")
    assert_accessible(page)

    page.get_by_role("link", name=f"Week to {timezone.localdate().day} ").first.click()
    page.wait_for_url(f"**/digests/{digest.pk}/")
    todo = page.locator("#your-organisation").inner_text()
    # The lead holds no delegation for the trust (the board member signs for it): the to-do is the trust's.
    assert "For Demo Hospitals NHS Foundation Trust: what your organisation must sign off, ratify or act on" in todo
    assert week.estates.reference in todo and "Draft the diabetes pathway" in todo
    expect(page.locator("#decisions")).to_contain_text("Demo City Council")  # whom the diabetes service waits for
    assert_accessible(page)

    pdf_link = page.locator("#digest-pdf-link")
    response = page.request.get(pdf_link.get_attribute("href"))  # with the page's session, as the link would
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert digest.pdf_filename in response.headers["content-disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.body())).pages)
    assert "Demo Health and Care Partnership" in " ".join(text.split())

    page.goto("/partnerships/QZZ/digests/")
    page.get_by_role("link", name="Change the schedule").click()
    assert_accessible(page)
    page.get_by_label("Day of the week").select_option(label="Friday")
    page.get_by_label("Time").select_option(label="9am")
    page.get_by_role("button", name="Save the schedule").click()
    page.get_by_text("The board digest's schedule is saved: Weekly, on Fridays at 9am").wait_for()
    assert DigestSchedule.objects.get().description == "Weekly, on Fridays at 9am"
    assert_accessible(page)
