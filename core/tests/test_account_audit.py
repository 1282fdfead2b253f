"""Account events in the audit trail: sign-in success and failure, lockout, password change and reset."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "partnership-demo"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def person():
    return UserFactory(username="signatory", first_name="Sam", last_name="Reid", email="sam@example.nhs.uk")


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def sign_in(client, username, password):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.9")


def test_signing_in_is_recorded_against_the_person(client, person):
    sign_in(client, "signatory", PASSWORD)
    (event,) = events("account.signed_in")
    assert (event.actor, event.target_id, event.partnership_id) == (person, person.pk, None)
    assert event.summary.endswith("signed in from 10.0.0.9")


def test_a_failed_sign_in_is_recorded_against_the_account_tried(client, person):
    sign_in(client, "signatory", "wrong-password")
    (event,) = events("account.sign_in_failed")
    assert (event.actor, event.target_id) == (None, person.pk)
    assert "from 10.0.0.9" in event.summary


def test_a_failed_sign_in_for_a_username_that_names_nobody_records_nothing(client, person):
    sign_in(client, "nobody", "wrong-password")
    assert not AuditEvent.objects.exists()


def test_a_lockout_is_recorded_once(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        sign_in(client, "signatory", "wrong-password")
    (event,) = events("account.locked_out")
    assert event.target_id == person.pk
    assert re.search(r"locked from 10\.0\.0\.9 until \d\d:\d\d", event.summary)
    assert len(events("account.sign_in_failed")) == settings.AXES_FAILURE_LIMIT + 2


def test_changing_the_password_is_recorded(client, person):
    client.force_login(person)
    new = "lantern-orchard-velvet"
    client.post("/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    (event,) = events("account.password_changed")
    assert (event.actor, event.target_id) == (person, person.pk)


def test_a_refused_password_change_records_nothing(client, person):
    client.force_login(person)
    client.post("/account/password/", {"old_password": "wrong", "new_password1": "x", "new_password2": "x"})
    assert events("account.password_changed") == []


def test_a_completed_reset_is_recorded(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/password/reset/", {"email": "sam@example.nhs.uk"})
    assert events("account.password_reset") == []  # asking is not resetting
    link = re.search(r"https?://[^/\s]+(/account/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    new = "lantern-orchard-velvet"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    (event,) = events("account.password_reset")
    assert (event.actor, event.target_id) == (person, person.pk)
