"""The importer on every ODS and ONS file in the NHS reference folder, and on broken copies of them."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit import SYSTEM
from core.models import AuditEvent
from partnerships.models import Membership, Organisation, OrganisationKind, Partnership
from partnerships.services.imports import (
    ImportRejected,
    guess_trust_kind,
    organisations_import,
    reference_data_dir,
    tidy_name,
)
from tests.factories import PartnershipFactory, UserFactory, grant
from tests.fixtures import skip_or_fail

pytestmark = pytest.mark.django_db

# Files the importer reads, with the data rows each holds (SOURCES.md) and what a first import creates in an
# empty register: (partnerships, organisations). Memberships are checked with the 42 partnerships in place.
ACCEPTED = {
    "ods_etr_nhs_trusts_2021_nhsx-SystemHierarchies.csv": (218, 0, 218),
    "ods_etr_nhs_trusts_2023_nhsx-open-cyber.csv": (211, 0, 211),
    "ods_eccg_subicb_locations_2023_nhsx-open-cyber.csv": (122, 0, 122),
    # SOURCES.md says 319; the file (checksum verified) has 320 lines, each one organisation with a distinct code.
    "ods_eccg_ccgs_and_subicb_locations_2025.csv": (320, 0, 320),
    "ods_ect_care_trusts_2023_nhsx-open-cyber.csv": (4, 0, 4),
    "ons_stp20_to_nhser20_names_and_codes_apr2020.csv": (42, 42, 0),
    "ons_icb_names_and_codes_dec2024.csv": (42, 42, 0),
    "ons_ccg21_to_stp21_to_nhser21_lookup_apr2021.csv": (106, 42, 106),
    "ons_ccg21_to_stp21_lookup_apr2021.csv": (106, 42, 106),
    "ons_subicb23_to_icb23_to_nhser23_lookup_apr2023.csv": (106, 42, 106),
    "ons_ccg20_names_and_codes_apr2020.csv": (135, 0, 135),
    "derived/stp_master_42_apr2021_derived.csv": (42, 42, 0),
    "derived/icb_partner_memberships_long_aug2023.csv": (550, 0, 474),
    "derived/trust_to_stp_from_etr2021_derived.csv": (218, 0, 218),
}
# Files refused with a message, and a few words of it.
REFUSED = {
    "nhsd_gp_practice_to_pcn_ccg_stp_region_map_Jan2022.csv": "GP practice mapping file",
    "ods_icb_partners_master_aug2023.xlsx": "Excel workbook",
    "ods_etr_file_format_doc.pdf": "not a text file",
    "ods_etr_file_format_doc.txt": "does not recognise this file",
    "hf_trust_to_stp_44stps_2017-18_lookup.csv": "44 STPs",
    "lad20_to_stp20_lookup_derived_from_ons_lsoa_ccg_stp_apr2020.csv": "ONS district code",
    "stp20_populations_16plus_by_ageband_nims_jan2021.csv": "keyed by partnership name only",
    "nhsx_dspt_orgs_with_ccg20_stp20_nhser20_Feb2022.csv": "NHSX analysis",
    "derived/icb_partners_aug2023__sheet_change_log.csv": "does not recognise this file",
    "derived/icb_partners_aug2023__sheet_icb_financial_apportionment.csv": "does not recognise this file",
    "derived/icb_partners_aug2023__sheet_icb_partners.csv": "does not recognise this file",
    "derived/icb_partners_aug2023__sheet_nhse_regions.csv": "does not recognise this file",
    "derived/icb_partners_aug2023__sheet_title_sheet.csv": "does not recognise this file",
    "derived/icb_trust_financial_apportionment_aug2023.csv": "does not recognise this file",
    "derived/stp_list_44_2017-18_from_hf_lookup_derived.csv": "does not recognise this file",
}
STP_LIST = "derived/stp_master_42_apr2021_derived.csv"
ETR_2021 = "ods_etr_nhs_trusts_2021_nhsx-SystemHierarchies.csv"


@pytest.fixture(scope="session")
def reference() -> Path:
    directory = reference_data_dir()
    if directory is None:
        skip_or_fail("The NHS reference data is missing from partnerships/data/nhs-reference")
    return directory


def run_import(path: Path, partnership=None, actor=SYSTEM):
    with path.open("rb") as handle:
        return organisations_import(actor=actor, file=handle, partnership=partnership)


def register_size() -> tuple[int, int, int]:
    return Partnership.objects.count(), Organisation.objects.count(), Membership.objects.count()


def test_every_file_in_the_reference_folder_is_either_read_or_refused_on_purpose(reference):
    files = {str(path.relative_to(reference)) for path in reference.rglob("*") if path.is_file()}
    files -= {"SOURCES.md", "CHECKSUMS.sha256"}
    assert files == ACCEPTED.keys() | REFUSED.keys()


@pytest.mark.parametrize("name", ACCEPTED)
def test_each_accepted_file_imports_one_record_per_data_row(reference, name):
    rows, partnerships, organisations = ACCEPTED[name]
    result = run_import(reference / name)
    assert result.rows == rows
    assert (result.partnerships.created, result.organisations.created) == (partnerships, organisations)
    assert register_size()[:2] == (partnerships, organisations)


@pytest.mark.parametrize("name", ACCEPTED)
def test_importing_a_file_again_changes_nothing(reference, name):
    run_import(reference / STP_LIST)
    first = run_import(reference / name)
    size = register_size()
    again = run_import(reference / name)
    assert register_size() == size
    assert again.rows == first.rows
    for kind in ("partnerships", "organisations", "memberships"):
        before, after = getattr(first, kind), getattr(again, kind)
        assert (after.created, after.updated) == (0, 0)
        assert after.unchanged == before.created + before.updated + before.unchanged


@pytest.mark.parametrize("name", REFUSED)
def test_files_the_importer_does_not_read_are_refused_with_a_clear_message(reference, name):
    with pytest.raises(ImportRejected) as rejected:
        run_import(reference / name)
    [(line, message)] = rejected.value.errors
    assert line is None
    assert REFUSED[name] in message
    assert register_size() == (0, 0, 0)


def test_the_42_partnerships_get_their_codes_names_regions_and_populations(reference):
    run_import(reference / STP_LIST)
    assert Partnership.objects.count() == 42
    manchester = Partnership.objects.get(code="QOP")
    assert (manchester.ons_code, manchester.region, manchester.population) == ("E54000007", "North West", 2281520)
    assert Partnership.objects.get(code="QK1").name == "Leicester, Leicestershire and Rutland"


def test_trusts_become_members_of_the_partnership_in_field_4_and_welsh_trusts_of_none(reference):
    run_import(reference / STP_LIST)
    result = run_import(reference / ETR_2021)
    assert result.memberships.created == 215
    assert "(Q99)" in result.notes[0]
    christie = Organisation.objects.get(ods_code="RBV")
    assert christie.memberships.get().partnership.code == "QOP"
    assert not Organisation.objects.get(ods_code="RT4").memberships.exists()  # Welsh Ambulance Services


def test_trust_kinds_are_guessed_from_their_names(reference):
    run_import(reference / ETR_2021)
    kinds = dict(Organisation.objects.values_list("ods_code", "kind"))
    assert kinds["RX9"] == OrganisationKind.AMBULANCE_TRUST  # East Midlands Ambulance Service
    assert kinds["RRP"] == OrganisationKind.MENTAL_HEALTH_TRUST  # Barnet, Enfield and Haringey Mental Health
    assert kinds["RGD"] == OrganisationKind.MENTAL_HEALTH_TRUST  # Leeds and York Partnership
    assert kinds["RY6"] == OrganisationKind.COMMUNITY_TRUST  # Leeds Community Healthcare
    assert kinds["RR8"] == OrganisationKind.ACUTE_TRUST  # Leeds Teaching Hospitals


def test_care_trusts_are_community_trusts_and_commissioners_are_commissioners(reference):
    run_import(reference / "ods_ect_care_trusts_2023_nhsx-open-cyber.csv")
    run_import(reference / "ods_eccg_subicb_locations_2023_nhsx-open-cyber.csv")
    assert Organisation.objects.get(ods_code="TAD").kind == OrganisationKind.COMMUNITY_TRUST
    assert Organisation.objects.get(ods_code="00L").kind == OrganisationKind.COMMISSIONER


def test_partner_list_makes_councils_trusts_and_sub_icb_locations_members_and_warns_of_clashing_names(reference):
    run_import(reference / STP_LIST)
    result = run_import(reference / "derived/icb_partner_memberships_long_aug2023.csv")
    assert result.memberships.created == 550
    kinds = Organisation.objects.values_list("kind", flat=True)
    assert list(kinds).count(OrganisationKind.LOCAL_AUTHORITY) == 158
    assert list(kinds).count(OrganisationKind.COMMISSIONER) == 106
    assert Organisation.objects.get(ods_code="106").memberships.get().partnership.code == "QHM"
    assert {line for line, _ in result.warnings} == {71, 94, 333}  # 218 and RYE carry two names in the workbook


def test_capital_names_are_written_as_people_write_them_and_commas_inside_quotes_stay(reference):
    run_import(reference / ETR_2021)
    run_import(reference / "ods_eccg_ccgs_and_subicb_locations_2025.csv")
    names = dict(Organisation.objects.values_list("ods_code", "name"))
    assert names["RX3"] == "Tees, Esk and Wear Valleys NHS Foundation Trust"
    assert names["RCX"] == "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust"
    assert names["RJ1"] == "Guy's and St Thomas' NHS Foundation Trust"
    assert names["00D"] == "NHS Durham Dales, Easington and Sedgefield CCG"
    assert names["A4R1E"] == "Newham - Sub-ICB Reporting Entity"


def test_bom_and_crlf_files_are_read_without_stray_characters(reference):
    run_import(reference / "ons_ccg21_to_stp21_lookup_apr2021.csv")  # UTF-8 with BOM
    run_import(reference / "ods_eccg_ccgs_and_subicb_locations_2025.csv")  # CRLF
    assert Partnership.objects.filter(code="QOP").exists()
    assert Organisation.objects.get(ods_code="00C").postcode == "TS23 2LA"
    assert not Organisation.objects.filter(name__contains="\ufeff").exists()
    assert not Organisation.objects.filter(closed_on__isnull=True, ods_code="00C").exists()


def test_the_same_file_with_bom_and_crlf_gives_the_same_register(reference, tmp_path):
    copy = tmp_path / "etr.csv"
    copy.write_bytes(b"\xef\xbb\xbf" + (reference / ETR_2021).read_bytes().replace(b"\n", b"\r\n"))
    run_import(reference / ETR_2021)
    original = list(Organisation.objects.values_list("ods_code", "name", "postcode", "opened_on", "closed_on"))
    result = run_import(copy)
    assert result.organisations.unchanged == 218
    assert list(Organisation.objects.values_list("ods_code", "name", "postcode", "opened_on", "closed_on")) == original


def test_closed_organisations_keep_their_close_date_and_their_membership_ends_then(reference):
    run_import(reference / STP_LIST)
    run_import(reference / ETR_2021)
    run_import(reference / "ods_etr_nhs_trusts_2023_nhsx-open-cyber.csv")
    poole = Organisation.objects.get(ods_code="RD3")
    assert poole.closed_on == datetime.date(2020, 9, 30)
    assert poole.memberships.get().left_on == datetime.date(2020, 9, 30)
    southport = Organisation.objects.get(ods_code="RVY")  # closed in the 2023 file, open in 2021's
    assert southport.closed_on == datetime.date(2023, 6, 30)
    assert southport.memberships.get().left_on == datetime.date(2023, 6, 30)


def test_organisations_closed_before_partnerships_began_get_no_membership(reference):
    run_import(reference / STP_LIST)
    result = run_import(reference / "ods_eccg_ccgs_and_subicb_locations_2025.csv")
    gateshead_ccg = Organisation.objects.get(ods_code="00F")
    assert gateshead_ccg.closed_on == datetime.date(2015, 3, 31)
    assert not gateshead_ccg.memberships.exists()
    assert any("closed before partnerships began" in note for note in result.notes)


def broken_copy(reference: Path, tmp_path: Path, line: int, old: str, new: str) -> Path:
    lines = (reference / ETR_2021).read_text().splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    lines[2] = lines[2].replace("SOUTH TYNESIDE AND SUNDERLAND", "RENAMED")  # a good change that must not land
    copy = tmp_path / "etr.csv"
    copy.write_text("".join(lines))
    return copy


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"19930401"', '"19931301"', "Open date '19931301' is not a date"),
        ('"RGN"', '"rg-n"', "ODS code: Enter an ODS code"),
        ('"NORTH WEST ANGLIA NHS FOUNDATION TRUST"', '""', "The name is missing"),
        ('"NORTH WEST ANGLIA NHS FOUNDATION TRUST"', '"<SCRIPT>ALERT(1)</SCRIPT>"', "Name: Remove the HTML tags"),
        ('"0","","G"', '"0","G"', "has 26 fields"),
    ],
)
def test_a_file_with_one_broken_row_changes_nothing_and_names_the_line(reference, tmp_path, old, new, message):
    run_import(reference / STP_LIST)
    run_import(reference / ETR_2021)
    size, audit = register_size(), AuditEvent.objects.count()
    copy = broken_copy(reference, tmp_path, 57, old, new)
    with pytest.raises(ImportRejected) as rejected:
        run_import(copy)
    [(line, text)] = rejected.value.errors
    assert line == 57
    assert message in text
    assert register_size() == size
    assert AuditEvent.objects.count() == audit
    assert Organisation.objects.get(ods_code="R0B").name == "South Tyneside and Sunderland NHS Foundation Trust"


def test_a_close_date_before_the_open_date_is_a_broken_row(reference, tmp_path):
    copy = broken_copy(reference, tmp_path, 57, '"19930401",""', '"19930401","19920101"')
    with pytest.raises(ImportRejected) as rejected:
        run_import(copy)
    assert rejected.value.errors == [(57, "The close date is before the open date.")]
    assert register_size() == (0, 0, 0)


def test_every_broken_row_is_reported_not_just_the_first(reference, tmp_path):
    lines = (reference / "derived/stp_master_42_apr2021_derived.csv").read_text().splitlines(keepends=True)
    lines[3] = lines[3].replace("QF7", "qf7")
    lines[5] = lines[5].replace("412893", "lots")
    copy = tmp_path / "stp_master.csv"
    copy.write_text("".join(lines))
    with pytest.raises(ImportRejected) as rejected:
        run_import(copy)
    assert [line for line, _ in rejected.value.errors] == [4, 6]
    assert "Population 'lots' is not a whole number." in rejected.value.errors[1][1]
    assert Partnership.objects.count() == 0


def test_an_older_file_without_the_close_date_does_not_reopen_a_closed_organisation(reference):
    run_import(reference / STP_LIST)
    run_import(reference / "ods_etr_nhs_trusts_2023_nhsx-open-cyber.csv")  # Southport and Ormskirk closed in 2023
    result = run_import(reference / ETR_2021)  # where it is still open
    southport = Organisation.objects.get(ods_code="RVY")
    assert southport.closed_on == datetime.date(2023, 6, 30)
    assert southport.memberships.get().left_on == datetime.date(2023, 6, 30)
    assert result.memberships.updated == 0


def test_a_lead_who_ended_a_membership_is_not_overruled_by_the_next_import(reference):
    run_import(reference / STP_LIST)
    run_import(reference / ETR_2021)
    Membership.objects.filter(organisation__ods_code="RBV").update(left_on=datetime.date(2024, 3, 31))
    result = run_import(reference / ETR_2021)
    assert (result.memberships.created, result.memberships.updated) == (0, 0)
    assert Membership.objects.get(organisation__ods_code="RBV").left_on == datetime.date(2024, 3, 31)


def test_importing_into_one_partnership_skips_and_counts_the_rows_of_others(reference):
    run_import(reference / STP_LIST)
    manchester = Partnership.objects.get(code="QOP")
    result = run_import(reference / ETR_2021, partnership=manchester)
    assert (result.rows, result.skipped, result.organisations.created) == (218, 207, 11)
    assert set(Membership.objects.values_list("partnership__code", flat=True)) == {"QOP"}
    assert AuditEvent.objects.get(action="organisations.imported", partnership_id=manchester.pk).summary.startswith(
        "Imported ods_etr_nhs_trusts_2021"
    )


def test_a_lead_import_updates_only_their_partnership_from_a_national_list(reference):
    lead = UserFactory()
    partnership = PartnershipFactory(code="QOP", name="Old name")
    grant(lead, partnership, "partnership_lead")
    result = run_import(reference / STP_LIST, partnership=partnership, actor=lead)
    assert (result.partnerships.updated, result.skipped) == (1, 41)
    assert Partnership.objects.count() == 1
    partnership.refresh_from_db()
    assert partnership.name == "Greater Manchester Health and Social Care Partnership"


def test_only_administrators_import_national_data(reference):
    with pytest.raises(PermissionDenied):
        run_import(reference / STP_LIST, actor=UserFactory())
    assert Partnership.objects.count() == 0


def test_the_import_makes_the_same_number_of_queries_for_ten_rows_and_for_a_hundred(reference, tmp_path):
    run_import(reference / STP_LIST)
    lines = (reference / ETR_2021).read_text().splitlines(keepends=True)
    counts = []
    for size in (10, 100):
        copy = tmp_path / f"etr_{size}.csv"
        copy.write_text("".join(lines[:size]))
        with CaptureQueriesContext(connection) as queries:
            run_import(copy)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_tidy_name_keeps_codes_acronyms_and_names_already_in_mixed_case():
    assert tidy_name("NHS NORTH EAST AND NORTH CUMBRIA ICB - 00L") == "NHS North East and North Cumbria ICB - 00L"
    assert tidy_name("LONDON - H&J COMMISSIONING HUB") == "London - H&J Commissioning Hub"
    assert tidy_name("The Newcastle Upon Tyne Hospitals") == "The Newcastle Upon Tyne Hospitals"
    assert guess_trust_kind("KENT AND MEDWAY NHS AND SOCIAL CARE PARTNERSHIP TRUST") == "mental_health_trust"


def test_the_command_prints_the_counts_and_a_rejection_names_the_line(reference, tmp_path, capsys):
    call_command("import_organisations", str(reference / STP_LIST))
    call_command("import_organisations", str(reference / ETR_2021), "--partnership", "qop")
    output = capsys.readouterr().out
    assert "Partnerships: 42 created, 0 updated, 0 unchanged." in output
    assert "207 rows belong to other partnerships and were skipped." in output
    copy = broken_copy(reference, tmp_path, 57, '"RGN"', '"R"')
    with pytest.raises(CommandError, match="etr.csv was not imported: 1 problem. Nothing was changed."):
        call_command("import_organisations", str(copy))
    assert "Line 57: ODS code: Enter an ODS code" in capsys.readouterr().err


def test_the_command_refuses_an_unknown_partnership_or_a_missing_file(reference, tmp_path):
    with pytest.raises(CommandError, match="There is no partnership QAA"):
        call_command("import_organisations", str(reference / ETR_2021), "--partnership", "QAA")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_organisations", str(tmp_path / "missing.csv"))
