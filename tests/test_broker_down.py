"""With the broker down, a lead opens sign-off and the last signatory approves through the API: both succeed, the
emails wait in the outbox, and once the broker is back each is sent exactly once (issue 17).

A real Redis of the test's own, on a port of its own, is started, stopped and started again; the tasks are handed
to it as the service hands them to its broker. The rest of the suite's Redis is never touched."""

import shutil
import socket
import subprocess
import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
import redis
from celery import Celery
from django.utils import timezone
from freezegun import freeze_time

from core import outbox
from core.models import OutboxMessage
from core.tasks import run_outbox_message
from governance import services
from governance.models import DecisionStatus
from governance.tests.support import propose, signatories
from tests.api_client import token_for
from tests.fixtures import skip_or_fail

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server process on a port of its own, which the test stops and starts."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            skip_or_fail("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def queued(self) -> int:
        return redis.Redis.from_url(self.url).llen("celery")


@pytest.fixture
def broker():
    """The service's hand-over, pointed at the test's own Redis (in place of the suite's in-process one)."""
    own = OwnRedis()
    own.start()
    app = Celery("broker-down-test", broker=own.url, set_as_current=False)
    app.conf.broker_connection_timeout = 1

    def hand_over(args, **options):
        return app.send_task(run_outbox_message.name, args=args, **options)

    with mock.patch.object(run_outbox_message, "apply_async", side_effect=hand_over):
        yield own
    if own.process.poll() is None:
        own.stop()


def test_opening_sign_off_and_the_final_vote_succeed_and_every_email_goes_once_the_broker_is_back(
    world, api_client, broker, mailoutbox, django_capture_on_commit_callbacks
):
    signatories(world)
    decision = propose(world)
    services.decision_open_for_challenge(actor=decision.proposer, decision=decision)
    broker.stop()

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.lead)}")
    with django_capture_on_commit_callbacks(execute=True):
        opened = api_client.post(f"/api/v1/decisions/{decision.pk}/open-sign-off/", {}, format="json")
    assert opened.status_code == 200, opened.content

    for signatory in (world.board, world.council_director):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(signatory)}")
        with django_capture_on_commit_callbacks(execute=True):
            voted = api_client.post(
                "/api/v1/signoffs/",
                {"decision": decision.pk, "vote": "approve", "declares_no_interest": True},
                format="json",
            )
        assert voted.status_code == 201, voted.content
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED

    waiting = OutboxMessage.objects.filter(done_at__isnull=True)
    assert {message.task for message in waiting} >= {
        "governance.tasks.notify_signoff_opened",
        "governance.tasks.notify_decision_outcome",
    }
    assert all(message.last_error.startswith("Broker:") for message in waiting)
    assert mailoutbox == [], "nothing was sent while the broker was down"

    broker.start()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.dispatch(waiting[0].pk) is True
    assert broker.queued() == 1, "the hand-over reaches the broker again"

    with freeze_time(timezone.now() + outbox.HANDOVER_GRACE + timedelta(seconds=1)):
        assert outbox.run_due() == len(waiting)
        sent = len(mailoutbox)
        assert outbox.run_due() == 0
    assert sent > 0 and len(mailoutbox) == sent, "a second run sends nothing again"
    copies = Counter((tuple(email.to), email.subject) for email in mailoutbox)
    assert max(copies.values()) == 1, copies
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()
