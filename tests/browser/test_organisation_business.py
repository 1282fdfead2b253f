"""What an organisation must act on, in the browser: the demo's board secretary finds her organisations on My
partnerships and opens what her trust must act on, on the demo data. She finds the End of Life Care proposal
awaiting the trust's chief executive and the delegation the lead recorded awaiting her confirmation; axe finds
nothing wrong, and nothing scrolls sideways on a 320 px phone."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from governance.tests.risk_support import domain
from partnerships.models import Organisation
from reporting.tests.dashboard_support import default_groups

from .conftest import assert_accessible, sign_in
from .test_reflow import overflow, what_overflows

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    # A transactional test empties the tables it ran on, the data migrations' groups and risk domains among them.
    default_groups()
    domain()
    call_command("seed_demo", stdout=io.StringIO())
    return Organisation.objects.get(ods_code="RZ1")


def test_the_board_secretary_reads_what_her_trust_must_act_on_at_any_width(page, demo):
    sign_in(page, "orgsec")
    page.goto("/partnerships/")  # her way in: the organisations she administers, with what awaits them
    mine = page.get_by_role("table", name="Organisations you administer")
    expect(mine).to_contain_text("Northfield City Council")
    page.set_viewport_size({"width": 320, "height": 800})
    assert overflow(page) == 0, what_overflows(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    mine.get_by_role("link", name=re.compile(f"^What it must act on.*{re.escape(demo.name)}$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("What it must sign, ratify or act on")
    to_sign = page.get_by_role("table", name=re.compile("^Decisions in sign-off that would bind"))
    expect(to_sign).to_contain_text("Establish the End of Life Care work-stream")
    expect(to_sign).to_contain_text("Bernard Okafor")
    expect(
        page.get_by_role("link", name="Confirm the delegation to Any non-executive or lay member", exact=False)
    ).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert overflow(page) == 0, what_overflows(page)
    assert_accessible(page)
