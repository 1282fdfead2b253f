"""Someone invited by their lead, who never chose a password (or let the invitation's link expire), can still get in
through "Forgotten your password?": the email reaches them and its link sets their password. Only active accounts."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from partnerships.models import Role
from partnerships.services import person_invite

pytestmark = pytest.mark.django_db

RESET = "/account/password/reset/"


@pytest.fixture
def invited(world):
    person = person_invite(
        actor=world.lead,
        partnership=world.partnership,
        username="newcomer",
        email="Nia.Okafor@example.nhs.uk",
        first_name="Nia",
        last_name="Okafor",
        organisation=world.trust,
        roles=[Role.MEMBER],
        send_invitation=False,
    )
    assert not person.has_usable_password()
    return person


def test_an_invited_person_who_never_set_a_password_is_sent_a_reset_link_that_sets_one(
    client, invited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends it, after the request
        response = client.post(RESET, {"email": "nia.okafor@EXAMPLE.nhs.uk"})  # the address in another case
    assert response["Location"] == "/account/password/reset/sent/"
    assert [email.to for email in mail.outbox] == [["Nia.Okafor@example.nhs.uk"]]
    link = re.search(r"https?://[^/\s]+(/account/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    chosen = {"new_password1": "first-ever-password", "new_password2": "first-ever-password"}
    done = client.post(form_page.redirect_chain[-1][0], chosen)
    assert done["Location"] == "/account/password/reset/done/"
    invited.refresh_from_db()
    assert invited.check_password("first-ever-password")
    assert client.post("/sign-in/", {"username": "newcomer", "password": "first-ever-password"}).status_code == 302
    assert b"Choose a new password" not in client.get(link, follow=True).content  # the link is spent


def test_a_switched_off_invited_account_is_sent_nothing(client, invited, django_capture_on_commit_callbacks):
    get_user_model().objects.filter(pk=invited.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(RESET, {"email": "Nia.Okafor@example.nhs.uk"})
    assert len(callbacks) == 1  # the worker was asked, as for any address
    assert response["Location"] == "/account/password/reset/sent/"  # the same answer, so nobody learns who exists
    assert mail.outbox == []
