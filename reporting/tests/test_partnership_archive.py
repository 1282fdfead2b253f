"""A partnership's complete record as one archive (issue 17): what `export_partnership` and its builder write."""

import csv
import io
import json
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from engagement.tests.support import log
from governance.models import Decision, Visibility
from governance.services import decision_propose
from governance.tests.support import propose
from partnerships.models import AgreementKind, Membership, PartnershipRole
from partnerships.services.agreements import agreement_create
from reporting.services.archive import build_partnership_archive

PDF = b"%PDF-1.7\n% the memorandum\n%%EOF\n"


@pytest.fixture
def record(world, settings, tmp_path):
    """QZZ with a public and a confidential decision, an agreement with its document and an activity; QYY with a
    decision of its own that must stay out of QZZ's archive."""
    settings.MEDIA_ROOT = tmp_path / "media"
    propose(world, title="Shared community diabetes service")
    propose(
        world,
        title="Estates disposal at Northgate",
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Commercially sensitive until contracts are exchanged.",
        confidential_review_on=date(2027, 6, 1),
    )
    agreement_create(
        actor=world.lead,
        partnership=world.partnership,
        parties=[world.trust, world.council],
        document=SimpleUploadedFile("memorandum.pdf", PDF, content_type="application/pdf"),
        kind=AgreementKind.values[0],
        title="Memorandum of understanding",
    )
    log(world.partnership, held_on=date(2026, 11, 2), reach={"patients-carers": 12}, title="Listening event")
    decision_propose(
        actor=world.outsider,
        partnership=world.other_partnership,
        title="Elsewhere's own plan",
        case="Nothing to do with QZZ.",
        category=Decision._meta.get_field("category").choices[0][0],
    )
    return world


def open_archive(world) -> tuple[zipfile.ZipFile, object]:
    buffer = io.BytesIO()
    summary = build_partnership_archive(world.partnership, buffer)
    return zipfile.ZipFile(buffer), summary


def read_csv(archive, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_the_readme_lists_every_file_in_the_archive(record):
    archive, _ = open_archive(record)
    readme = archive.read("README.txt").decode()
    assert "Demo Health and Care Partnership (QZZ)" in readme
    assert "email addresses are left out" in readme
    for name in archive.namelist():
        assert f"  {name}:" in readme


def test_each_register_has_a_csv_and_json_counting_what_the_database_holds(record):
    archive, _ = open_archive(record)
    expected = {
        "memberships": Membership.objects.filter(partnership=record.partnership).count(),
        "people": PartnershipRole.objects.filter(content_object=record.partnership).count(),
        "decisions": Decision.objects.filter(partnership=record.partnership).count(),
        "agreements": 1,
        "engagement-activities": 1,
    }
    for name, count in expected.items():
        rows = read_csv(archive, f"{name}.csv")
        assert len(rows) == count, name
        assert len(json.loads(archive.read(f"{name}.json"))) == count, name
    assert list(read_csv(archive, "decisions.csv")[0])[:3] == ["Reference", "Title", "Category"]
    assert "email" not in " ".join(read_csv(archive, "people.csv")[0]).lower()


def test_a_confidential_decision_is_in_full_and_marked(record):
    archive, _ = open_archive(record)
    rows = {row["Title"]: row for row in read_csv(archive, "decisions.csv")}
    confidential = rows["Estates disposal at Northgate"]
    assert confidential["Publication"] == Visibility.CONFIDENTIAL.label
    assert confidential["Why confidential"].startswith("Commercially sensitive")


def test_another_partnerships_records_are_absent(record):
    archive, _ = open_archive(record)
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Elsewhere's own plan" not in everything
    assert b"Elsewhere NHS Trust" not in everything


def test_an_uploaded_document_is_under_documents(record):
    archive, summary = open_archive(record)
    documents = [name for name in archive.namelist() if name.startswith("documents/agreements/")]
    assert len(documents) == 1 and documents[0].endswith("memorandum.pdf")
    assert archive.read(documents[0]) == PDF
    assert summary.missing_documents == []


def test_the_audit_chain_is_included_and_verified_intact(record):
    archive, summary = open_archive(record)
    events = read_csv(archive, "audit/events.csv")
    assert events and [int(row["sequence"]) for row in events] == list(range(1, len(events) + 1))
    assert events[1]["previous_hash"] == events[0]["hash"]
    assert archive.read("audit/verification.txt").decode().splitlines()[1].startswith("Intact:")
    assert summary.chain_intact


def test_the_command_writes_the_archive_and_prints_a_summary(record, tmp_path, capsys):
    output = tmp_path / "QZZ.zip"
    call_command("export_partnership", "qzz", "--output", str(output))
    assert "README.txt" in zipfile.ZipFile(output).namelist()
    printed = capsys.readouterr().out
    assert "QZZ:" in printed and "audit chain intact" in printed and str(output) in printed


def test_the_archive_costs_the_same_queries_however_long_the_registers(record, django_assert_max_num_queries):
    for number in range(10):
        propose(record, title=f"Decision {number}")
        log(record.partnership, held_on=date(2026, 10, number + 1), reach={"gps": number + 1})
    with django_assert_max_num_queries(60):
        build_partnership_archive(record.partnership, io.BytesIO())
