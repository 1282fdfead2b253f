"""core.emails.send_each: one email to many people, each copy sent once however often the task runs."""

import pytest
from django.core import mail

from core.emails import Email, send_each
from core.models import SentEmail, User

pytestmark = pytest.mark.django_db


def compose(recipient) -> Email:
    return Email(f"Sign-off needed, {recipient.first_name}", f"Dear {recipient.first_name}, please sign.")


@pytest.fixture
def people() -> list[User]:
    return [
        User.objects.create_user("ada", "ada@example.org", first_name="Ada"),
        User.objects.create_user("ben", "ben@example.org", first_name="Ben"),
    ]


def test_each_person_gets_their_own_copy_under_their_own_key(people):
    assert send_each(people, key="signoff_opened:7", compose=compose) == 2
    assert [(email.to, email.subject, email.body) for email in mail.outbox] == [
        (["ada@example.org"], "Sign-off needed, Ada", "Dear Ada, please sign."),
        (["ben@example.org"], "Sign-off needed, Ben", "Dear Ben, please sign."),
    ]
    assert sorted(SentEmail.objects.values_list("key", flat=True)) == sorted(
        f"signoff_opened:7:{person.pk}" for person in people
    )


def test_running_again_sends_nobody_a_second_copy_but_reaches_someone_new(people):
    send_each(people, key="signoff_opened:7", compose=compose)
    newcomer = User.objects.create_user("cat", "cat@example.org", first_name="Cat")
    assert send_each([*people, newcomer], key="signoff_opened:7", compose=compose) == 1
    assert [email.to for email in mail.outbox] == [["ada@example.org"], ["ben@example.org"], ["cat@example.org"]]


def test_another_key_is_another_email(people):
    send_each(people, key="signoff_opened:7", compose=compose)
    assert send_each(people, key="signoff_reminder:7", compose=compose) == 2
    assert len(mail.outbox) == 4


def test_someone_without_an_email_address_is_skipped(people):
    people[0].email = ""
    assert send_each(people, key="outcome:7", compose=compose) == 1
    assert [email.to for email in mail.outbox] == [["ben@example.org"]]


def test_an_html_copy_goes_beside_the_text(people):
    send_each(people[:1], key="digest:3", compose=lambda person: Email("Digest", "Text", "<p>HTML</p>"))
    assert mail.outbox[0].alternatives[0][:2] == ("<p>HTML</p>", "text/html")
