"""Sign-in, sign-out, password change and reset, and locking after repeated failures."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.html import error_summary, text

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def lead():
    return get_user_model().objects.create_user(
        "lead", email="lead@example.org", password=PASSWORD, first_name="Leah", last_name="Adeyemi"
    )


def sign_in(client, username="lead", password=PASSWORD):
    return client.post("/sign-in/", {"username": username, "password": password})


def test_start_page_is_open_to_everyone(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Govern your health and care partnership together" in response.content


def test_pages_other_than_sign_in_start_and_health_require_sign_in(client):
    response = client.get("/account/password/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/account/password/"


def test_sign_in_with_the_right_password_opens_the_start_page(client, lead):
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "You are signed in as Leah Adeyemi" in text(client.get("/"))


def test_sign_in_returns_to_the_page_asked_for(client, lead):
    response = client.post("/sign-in/", {"username": "lead", "password": PASSWORD, "next": "/account/password/"})
    assert response["Location"] == "/account/password/"


def test_sign_in_does_not_redirect_to_another_site(client, lead):
    response = client.post("/sign-in/", {"username": "lead", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_wrong_password_shows_the_error_summary_and_no_session(client, lead):
    response = sign_in(client, password="wrong-password")
    assert response.status_code == 400
    assert text(response, ".nhsuk-error-summary h2") == "There is a problem"
    assert error_summary(response) == [("The username or password is not right. Check them and try again.", None)]
    assert "_auth_user_id" not in client.session


def test_missing_username_and_password_are_named_in_the_error_summary(client):
    response = client.post("/sign-in/", {})
    assert response.status_code == 400
    assert error_summary(response) == [
        ("Enter your username", "#id_username"),
        ("Enter your password", "#id_password"),
    ]


def test_script_in_the_username_is_escaped(client):
    html = client.post("/sign-in/", {"username": "<script>alert(1)</script>", "password": "x"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_account_is_locked_after_five_failures_with_a_clear_message(client, lead, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, password="wrong-password").status_code == 400
    response = sign_in(client, password="wrong-password")
    assert response.status_code == 429
    assert text(response, "h1") == "This account is locked from this address for now"
    assert "A locked account can still reset its password by email" in text(response)
    # Even the right password is refused while the lock lasts.
    assert sign_in(client).status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client, lead):
    client.force_login(lead)
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_needs_the_old_password(client, lead):
    client.force_login(lead)
    response = client.post(
        "/account/password/",
        {
            "old_password": "wrong",
            "new_password1": "a-new-long-password",
            "new_password2": "a-new-long-password",
        },
    )
    assert response.status_code == 400
    assert error_summary(response) == [
        ("Your old password was entered incorrectly. Please enter it again.", "#id_old_password")
    ]
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)


def test_password_change_saves_the_new_password(client, lead):
    client.force_login(lead)
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-password",
            "new_password2": "a-new-long-password",
        },
    )
    assert response["Location"] == "/account/password/changed/"
    lead.refresh_from_db()
    assert lead.check_password("a-new-long-password")


def test_password_reset_emails_a_link_that_sets_a_new_password(client, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends it, after the request
        response = client.post("/account/password/reset/", {"email": "lead@example.org"})
    assert response["Location"] == "/account/password/reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your STP Portal password"
    link = re.search(r"https?://[^/\s]+(/account/password/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": "brand-new-password", "new_password2": "brand-new-password"})
    assert done["Location"] == "/account/password/reset/done/"
    lead.refresh_from_db()
    assert lead.check_password("brand-new-password")


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/account/password/reset/", {"email": "nobody@example.org"})
    assert len(callbacks) == 1  # the worker was asked, as for a known address
    assert response["Location"] == "/account/password/reset/sent/"
    assert mail.outbox == []


def test_unknown_page_is_an_nhs_styled_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert text(response, "h1") == "Page not found"
    assert text(response, "header")
