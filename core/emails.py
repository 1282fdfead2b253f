"""Emails sent at most once, for every app's Celery tasks.

`send_once` inserts a `SentEmail` row under a unique key and sends the email inside the same small transaction. If
the send fails, the row rolls back and a retry sends it; if it was sent, the committed row makes a retry (or a second
worker running the same task) skip it. A worker killed in the instant between the mail server accepting the email
and the commit is the one case that could send twice; nothing can close that gap with SMTP, and it is far narrower
than re-sending a whole batch.

`send_each` is the one loop for an email to many people: each person's copy under its own key, so a retry sends only
the copies that did not go.
"""

from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import SentEmail


class Email(NamedTuple):
    """One person's copy of an email: its subject, its text, and optionally the same in HTML."""

    subject: str
    body: str
    html: str = ""


def send_once(*, key: str, recipient, subject: str, body: str, html: str = "") -> bool:
    """Send one email unless an email with `key` was already sent. True if this call sent it; `html`, when given,
    is sent beside the text as its HTML alternative."""
    if not recipient.email:
        return False
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, recipient=recipient)
            send_mail(subject, body, None, [recipient.email], html_message=html or None)
    except IntegrityError:  # already sent, by an earlier run or by another worker that has just committed
        return False
    return True


def send_each(recipients: Iterable, *, key: str, compose: Callable[..., Email]) -> int:
    """Send `compose(recipient)` to each recipient, each at most once, under the key `<key>:<recipient's id>`: the
    same email to the same person always has the same key, so a rerun skips whoever already has theirs. A copy is
    composed only when its turn comes. Returns how many this call sent."""
    sent = 0
    for recipient in recipients:
        email = compose(recipient)
        sent += send_once(
            key=f"{key}:{recipient.pk}", recipient=recipient, subject=email.subject, body=email.body, html=email.html
        )
    return sent
