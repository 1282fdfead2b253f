"""The risk register in the browser, with axe on every page on the way.

The Diabetes work-stream's lead reviews the podiatry risk and raises its likelihood, so that it passes the
escalation score: it appears on the board's escalated risks, the heat map moves it from its old cell to its new
one, and the approved decision linked to it shows "review suggested". Then the partnership lead visits the
appetite, bands, domain and risk forms, and records that the decision stands."""

import re

import pytest

from governance.models import Decision
from governance.services.risks import risk_raise
from governance.tests.risk_support import domain, set_appetite, workstream_with_lead
from governance.tests.support import approved

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def switch_to(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    page.wait_for_url(re.compile(r".*/$"))


def cell_count(page, likelihood: int, consequence: int) -> int:
    return int(page.locator(f"#cell-{likelihood}-{consequence} .risk-heat-map__count").inner_text())


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
    assert (cell_count(page, 3, 4), cell_count(page, 4, 4)) == (1, 0)
    assert_accessible(page)
    page.locator("#cell-3-4 a").click()
    page.get_by_role("link", name=re.compile("Podiatry waits")).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Podiatry waits")).click()
    assert "12 High" in page.locator("#risk-status").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Record a review").click()
    page.get_by_label("4 Likely").check()
    page.get_by_label("What the review found").fill("Waits are now 12 weeks; two ulcers became infected.")
    assert_accessible(page)
    page.get_by_role("button", name="Record the review").click()
    page.get_by_text("it now scores 16").wait_for()
    assert "Escalated to the board" in page.locator("#risk-status").inner_text()
    assert "Rising: up from 12 to 16" in page.locator("#risk-summary").inner_text()
    assert_accessible(page)

    # it is on the board's escalated risks, and the heat map has moved it
    page.locator("#risk-summary").get_by_role("link", name="escalated risks").click()
    assert "Podiatry waits and foot ulcers" in page.locator("#escalated-risks").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Heat map", exact=True).click()
    assert (cell_count(page, 3, 4), cell_count(page, 4, 4)) == (0, 1)

    # the linked decision shows "review suggested"
    page.goto(decision.get_absolute_url())
    assert "Review suggested" in page.locator("#decision-status").inner_text()
    assert "rose from 12 to 16" in page.locator("#review-suggested").inner_text()
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
    assert not Decision.objects.get(pk=decision.pk).is_review_suggested
