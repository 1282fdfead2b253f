"""A lead resets the second factor of someone who lost their phone: who may, what it ends, and bad input."""

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent, SignedInSession
from core.tokens import api_token_issue
from partnerships.models import Role
from tests.factories import UserFactory, grant
from tests.fixtures import PERSONAS, client_for
from tests.html import error_summary, parse, text

pytestmark = pytest.mark.django_db


def url(person) -> str:
    return f"/partnerships/QZZ/people/{person.pk}/second-factor/reset/"


def with_second_factor(user):
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True).token_set.create(token="abcde12345")
    return user


def colleague(world):
    """Someone in QZZ only, who has lost the phone with their authenticator app (not one of the personas, who would
    then owe a code on every page of these tests)."""
    person = UserFactory(username="colleague", first_name="Sam", last_name="Patel")
    grant(person, world.partnership, Role.MEMBER)
    return with_second_factor(person)


def devices(user) -> int:
    return TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_lead_may_open_and_submit_the_reset(client, world, persona):
    person = colleague(world)
    client = client_for(client, world, persona)
    opened, submitted = client.get(url(person)), client.post(url(person), {"reason": "Lost phone"})
    if persona == "anonymous":
        assert (opened.status_code, submitted.status_code) == (302, 302)
        assert opened["Location"].startswith("/sign-in/")
    elif persona == "outsider":
        assert (opened.status_code, submitted.status_code) == (404, 404)
    elif persona != "lead":
        assert (opened.status_code, submitted.status_code) == (403, 403)
    else:
        assert opened.status_code == 200
        assert submitted.status_code == 302, error_summary(submitted)
        assert devices(person) == 0
        return
    assert devices(person) == 2


def test_the_reset_ends_the_app_codes_tokens_and_sessions_and_tells_the_person(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    person = colleague(world)
    api_token_issue(user=person, name="Nightly export")
    other = Client()
    other.force_login(person)
    assert SignedInSession.objects.filter(user=person).count() == 1
    client.force_login(world.lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(person), {"reason": "Lost phone, confirmed by telephone"})

    assert response["Location"] == f"/partnerships/QZZ/people/{person.pk}/change/"
    assert devices(person) == 0
    assert person.auth_token_set.count() == 0
    assert SignedInSession.objects.filter(user=person).count() == 0
    assert other.get("/my-sign-offs/").status_code == 302  # the person's own browser is signed out
    event = AuditEvent.objects.get(action="second_factor.reset")
    assert (event.actor, event.target_id, event.partnership_id) == (world.lead, person.pk, world.partnership.pk)
    assert event.reason == "Lost phone, confirmed by telephone"
    assert AuditEvent.objects.filter(action="api_token.revoked", target_id=person.pk).exists()
    [email] = mailoutbox
    assert email.to == [person.email]
    assert "second factor" in email.subject and world.lead.get_full_name() in email.body
    assert "has been reset" in text(client.get(response["Location"]))


def test_the_person_page_offers_the_reset_only_when_there_is_something_to_reset(client, world):
    client.force_login(world.lead)
    page = f"/partnerships/QZZ/people/{world.member.pk}/change/"
    assert parse(client.get(page)).find("a", href=url(world.member)) is None
    person = colleague(world)
    page = f"/partnerships/QZZ/people/{person.pk}/change/"
    assert parse(client.get(page)).find("a", href=url(person)) is not None


def test_someone_who_acts_in_another_partnership_is_reset_only_by_a_service_administrator(client, world):
    person = colleague(world)
    grant(person, world.other_partnership, Role.MEMBER)
    client.force_login(world.lead)
    page = client.get(url(person))
    assert "only a service administrator" in parse(page).select_one("#refusal").get_text()
    assert client.post(url(person), {"reason": "Lost phone"}).status_code == 403
    assert devices(person) == 2

    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    assert client.post(url(person), {"reason": "Lost phone"}).status_code == 302
    assert devices(person) == 0


def test_a_lead_cannot_reset_their_own(client, world):
    client.force_login(world.lead)
    with_second_factor(world.lead)
    assert client.post(url(world.lead), {"reason": "Mine"}).status_code == 403
    assert devices(world.lead) == 2


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Say why you are resetting the second factor"),
        ("   ", "Say why you are resetting the second factor"),
        ("x" * 501, "The reason must be 500 characters or fewer"),
        ("<script>alert(1)</script>", "HTML"),
    ],
)
def test_bad_reasons_are_refused_and_nothing_changes(client, world, reason, message):
    person = colleague(world)
    client.force_login(world.lead)
    before = AuditEvent.objects.count()
    response = client.post(url(person), {"reason": reason})
    assert response.status_code == 400
    assert message.lower() in str(error_summary(response)).lower()
    assert devices(person) == 2
    assert AuditEvent.objects.count() == before


def test_nobody_to_reset(client, world):
    client.force_login(world.lead)
    page = client.get(url(world.member))
    assert "has no second factor to reset" in parse(page).select_one("#refusal").get_text()
    response = client.post(url(world.member), {"reason": "Lost phone"})
    assert response.status_code == 400
    assert error_summary(response) == [(f"{world.member.display_name} has no second factor to reset", None)]
