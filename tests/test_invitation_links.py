"""Invitation links last INVITATION_DAYS, not the hour of a reset link, and are not reset links."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from freezegun import freeze_time

from partnerships.models import Role
from partnerships.services import person_invite

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/\S+/)", message.body).group(1)


def choose(client, link, password="lantern-orchard-velvet"):
    page = client.get(link, follow=True)
    if b"Choose a new password" not in page.content:
        return page
    return client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


@pytest.fixture
def invitation(world, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person_invite(
            actor=world.lead,
            partnership=world.partnership,
            username="newcomer",
            email="nia.okafor@example.nhs.uk",
            first_name="Nia",
            last_name="Okafor",
            organisation=world.trust,
            roles=[Role.MEMBER],
        )
    (message,) = mail.outbox
    mail.outbox.clear()
    return message


def test_an_invitation_link_still_works_days_later(client, invitation, settings):
    assert f"within {settings.INVITATION_TIMEOUT // 86400} days" in invitation.body
    with freeze_time(timedelta(days=2)):
        done = choose(client, link_in(invitation))
    assert done["Location"] == "/account/password/reset/done/"


def test_an_invitation_link_expires_after_its_days(client, invitation, settings):
    with freeze_time(timedelta(seconds=settings.INVITATION_TIMEOUT + 60)):
        assert b"Choose a new password" not in choose(client, link_in(invitation)).content


def test_an_invitation_token_is_not_a_reset_token(client, invitation):
    reset_link = link_in(invitation).replace("/account/invitation/", "/account/password/reset/")
    assert b"Choose a new password" not in client.get(reset_link, follow=True).content
