import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import UserFactory

from .conftest import assert_accessible, sign_in, submit_sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lead(settings):
    return get_user_model().objects.create_user(
        "lead", password=settings.DEMO_PASSWORD, first_name="Leah", last_name="Adeyemi"
    )


def test_start_page_explains_the_service_and_is_accessible(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Govern your health and care partnership together")
    assert_accessible(page)


def test_sign_in_page_is_accessible(page):
    page.goto("/sign-in/")
    assert_accessible(page)


def test_lead_signs_in_and_sees_the_start_page_signed_in(page, lead, live_server):
    sign_in(page, "lead")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main")).to_contain_text("You are signed in as Leah Adeyemi")
    assert_accessible(page)


def test_a_person_made_by_the_factories_signs_in_with_the_password_the_settings_name(page, settings):
    """The factories and the browser's sign-in read one password, the settings' DEMO_PASSWORD: change it, and people
    made afterwards still sign in. A password typed into either in place of the setting fails here."""
    settings.DEMO_PASSWORD = "only-this-test-uses-this-password"
    UserFactory(username="lead", first_name="Leah", last_name="Adeyemi")
    sign_in(page, "lead")
    expect(page.locator("main")).to_contain_text("You are signed in as Leah Adeyemi")


def test_wrong_password_shows_the_error_summary(page, lead):
    submit_sign_in(page, "lead", "not-the-password")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("The username or password is not right")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)


def test_a_form_sent_after_its_cookie_is_gone_gets_the_explained_csrf_page(page, lead):
    page.goto("/sign-in/")
    page.context.clear_cookies()
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("partnership-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your form could not be sent")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
