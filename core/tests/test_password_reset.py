"""Password reset: the worker sends the email, so every address takes the same path; requests are limited per email
address and per client address; links last an hour (invitation links: tests/test_invitation_links.py)."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from freezegun import freeze_time

from core.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/account/password/reset/"
SENT = "/account/password/reset/sent/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def ask(client, email, address="10.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/\S+/)", message.body).group(1)


def choose(client, link, password="lantern-orchard-velvet"):
    page = client.get(link, follow=True)
    if b"Choose a new password" not in page.content:
        return page
    return client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


@pytest.mark.parametrize("email", ["known@example.nhs.uk", "unknown@example.nhs.uk"])
def test_known_and_unknown_addresses_queue_the_same_task_and_get_the_same_answer(client, email):
    UserFactory(username="known", email="known@example.nhs.uk")
    with mock.patch("core.tasks.run_outbox_message.apply_async") as handed_over:
        response = ask(client, email)
    assert response.status_code == 302 and response["Location"] == SENT
    queued = OutboxMessage.objects.get()
    assert (queued.task, queued.args) == ("core.tasks.send_password_reset_email", [email])
    handed_over.assert_not_called()  # after the commit, which a test's transaction never makes
    assert mail.outbox == []  # nothing is sent in the request


def test_the_worker_emails_a_known_address_a_link_that_sets_the_password(client, django_capture_on_commit_callbacks):
    person = UserFactory(username="known", email="known@example.nhs.uk")
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client, "known@example.nhs.uk")["Location"] == SENT
    assert [message.to for message in mail.outbox] == [["known@example.nhs.uk"]]
    assert "within an hour" in mail.outbox[0].body
    assert choose(client, link_in(mail.outbox[0]))["Location"] == "/account/password/reset/done/"
    person.refresh_from_db()
    assert person.check_password("lantern-orchard-velvet")


def test_a_reset_link_expires_after_an_hour(client, django_capture_on_commit_callbacks):
    person = UserFactory(username="known", email="known@example.nhs.uk")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "known@example.nhs.uk")
    with freeze_time(timedelta(minutes=61)):
        page = choose(client, link_in(mail.outbox[0]))
    assert b"Choose a new password" not in page.content
    person.refresh_from_db()
    assert not person.check_password("lantern-orchard-velvet")


def test_over_the_limit_for_one_email_the_answer_is_the_same_and_nothing_is_sent(
    client, settings, django_capture_on_commit_callbacks
):
    UserFactory(username="known", email="known@example.nhs.uk")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask(client, "known@example.nhs.uk", address=f"10.0.0.{n}") for n in range(5)]
    assert {answer["Location"] for answer in answers} == {SENT}
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAIL_LIMIT


def test_over_the_limit_for_one_client_address_the_answer_is_429_and_nothing_is_sent(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 4
    UserFactory(username="known", email="known@example.nhs.uk")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(4):
            assert ask(client, f"someone{number}@example.nhs.uk")["Location"] == SENT
        refused = ask(client, "known@example.nhs.uk")
    assert refused.status_code == 429
    assert b"Too many requests to reset a password" in refused.content
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):  # another address is not affected
        assert ask(client, "known@example.nhs.uk", address="10.0.0.2")["Location"] == SENT
    assert len(mail.outbox) == 1


def test_a_locked_account_can_reset_its_password_and_sign_in_again(
    client, settings, django_capture_on_commit_callbacks
):
    UserFactory(username="known", email="known@example.nhs.uk")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": "known", "password": "wrong-password"})
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "known@example.nhs.uk", address="127.0.0.1")
    choose(client, link_in(mail.outbox[0]))
    signed_in = client.post("/sign-in/", {"username": "known", "password": "lantern-orchard-velvet"})
    assert signed_in["Location"] == "/"
