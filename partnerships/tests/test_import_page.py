"""The lead's upload page for NHS data: who may use it, what it refuses, and what it shows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from partnerships.models import Membership, Organisation, OrganisationKind
from tests.fixtures import PERSONAS, client_for
from tests.html import error_summary, text

pytestmark = pytest.mark.django_db

URL = reverse("partnerships:organisation_import", args=["QZZ"])


def ods_row(code: str, name: str, partnership: str, opened: str = "20200401", closed: str = "") -> str:
    """One row of an NHS Digital ODS file: 27 quoted fields, of which the importer reads 1, 2, 4, 10, 11 and 12."""
    fields = [code, name, "Y63", partnership, "1 HOSPITAL ROAD", "", "", "LEEDS", "", "LS1 3EX", opened, closed]
    return ",".join(f'"{value}"' for value in fields + [""] * 15) + "\n"


def ods_file(*rows: str, name: str = "etr.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "".join(rows).encode(), content_type="text/csv")


def trusts_file() -> SimpleUploadedFile:
    return ods_file(
        ods_row("RZ1", "DEMO COMMUNITY HEALTHCARE NHS TRUST", "QZZ"),
        ods_row("RZ2", "DEMO AMBULANCE SERVICE NHS TRUST", "QZZ", closed="20250331"),
        ods_row("RZZ", "DEMO HOSPITALS NHS FOUNDATION TRUST", "QZZ", opened="20150401"),
        ods_row("RY1", "ELSEWHERE MENTAL HEALTH NHS TRUST", "QYY"),
    )


def sizes() -> tuple[int, int, int]:
    return Organisation.objects.count(), Membership.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_lead_may_open_the_upload_page(client, world, persona):
    expected = {"anonymous": 302, "outsider": 404, "lead": 200}.get(persona, 403)
    response = client_for(client, world, persona).get(URL)
    assert response.status_code == expected
    if persona == "anonymous":
        assert response.url.startswith("/sign-in/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_lead_may_upload_and_nothing_is_written_for_anyone_else(client, world, persona):
    before = sizes()
    response = client_for(client, world, persona).post(URL, {"file": trusts_file()})
    assert response.status_code == {"anonymous": 302, "outsider": 404, "lead": 302}.get(persona, 403)
    assert (sizes() == before) == (persona != "lead")


def test_lead_sees_what_the_import_created_updated_and_skipped(client, world):
    client.force_login(world.lead)
    response = client.post(URL, {"file": trusts_file()})
    assert response.status_code == 302
    page = client.get(URL)
    # RZZ's record is shared by every partnership that lists it: a lead's upload adds organisations but leaves it alone
    assert text(page, "#counts-organisations") == "Organisations 2 0 1"
    assert text(page, "#counts-memberships") == "Memberships 2 0 1"
    assert "1 row of other partnerships was skipped" in text(page)
    assert "etr.csv was imported: 4 created; 2 already up to date; 1 row belongs to another " in text(page)
    assert "Import another file" in text(page)
    assert "What the import" not in text(client.get(URL))  # the result is shown once


def test_lead_import_writes_members_of_their_partnership_only(client, world):
    client.force_login(world.lead)
    client.post(URL, {"file": trusts_file()})
    ambulance = Organisation.objects.get(ods_code="RZ2")
    assert ambulance.kind == OrganisationKind.AMBULANCE_TRUST
    assert ambulance.memberships.get().left_on.isoformat() == "2025-03-31"
    assert not Organisation.objects.filter(ods_code="RY1").exists()
    assert set(
        Membership.objects.filter(organisation__ods_code__startswith="RZ").values_list("partnership__code", flat=True)
    ) == {"QZZ"}
    event = AuditEvent.objects.get(action="organisations.imported")
    assert (event.partnership_id, event.actor) == (world.partnership.pk, world.lead)


def test_a_broken_row_is_listed_with_its_line_and_nothing_is_written(client, world):
    client.force_login(world.lead)
    before = sizes()
    upload = ods_file(
        ods_row("RZ1", "DEMO COMMUNITY HEALTHCARE NHS TRUST", "QZZ"),
        ods_row("RZ2", "DEMO AMBULANCE SERVICE NHS TRUST", "QZZ", opened="20201341"),
        ods_row("RZ3", "", "QZZ"),
    )
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    assert error_summary(response) == [
        ("The file was not imported: it has 2 problems, listed below. Nothing was changed.", "#id_file")
    ]
    assert "2 Open date '20201341' is not a date. Write it as YYYYMMDD, like 20190401." in text(response)
    assert "3 The name is missing." in text(response)
    assert sizes() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("etr.xlsx", b"PK\x03\x04 a workbook"), "The file must be a CSV."),
        (SimpleUploadedFile("etr.txt", b'"RZ1","A TRUST"'), "The file must be a CSV."),
        (SimpleUploadedFile("etr.csv", b""), "The file is empty"),
        (SimpleUploadedFile("etr.csv", b"x" * (5 * 1024 * 1024 + 1)), "The file must be smaller than 5 MB."),
        (SimpleUploadedFile("book.csv", b"PK\x03\x04\x00\x00 a renamed workbook"), "This is an Excel workbook"),
        (
            SimpleUploadedFile("map.csv", b"PUBLICATION,EXTRACT_DATE,PRACTICE_CODE\nGP,01Jan2022,A81001\n"),
            "This is the GP practice mapping file.",
        ),
        (SimpleUploadedFile("notes.csv", b"Minutes,of,the,board\n"), "The importer does not recognise this file"),
    ],
)
def test_wrong_type_oversized_and_unrecognised_files_are_refused_with_a_message(client, world, upload, message):
    client.force_login(world.lead)
    before = sizes()
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    [(summary, link)] = error_summary(response)
    assert summary.startswith(message)
    assert link == "#id_file"
    assert sizes() == before


def test_submitting_without_a_file_asks_for_one(client, world):
    client.force_login(world.lead)
    response = client.post(URL, {})
    assert response.status_code == 400
    assert error_summary(response) == [("Choose a CSV file to upload", "#id_file")]


def test_the_page_explains_which_files_it_reads_and_that_rows_of_other_partnerships_are_skipped(client, world):
    client.force_login(world.lead)
    response = client.get(URL)
    assert "Only rows of Demo Health and Care Partnership (QZZ) are imported" in text(response)
    assert "Which files can I import?" in text(response)
