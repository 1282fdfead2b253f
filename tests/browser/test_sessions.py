"""The "Your sessions" page and the idle-timeout warning, in a browser: accessible, and usable at 320 px."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lead():
    return UserFactory(username="lead", first_name="Leah", last_name="Adeyemi")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_your_sessions_lists_another_browser_and_signs_it_out(page, lead, browser, live_server):
    other = browser.new_context(base_url=live_server.url)
    sign_in(other.new_page(), "lead")
    sign_in(page, "lead")
    page.set_viewport_size({"width": 320, "height": 640})

    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_role("link", name="Your sessions").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    expect(page.locator("#sessions")).to_contain_text("Signed in on 2 browsers")
    assert fits_the_screen(page)
    assert_accessible(page)

    page.get_by_role("button", name="Sign out everywhere else").click()

    expect(page.locator("#sessions")).to_contain_text("Signed in on 1 browser")
    expect(page.get_by_text("Signed out everywhere else: 1 session.")).to_be_visible()
    assert_accessible(page)
    other.close()


@pytest.fixture
def short_sessions(settings):
    """Idle limit of 12 seconds, warned 10 seconds before: the warning opens two seconds after a page loads."""
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=12)
    settings.SESSION_IDLE_WARNING_SECONDS = 10


def test_the_idle_warning_takes_focus_and_stay_signed_in_keeps_the_session(page, lead, short_sessions):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, "lead")
    warning = page.get_by_role("dialog", name="You will be signed out soon")

    expect(warning).to_be_visible()
    expect(warning).to_contain_text("you will be signed out in")
    expect(warning.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert fits_the_screen(page)
    assert_accessible(page)

    page.keyboard.press("Enter")

    expect(warning).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_escape_also_stays_signed_in(page, lead, short_sessions):
    sign_in(page, "lead")
    warning = page.get_by_role("dialog", name="You will be signed out soon")
    expect(warning).to_be_visible()
    page.keyboard.press("Escape")
    expect(warning).to_be_hidden()


def test_without_an_answer_the_person_is_signed_out_and_told_why(page, lead, short_sessions):
    sign_in(page, "lead")
    page.goto("/partnerships/")
    expect(page.get_by_role("dialog", name="You will be signed out soon")).to_be_visible()

    expect(page).to_have_url(re.compile(r"/sign-in/\?next=%2Fpartnerships%2F$"))
    expect(page.locator("main")).to_contain_text("You were signed out after")
    expect(page.locator("main")).to_contain_text("without activity")
    assert_accessible(page)
