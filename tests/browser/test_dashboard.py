"""The partnership dashboard in the browser, with axe on every page: the lead opens it from the partnership's
overview on the demo data, follows the "overdue actions" figure to the list and finds the overdue actions there,
then the other lists behind the figures."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from governance.tests.risk_support import domain
from reporting.tests.dashboard_support import default_groups
from workstreams.models import Action

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    # A transactional test empties the tables it ran on, the data migrations' groups and risk domains among them.
    default_groups()
    domain()
    call_command("seed_demo", stdout=io.StringIO())


def test_the_lead_follows_the_overdue_actions_figure_to_the_overdue_actions(page, demo):
    overdue = Action.objects.filter(partnership__code="QZZ").overdue()
    sign_in(page, "lead")

    page.goto("/partnerships/QZZ/")
    page.get_by_role("link", name=re.compile("Dashboard")).click()
    page.wait_for_url("**/partnerships/QZZ/dashboard/")
    expect(page.get_by_role("heading", level=1, name=re.compile("Dashboard$"))).to_be_visible()
    card = page.locator("#card-overdue-actions")
    expect(card).to_have_text(f"{overdue.count()} overdue actions", use_inner_text=True)
    expect(page.locator("#chart-actions svg[role=img]")).to_be_visible()
    assert_accessible(page)

    card.click()
    page.wait_for_url("**/dashboard/actions/?state=overdue")
    expect(page.locator("#action-count")).to_have_text(f"{overdue.count()} actions.")
    expect(page.locator("#actions tbody tr")).to_have_count(overdue.count())
    for action in overdue:
        expect(page.locator("#actions tbody tr", has_text=f"A{action.pk}:")).to_contain_text("Overdue")
    assert_accessible(page)

    # The other lists behind the figures, and a chart's table.
    page.go_back()
    page.locator("#chart-decisions summary").click()
    expect(page.locator("#trend-decisions-table")).to_be_visible()
    page.locator("#figure-persistently-absent").click()
    page.wait_for_url("**/dashboard/attendance/?absent=yes")
    assert_accessible(page)
    page.goto("/partnerships/QZZ/dashboard/agenda/?purpose=decision&body=board")
    expect(page.locator("#item-count")).to_have_text(re.compile(r"agenda items\.$"))
    assert_accessible(page)
