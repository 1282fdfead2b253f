import pytest
from django.contrib.auth import get_user_model

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lead(settings):
    return get_user_model().objects.create_user(
        "lead", password=settings.DEMO_PASSWORD, first_name="Leah", last_name="Adeyemi"
    )


def test_start_page_explains_the_service_and_is_accessible(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Govern your health and care partnership together"
    assert_accessible(page)


def test_sign_in_page_is_accessible(page):
    page.goto("/sign-in/")
    assert_accessible(page)


def test_lead_signs_in_and_sees_the_start_page_signed_in(page, lead):
    sign_in(page, "lead")
    page.wait_for_url("**/")
    assert "You are signed in as Leah Adeyemi" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert_accessible(page)


def test_wrong_password_shows_the_error_summary(page, lead):
    sign_in(page, "lead", password="not-the-password")
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert "There is a problem" in summary.inner_text()
    assert "The username or password is not right" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
