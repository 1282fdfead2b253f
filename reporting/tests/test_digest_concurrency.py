"""Two workers building the same digest at the same moment (a task delivered twice, or beat and the lead's button
together) make one digest and send one email to each board member, proved with real concurrent transactions on
PostgreSQL (CI runs this)."""

import pytest
from django.core import mail

from core.audit import SYSTEM
from core.models import SentEmail
from reporting.models import Digest
from reporting.services.digests import digest_build
from tests.concurrency import postgresql_only, run_at_once  # noqa: F401 (a fixture)

from .digest_support import a_week

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]


def test_builds_at_the_same_moment_make_one_digest_and_one_email_each(world):
    a_week(world)
    mail.outbox.clear()

    run_at_once(*[lambda: digest_build(actor=SYSTEM, partnership=world.partnership) for _ in range(4)])

    digest = Digest.objects.get()
    assert digest.is_built and digest.emailed_at is not None
    addresses = [address for email in mail.outbox for address in email.to]
    assert (
        len(addresses)
        == len(set(addresses))
        == SentEmail.objects.filter(key__startswith=f"digest:{digest.pk}:").count()
        == 5
    )
