"""The transactional outbox: whatever must happen after a change commits (an email, a digest build) is written as a
row in the change's own transaction, so it exists exactly when the change does.

After the commit the row is handed to the worker (`dispatch`). When the broker cannot take it — Redis down, the
network gone — the person's request still succeeds: the row waits, and beat hands every waiting row to a worker
each minute (`run_due`), as it does one whose worker died part-way (its claim lapses after `LEASE`). A task may
therefore run twice; every task the project queues is written to be safe to run again, and each email is sent at
most once under its own key (core/emails.py).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# A worker that took a message and has not finished it within this long is taken to have died.
LEASE = timedelta(minutes=10)
# Beat leaves younger messages to the hand-over after their commit.
HANDOVER_GRACE = timedelta(minutes=1)
# Done messages are kept this long, to be looked at, then deleted.
KEEP_DONE = timedelta(days=7)


# What a broker that is down raises from `apply_async`: kombu's OperationalError, a socket's OSError, redis-py's
# errors, and the RuntimeError ("Retry limit exceeded") of Celery's Redis result backend.
BROKER_DOWN = (OperationalError, OSError, RedisError, RuntimeError)


def enqueue(task: str, *args) -> OutboxMessage:
    """Write the task at dotted path `task`, with `args` (JSON: ids and strings), into the current transaction, and
    hand it to the worker once that commits (never if it rolls back)."""
    message = OutboxMessage.objects.create(task=task, args=list(args))
    transaction.on_commit(lambda: dispatch(message.pk))
    return message


def dispatch(pk: int) -> bool:
    """Hand one message to the worker; False, with the message left waiting for beat, when the broker is down."""
    from .tasks import run_outbox_message  # the tasks module imports the services that import this one

    try:
        run_outbox_message.apply_async(args=[pk], retry=False, ignore_result=True)
    except BROKER_DOWN as error:
        logger.warning("Outbox message %s waits for the broker: %s", pk, error)
        OutboxMessage.objects.filter(pk=pk).update(last_error=f"Broker: {error}"[:300])
        return False
    return True


def run(pk: int) -> bool:
    """Claim the message and do its task here, in this worker; True when this call did it. A message done already,
    or claimed by another worker within the lease, is left alone. A task that fails leaves the message for the next
    run, with its error."""
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=pk, done_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=pk)
    try:
        import_string(message.task)(*message.args)
    except Exception as error:
        OutboxMessage.objects.filter(pk=pk).update(claimed_at=None, last_error=f"{type(error).__name__}: {error}"[:300])
        raise
    OutboxMessage.objects.filter(pk=pk).update(done_at=timezone.now(), last_error="")
    return True


def due_ids(now=None) -> list[int]:
    """Messages beat should run: not done, older than the hand-over grace, and not claimed within the lease."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(done_at__isnull=True, created_at__lt=now - HANDOVER_GRACE)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )


def run_due() -> int:
    """Run every message that is due, oldest first (beat, each minute); one that fails does not stop the others.
    Old done messages are deleted. Returns how many were done."""
    done = 0
    for pk in due_ids():
        try:
            done += run(pk)
        except Exception:
            logger.exception("Outbox message %s failed; it will be tried again", pk)
    OutboxMessage.objects.filter(done_at__lt=timezone.now() - KEEP_DONE).delete()
    return done


def backlog() -> dict:
    """For /healthz: how many messages wait, and how old the oldest is, in seconds (None when none wait)."""
    waiting = OutboxMessage.objects.filter(done_at__isnull=True).aggregate(count=Count("pk"), oldest=Min("created_at"))
    oldest = waiting["oldest"]
    return {
        "waiting": waiting["count"],
        "oldest_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else None,
    }
