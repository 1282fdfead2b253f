"""The lead uploads an ODS file of trusts on the import page and reads what changed; a broken file is listed."""

import re

import pytest
from playwright.sync_api import expect

from partnerships.models import Organisation
from partnerships.tests.test_import_page import ods_row

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_lead_imports_an_ods_file_of_trusts_and_sees_the_counts(page, world, tmp_path):
    broken = tmp_path / "broken" / "etr.csv"
    broken.parent.mkdir()
    broken.write_text(ods_row("RZ1", "DEMO COMMUNITY HEALTHCARE NHS TRUST", "QZZ", opened="2020-04-01"))
    good = tmp_path / "etr.csv"
    good.write_text(
        ods_row("RZ1", "DEMO COMMUNITY HEALTHCARE NHS TRUST", "QZZ")
        + ods_row("RZ2", "DEMO AMBULANCE SERVICE NHS TRUST", "QZZ", closed="20250331")
        + ods_row("RY1", "ELSEWHERE MENTAL HEALTH NHS TRUST", "QYY")
    )
    sign_in(page, "lead")
    page.goto("/partnerships/QZZ/organisations/import/")
    expect(page.get_by_role("heading", level=1, name=re.compile("Import organisations from NHS data$"))).to_be_visible()
    page.get_by_text("Which files can I import?").click()
    assert_accessible(page)

    page.get_by_label("Upload a CSV file").set_input_files(str(broken))
    page.get_by_role("button", name="Import file").click()
    page.locator(".nhsuk-error-summary").wait_for()
    expect(page.get_by_role("table")).to_contain_text("Open date '2020-04-01' is not a date")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    assert not Organisation.objects.filter(ods_code="RZ1").exists()

    page.get_by_label("Upload a CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import file").click()
    page.get_by_text("etr.csv was imported:").wait_for()
    assert page.locator("#counts-organisations").inner_text().split() == ["Organisations", "2", "0", "0"]
    expect(page.locator("main")).to_contain_text("1 row of other partnerships was skipped")
    assert_accessible(page)
    assert set(Organisation.objects.filter(ods_code__in=["RZ1", "RZ2", "RY1"]).values_list("ods_code", flat=True)) == {
        "RZ1",
        "RZ2",
    }
