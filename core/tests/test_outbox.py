"""The outbox: a task is written with the change that needs it, handed over after the commit, and done by beat when
the hand-over failed or the worker died; never lost, never a failed request."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time
from kombu.exceptions import OperationalError

from core import outbox
from core.models import OutboxMessage
from core.services import queue_after_commit
from core.tasks import run_outbox_message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET_TASK = "core.tasks.send_password_reset_email"


@pytest.fixture
def person():
    return UserFactory(username="known", email="known@example.nhs.uk")


def broker_down(error=None):
    return mock.patch.object(
        run_outbox_message, "apply_async", side_effect=error or OperationalError("Error 111 connecting. Refused.")
    )


def test_a_task_is_written_with_the_change_and_done_after_the_commit(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_after_commit(RESET_TASK, person.email)
    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.attempts) == (RESET_TASK, [person.email], 1)
    assert message.done_at is not None and message.last_error == ""
    assert [email.to for email in mail.outbox] == [[person.email]]


def test_a_change_that_rolls_back_leaves_no_task(person, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_after_commit(RESET_TASK, person.email)
        raise RuntimeError("the change failed")
    assert callbacks == [] and OutboxMessage.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize(
    "error",
    [OperationalError("Connection refused"), RuntimeError("Retry limit exceeded while trying to reconnect"), OSError()],
)
def test_with_the_broker_down_the_task_waits_and_beat_does_it_once(person, django_capture_on_commit_callbacks, error):
    with broker_down(error), django_capture_on_commit_callbacks(execute=True):
        queue_after_commit(RESET_TASK, person.email)
    message = OutboxMessage.objects.get()
    assert message.done_at is None and message.last_error.startswith("Broker:")
    assert mail.outbox == []

    assert outbox.run_due() == 0, "too young: its hand-over may still be on the way"
    with freeze_time(timezone.now() + outbox.HANDOVER_GRACE + timedelta(seconds=1)):
        assert outbox.run_due() == 1
        assert outbox.run_due() == 0
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().done_at is not None


def test_a_message_claimed_by_a_worker_is_left_to_it_until_the_lease_runs_out(person):
    message = OutboxMessage.objects.create(task=RESET_TASK, args=[person.email])
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(hours=1), claimed_at=timezone.now() - timedelta(minutes=5)
    )
    assert outbox.due_ids() == [] and outbox.run(message.pk) is False
    with freeze_time(timezone.now() + outbox.LEASE):
        assert outbox.due_ids() == [message.pk]
        assert outbox.run_due() == 1
    assert len(mail.outbox) == 1


def test_a_task_that_fails_is_left_for_the_next_run_with_its_error(person):
    message = OutboxMessage.objects.create(
        task=RESET_TASK, args=[person.email], created_at=timezone.now() - timedelta(hours=1)
    )
    with mock.patch("core.tasks.PasswordResetForInvitedForm.save", side_effect=ConnectionRefusedError("SMTP down")):
        assert outbox.run_due() == 0
    message.refresh_from_db()
    assert message.done_at is None and message.claimed_at is None and message.attempts == 1
    assert message.last_error == "ConnectionRefusedError: SMTP down"
    assert outbox.run_due() == 1
    assert len(mail.outbox) == 1


def test_done_messages_are_forgotten_after_a_week(person):
    old = OutboxMessage.objects.create(task=RESET_TASK, args=[], done_at=timezone.now() - timedelta(days=8))
    recent = OutboxMessage.objects.create(task=RESET_TASK, args=[], done_at=timezone.now() - timedelta(days=1))
    outbox.run_due()
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk


def test_healthz_reports_the_backlog_and_its_age(client, person):
    assert client.get("/healthz").json()["outbox_waiting"] == 0
    OutboxMessage.objects.create(task=RESET_TASK, args=[], created_at=timezone.now() - timedelta(minutes=7))
    OutboxMessage.objects.create(task=RESET_TASK, args=[])
    body = client.get("/healthz").json()
    assert body["outbox_waiting"] == 2
    assert 7 * 60 <= body["outbox_oldest_seconds"] < 8 * 60
