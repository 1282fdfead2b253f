"""The "API tokens" page in a browser: make a token, see it once, revoke it; accessible, and usable at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from core.models import ApiToken
from tests.factories import UserFactory

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_token_is_made_shown_once_and_revoked_at_320_pixels(page):
    UserFactory(username="lead", first_name="Leah", last_name="Adeyemi")
    sign_in(page, "lead")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/account/password/")
    page.get_by_role("link", name="your API tokens").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.locator("#no-tokens")).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)

    page.get_by_label("Name").fill("Monthly risk export")
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Make token").click()

    token = page.locator("#new-token")
    expect(token).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.locator("#api-tokens")).to_contain_text("Monthly risk export")
    assert fits_the_screen(page)
    assert_accessible(page)

    page.goto("/account/tokens/")
    expect(page.locator("#new-token")).to_have_count(0)  # shown once only

    page.get_by_role("button", name="Revoke Monthly risk export").click()
    expect(page.get_by_text("The token “Monthly risk export” has been revoked.")).to_be_visible()
    expect(page.locator("#no-tokens")).to_be_visible()
    assert not ApiToken.objects.exists()
    assert fits_the_screen(page)
    assert_accessible(page)


def test_a_bad_name_is_shown_in_the_error_summary(page):
    UserFactory(username="lead")
    sign_in(page, "lead")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/account/tokens/")
    page.get_by_role("button", name="Make token").click()

    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter")
    assert fits_the_screen(page)
    assert_accessible(page)
