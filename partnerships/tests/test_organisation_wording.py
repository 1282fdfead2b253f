"""What the lead reads about organisations: one without an ODS code says so in words, and an import that changed
nothing says what happened instead of announcing a success."""

import pytest

from core.models import AuditEvent
from partnerships.models import Membership, Organisation, OrganisationKind
from tests.factories import member_of
from tests.html import parse, text

from .test_import_page import URL, ods_file, ods_row

pytestmark = pytest.mark.django_db


def test_an_organisation_without_an_ods_code_says_not_recorded_rather_than_none(client, world):
    charity = member_of(world.partnership, name="Northfield Carers Trust", ods_code=None, kind=OrganisationKind.VCSE)
    client.force_login(world.member)
    overview = parse(client.get("/partnerships/QZZ/"))
    row = overview.find("a", string="Northfield Carers Trust").find_parent("tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td, th")]
    assert cells[1].removeprefix("ODS code ") == "Not recorded"  # a responsive table repeats the heading
    assert "None" not in row.get_text()
    detail = text(client.get(charity.get_absolute_url()))
    assert "ODS code Not recorded" in detail and "None" not in detail


def test_importing_a_file_of_other_partnerships_rows_says_nothing_was_imported_and_why(client, world):
    client.force_login(world.lead)
    before = (Organisation.objects.count(), Membership.objects.count())
    upload = ods_file(
        ods_row("RY1", "ELSEWHERE MENTAL HEALTH NHS TRUST", "QYY"),
        ods_row("RY2", "ELSEWHERE COMMUNITY NHS TRUST", "QYY"),
    )
    response = client.post(URL, {"file": upload}, follow=True)
    assert response.status_code == 200
    banner = parse(response).select_one(".nhsuk-notification-banner")
    assert "nhsuk-notification-banner--success" not in banner["class"]
    assert "Success" not in banner.get_text()
    assert banner.get_text(" ", strip=True).endswith(
        "Nothing was imported from etr.csv: 0 created; 2 rows belong to other partnerships and were skipped."
    )
    assert "was imported" not in text(response).replace("Nothing was imported", "")
    assert (Organisation.objects.count(), Membership.objects.count()) == before
    assert AuditEvent.objects.get(action="organisations.imported").partnership_id == world.partnership.pk


def test_an_import_that_creates_organisations_says_how_many_in_a_success_banner(client, world):
    client.force_login(world.lead)
    upload = ods_file(
        ods_row("RZ1", "DEMO COMMUNITY HEALTHCARE NHS TRUST", "QZZ"),
        ods_row("RY1", "ELSEWHERE MENTAL HEALTH NHS TRUST", "QYY"),
    )
    response = client.post(URL, {"file": upload}, follow=True)
    banner = parse(response).select_one(".nhsuk-notification-banner--success")
    assert banner.get_text(" ", strip=True).endswith(
        "etr.csv was imported: 2 created; 1 row belongs to another partnership and was skipped."
    )
