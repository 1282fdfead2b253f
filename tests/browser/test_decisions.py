"""A decision from proposal to publication, in the browser, with axe on every page on the way.

`member` proposes a decision from a board meeting; `ned` challenges it and `member` answers; the lead opens
sign-off; `board` declares no interest and approves for the trust; the council's director declares a conflict and
is recused; the validity panel follows each step; the approved decision appears on the public page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance import services
from governance.models import Decision, DecisionStatus
from governance.tests.support import approved, board_meeting, in_signoff, signatories

from .conftest import assert_accessible, fill_date, switch_to

pytestmark = pytest.mark.django_db(transaction=True)


def open_decision(page, decision) -> None:
    page.goto(decision.get_absolute_url())


def validity(page):
    """The validity panel, on the sign-off tab."""
    page.locator("a.nhsuk-tabs__tab[href='#signoff']").click()
    return page.locator("#validity")


def test_a_decision_is_proposed_challenged_signed_recused_and_published(page, world):
    signatories(world)
    meeting = board_meeting(world, days_from_now=3)

    # member proposes from the board meeting
    switch_to(page, "member")
    page.goto("/partnerships/QZZ/decisions/")
    assert_accessible(page)
    page.get_by_role("button", name="Propose a decision").click()
    page.get_by_label("Title").fill("Hospice at home for the whole footprint")
    page.get_by_label("The case for the decision").fill("Night sitting and rapid response, run by the hospices.")
    page.get_by_label("Options considered").fill("Keep three separate services.")
    page.get_by_label("Service change").check()
    page.get_by_label("Value in pounds").fill("180000")
    page.get_by_label("Meeting").select_option(label=f"Partnership board: {meeting}")
    assert_accessible(page)
    page.get_by_role("button", name="Propose the decision").click()
    page.get_by_text("proposed as a draft").wait_for()
    decision = Decision.objects.get()
    assert decision.meeting == meeting
    assert_accessible(page)
    page.get_by_role("link", name="Open for challenge").click()
    assert_accessible(page)
    page.get_by_role("button", name="Open for challenge").click()
    page.get_by_text("is open for challenge").wait_for()

    # ned challenges; member answers
    switch_to(page, "ned")
    open_decision(page, decision)
    page.get_by_role("link", name="Raise a challenge or question").first.click()
    page.get_by_label("Your challenge or question").fill("Who covers the rural west at night?")
    assert_accessible(page)
    page.get_by_role("button", name="Raise it").click()
    page.get_by_text(f"on {decision.reference} is recorded").wait_for()

    switch_to(page, "member")
    open_decision(page, decision)
    page.locator("a.nhsuk-tabs__tab[href='#challenge']").click()
    expect(page.locator("#challenge")).to_contain_text("Non-executive challenge")
    page.get_by_role("link", name=re.compile("^Respond")).click()
    page.get_by_label("Your response").fill("The west hospice extends its rota from April.")
    assert_accessible(page)
    page.get_by_role("button", name="Save the response").click()
    page.get_by_text(f"Your response on {decision.reference} is recorded").wait_for()

    # the lead opens sign-off
    switch_to(page, "lead")
    open_decision(page, decision)
    page.get_by_role("link", name="Open sign-off").click()
    fill_date(page, "Sign-off closes on", timezone.localdate() + timedelta(days=10))
    assert_accessible(page)
    page.get_by_role("button", name="Open sign-off").click()
    page.get_by_text("Sign-off is open").wait_for()
    expect(validity(page)).to_contain_text("0 of 2 organisations approved so far; 2 awaiting sign-off")

    # board declares no interest and approves for the trust
    switch_to(page, "board")
    page.goto("/my-sign-offs/")
    assert_accessible(page)
    page.locator("#awaiting").get_by_role("link", name=re.compile(decision.reference)).click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Sign off for")).click()
    page.get_by_label("I declare that I have no interest in this decision").check()
    page.get_by_label("Approve").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record my vote").click()
    page.get_by_text(f"Your vote on {decision.reference} is recorded").wait_for()
    expect(validity(page)).to_contain_text("1 of 2 organisations approved so far; 1 awaiting sign-off")
    assert_accessible(page)

    # the council's director declares a conflict and is recused: the trust's approval now decides it
    switch_to(page, "councildirector")
    open_decision(page, decision)
    page.get_by_role("link", name="Declare an interest").first.click()
    page.get_by_label("I have a conflict of interest").check()
    page.get_by_label("Financial", exact=True).check()
    page.get_by_label("The interest").fill("I chair the board of one of the hospices.")
    assert_accessible(page)
    page.get_by_role("button", name="Save my declaration").click()
    page.get_by_text(f"Your declaration on {decision.reference} is recorded").wait_for()
    expect(validity(page)).to_contain_text(
        "Binding on 1 of 2 organisations; 1 of the 1 under a delegation its organisation has not confirmed; 1 recused"
    )
    expect(page.locator("#organisations")).to_contain_text("Recused: conflict of interest")
    page.locator("a.nhsuk-tabs__tab[href='#history']").click()
    assert_accessible(page)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED

    # the public reads it without signing in
    page.context.clear_cookies()
    page.goto("/public/QZZ/")
    public_link = page.get_by_role("link", name=f"{decision.reference}: Hospice at home for the whole footprint")
    expect(public_link).to_be_visible()
    assert_accessible(page)
    public_link.click()
    expect(page.locator("main")).to_contain_text("Binding on 1 of 2 organisations")
    assert_accessible(page)


def test_the_lead_is_told_what_to_do_when_no_board_meeting_can_ratify_an_urgent_decision(page, world):
    decision = approved(world, is_urgent=True, urgent_reason="The contract lapses on Friday.", actor=world.lead)
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - timedelta(days=10))
    board_meeting(world, days_from_now=-3)  # started, but not recorded as held
    switch_to(page, "lead")
    page.goto(f"/decisions/{decision.pk}/board-ratification/")
    expect(page.locator("#why-not")).to_contain_text("can ratify it yet")
    expect(page.locator("main")).to_contain_text("is scheduled, not held")
    expect(page.locator("main form")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=f"Back to {decision.reference}").click()
    expect(page.locator("h1")).to_contain_text(decision.title)


def test_a_recused_board_member_asks_for_the_conflict_to_be_withdrawn_and_the_lead_confirms(page, world):
    signatories(world)
    decision = in_signoff(world)
    services.decision_declare(
        actor=world.board, decision=decision, position="conflict", kind="financial", description="A bidder's director."
    )

    switch_to(page, "board")
    page.goto(f"/decisions/{decision.pk}/declare/withdraw-conflict/")
    assert_accessible(page)
    page.get_by_label("I have no interest in this decision").check()
    page.get_by_label("Why should the conflict be withdrawn?").fill("I resigned as a director on 1 March.")
    page.get_by_role("button", name="Ask the partnership lead").click()
    expect(page.get_by_text("You stay recused until they confirm")).to_be_visible()
    assert_accessible(page)

    switch_to(page, "lead")
    open_decision(page, decision)
    page.locator("a.nhsuk-tabs__tab[href='#interests']").click()
    page.get_by_role("link", name=re.compile("^Confirm withdrawal")).click()
    assert_accessible(page)
    page.get_by_role("textbox").fill("The resignation is on Companies House.")
    page.get_by_role("button", name="Confirm the withdrawal").click()
    expect(page.get_by_text("conflict is withdrawn: they take part again")).to_be_visible()
    assert_accessible(page)
