"""Signing in with a second factor, in a browser: setting up the app a lead must have, giving a code at sign-in,
the Sign-in security page, a lead resetting a colleague's, and the pages that say sign-in is paused. Each page is
checked with axe and at 320 px."""

import re
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from partnerships.models import Role
from tests.factories import PartnershipFactory, UserFactory, grant

from .conftest import assert_accessible, sign_in, submit_sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def partnership():
    return PartnershipFactory(code="QZZ", name="Northfield and Dales Health and Care Partnership")


@pytest.fixture
def lead(partnership):
    lead = UserFactory(username="lead", first_name="Leah", last_name="Adeyemi")
    grant(lead, partnership, Role.LEAD)
    return lead


def code_for(key: bytes) -> str:
    return f"{totp(key):06d}"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def check_page(page, heading: str) -> None:
    """The page has this heading, passes axe, and fits a 320 px screen."""
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert fits_the_screen(page), heading
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_lead_must_set_up_an_app_then_sees_recovery_codes(page, lead, settings, live_server):
    settings.SECOND_FACTOR_REQUIRED = True
    sign_in(page, "lead")

    expect(page).to_have_url(re.compile(r"/account/two-factor/set-up/"))
    check_page(page, "Set up an authenticator app")
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("#setup-key").inner_text().replace(" ", "")

    page.get_by_label("Code from the app").fill("000000" if code_for(b32decode(key)) != "000000" else "111111")
    page.get_by_role("button", name="Turn on the second factor").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("That code is not right")
    assert_accessible(page)

    # django-otp makes a person wait a second after a wrong code before trying again.
    page.wait_for_timeout(1100)
    page.get_by_label("Code from the app").fill(code_for(b32decode(key)))
    page.get_by_role("button", name="Turn on the second factor").click()

    check_page(page, "Your second factor is on")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("button", name="I have saved my codes: continue").click()
    expect(page.locator("main")).to_contain_text("You are signed in as Leah Adeyemi")


def test_someone_with_an_app_gives_a_code_at_sign_in(page, lead, live_server, settings):
    device = TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    page.goto("/partnerships/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/account/two-factor/code/\?next=%2Fpartnerships%2F"))
    check_page(page, "Enter a code from your app")
    page.get_by_label("Code").fill(code_for(device.bin_key))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/partnerships/")


def test_the_sign_in_security_page_offers_new_recovery_codes(page, lead):
    sign_in(page, "lead")
    page.get_by_role("link", name="Sign-in security").click()
    check_page(page, "Sign-in security")
    expect(page.get_by_role("button", name="Set up an authenticator app")).to_be_visible()


def test_a_lead_resets_a_colleagues_second_factor(page, lead, partnership):
    colleague = UserFactory(username="colleague", first_name="Sam", last_name="Patel")
    grant(colleague, partnership, Role.MEMBER)
    TOTPDevice.objects.create(user=colleague, name="Authenticator app", confirmed=True)
    sign_in(page, "lead")
    page.goto(f"/partnerships/QZZ/people/{colleague.pk}/change/")
    page.get_by_role("link", name="Reset the second factor of Sam Patel").click()
    check_page(page, "Reset the second factor of Sam Patel")

    page.get_by_label("Why are you resetting it?").fill("Lost phone, confirmed by telephone")
    page.get_by_role("button", name="Reset the second factor").click()

    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("has been reset")
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not StaticDevice.objects.filter(user=colleague).exists()


def test_the_locked_out_page_says_what_is_locked_and_until_when(page, lead, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        submit_sign_in(page, "lead", "not-the-password")
    check_page(page, "This account is locked from this address for now")
    expect(page.locator("main")).to_contain_text("reset")


def test_the_reset_limited_page_explains_itself(page, settings):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 1
    get_user_model().objects.create_user("someone", email="someone@example.nhs.uk")
    for _ in range(2):
        page.goto("/account/password/reset/")
        page.get_by_label("Email").fill("someone@example.nhs.uk")
        page.get_by_role("button", name="Send the link").click()
    check_page(page, "Too many requests to reset a password")
