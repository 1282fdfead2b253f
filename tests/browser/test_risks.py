"""The risk register in the browser, with axe on every page on the way.

The Diabetes work-stream's lead reviews the podiatry risk and raises its likelihood, so that it passes the
escalation score: it appears on the board's escalated risks, the heat map moves it from its old cell to its new
one, and the approved decision linked to it shows "review suggested". Then the partnership lead visits the
appetite, bands, domain and risk forms, and records that the decision stands."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import Decision
from governance.selectors.risks import with_review_suggestion
from governance.services.risks import risk_raise
from governance.tests.risk_support import domain, set_appetite, workstream_with_lead
from governance.tests.support import approved

from .conftest import assert_accessible, switch_to

pytestmark = pytest.mark.django_db(transaction=True)


def heat_map_count(page, likelihood: int, consequence: int):
    """The number of risks in a cell of the heat map."""
    return page.locator(f"#cell-{likelihood}-{consequence} .risk-heat-map__count")


def test_a_work_stream_lead_escalates_a_risk_to_the_board_and_its_decision_is_flagged(page, world):
    set_appetite(world, "Safety", tolerance=12, level="averse")
    workstream, group_lead = workstream_with_lead(world)
    decision = approved(world, title="Community foot protection service")
    risk = risk_raise(
        actor=world.member,
        partnership=world.partnership,
        title="Podiatry waits and foot ulcers",
        cause="Too few podiatrists.",
        event="People with foot ulcers are not seen in time.",
        effect="Avoidable amputations.",
        domain=domain("Safety"),
        owner=world.member,
        overseen_by="Diabetes leadership group",
        objective="Fewer amputations",
        likelihood=3,
        consequence=4,
        target_likelihood=2,
        target_consequence=2,
        tier="workstream",
        workstream=workstream,
        decisions=[decision],
    )

    # the work-stream lead sees the risk on the heat map and the register, then reviews it
    switch_to(page, group_lead.username)
    page.goto("/partnerships/QZZ/risks/heat-map/")
    expect(heat_map_count(page, 3, 4)).to_have_text("1")
    expect(heat_map_count(page, 4, 4)).to_have_text("0")
    assert_accessible(page)
    page.locator("#cell-3-4 a").click()
    page.get_by_role("link", name=re.compile("Podiatry waits")).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Podiatry waits")).click()
    expect(page.locator("#risk-status")).to_contain_text("12 High")
    assert_accessible(page)
    page.get_by_role("button", name="Record a review").click()
    page.get_by_label("4 Likely").check()
    page.get_by_label("What the review found").fill("Waits are now 12 weeks; two ulcers became infected.")
    assert_accessible(page)
    page.get_by_role("button", name="Record the review").click()
    page.get_by_text("it now scores 16").wait_for()
    expect(page.locator("#risk-status")).to_contain_text("Escalated to the board")
    expect(page.locator("#risk-summary")).to_contain_text("Rising: up from 12 to 16")
    assert_accessible(page)

    # it is on the board's escalated risks, and the heat map has moved it
    page.locator("#risk-summary").get_by_role("link", name="escalated risks").click()
    expect(page.locator("#escalated-risks")).to_contain_text("Podiatry waits and foot ulcers")
    assert_accessible(page)
    page.get_by_role("link", name="Heat map", exact=True).click()
    page.wait_for_url("**/risks/heat-map/")
    expect(heat_map_count(page, 3, 4)).to_have_text("0")
    expect(heat_map_count(page, 4, 4)).to_have_text("1")

    # the linked decision shows "review suggested"
    page.goto(decision.get_absolute_url())
    expect(page.locator("#decision-status")).to_contain_text("Review suggested")
    expect(page.locator("#review-suggested")).to_contain_text("rose from 12 to 16")
    assert_accessible(page)

    # the partnership lead's pages: appetite, bands, a domain, raising and changing a risk, and the flag
    switch_to(page, "lead")
    page.goto("/partnerships/QZZ/risk-appetite/")
    assert_accessible(page)
    page.get_by_role("link", name="Set the appetite for quality risks").click()
    page.get_by_label("Minimal").check()
    page.get_by_label("Tolerance: the highest acceptable score").select_option("8")
    assert_accessible(page)
    page.get_by_role("button", name="Save the appetite").click()
    page.get_by_text("The appetite for quality risks has been saved").wait_for()
    page.get_by_role("link", name="Add a domain of the partnership's own").click()
    assert_accessible(page)
    page.goto("/partnerships/QZZ/risk-settings/")
    page.get_by_label("Highest moderate score").fill("3")
    page.get_by_role("button", name="Save the bands").click()
    page.get_by_text("must end above the low band").first.wait_for()
    assert_accessible(page)
    page.goto("/partnerships/QZZ/risks/new/")
    page.get_by_role("button", name="Raise the risk").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    page.goto(f"/risks/{risk.pk}/edit/")
    assert_accessible(page)
    page.goto(f"/risks/{risk.pk}/close/")
    assert_accessible(page)
    page.goto(decision.get_absolute_url())
    page.get_by_role("link", name="record that it stands").click()
    page.get_by_label("Why does the decision stand").fill("A podiatry recovery plan is funded from April.")
    assert_accessible(page)
    page.get_by_role("button", name="Remove the flag").click()
    page.get_by_text("is no longer flagged for review").wait_for()
    assert not with_review_suggestion(Decision.objects.filter(pk=decision.pk)).get().is_review_suggested
