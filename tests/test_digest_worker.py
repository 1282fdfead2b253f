"""A real Celery worker and a real beat, over real Redis and PostgreSQL, build and email the demo partnership's
scheduled board digest; running its tasks again leaves one digest and one email per board member.

The worker and beat are processes of their own (as `make run` and docker compose run them) on the test's own
PostgreSQL database, which a transactional test commits to. Their emails go to files (Django's file backend), which
the test reads. They use Redis database 12 on REDIS_URL's server, a database of their own: no other test's worker
(on another xdist process) and no developer's `make run` listens there to take these tasks.
"""

import email
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.models import SentEmail
from partnerships.models import Partnership
from reporting.models import Digest, DigestSchedule, DigestStatus
from reporting.selectors.digest_delivery import digest_recipients
from reporting.tests.digest_support import restore_default_rows, schedules_off
from tests.fixtures import process_environment, redis_url, skip_or_fail
from tests.processes import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).parent / "celery"
REDIS_DATABASE = 12
# How long a worker and beat that have just started may take to build and send the digest, or to answer a task:
# seconds on a laptop, much longer on a busy CI machine. Each wait ends as soon as its condition holds.
WAIT_SECONDS = 120


def database_url() -> str:
    """The test database, as a URL the worker and beat can use."""
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start(arguments: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(
            [str(CELERY), "-A", "stp_portal", *arguments], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def emailed(folder: Path) -> list[str]:
    """The recipient of each email the file backend wrote, one file per connection and so per email."""
    addresses = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                addresses.append(email.message_from_string(raw.strip())["To"])
    return sorted(addresses)


def test_a_real_worker_and_beat_build_and_email_the_scheduled_digest_once(tmp_path):
    if connection.vendor != "postgresql":
        skip_or_fail("The worker test needs PostgreSQL, shared with the worker: set DATABASE_URL")
    url = redis_url(REDIS_DATABASE)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()  # this test's own database: no stale tasks
    except redis.ConnectionError:
        skip_or_fail("Redis is not answering on REDIS_URL's server (default 127.0.0.1:6379)")

    restore_default_rows()
    call_command("seed_demo", stdout=StringIO())
    demo = Partnership.objects.get(code="QZZ")
    schedules_off(*Partnership.objects.exclude(pk=demo.pk))
    # A short schedule: due at the start of this hour, set a week ago, and beat asks every two seconds.
    now = timezone.localtime()
    DigestSchedule.objects.create(partnership=demo, weekday=now.weekday(), hour=now.hour)
    DigestSchedule.objects.filter(partnership=demo).update(updated_at=now - timedelta(days=7))
    period_end = DigestSchedule.objects.get(partnership=demo).due_period_end(timezone.now())
    assert period_end == now.date() and not Digest.objects.filter(partnership=demo, period_end=period_end).exists()
    board = sorted(person.email for person in digest_recipients(demo))

    mail_folder = tmp_path / "mail"
    env = process_environment(
        DEBUG="true",
        VAR_DIR=str(tmp_path),
        DATABASE_URL=database_url(),
        REDIS_URL=url,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_folder),
        DIGEST_CHECK_SECONDS="2",
    )
    (tmp_path / "celery").mkdir()  # beat keeps its schedule file there; only the embedded transport makes it
    logs = [tmp_path / "worker.log", tmp_path / "beat.log"]
    worker = start(["worker", "--pool=solo", "--concurrency=1", "--loglevel=INFO"], env, logs[0])
    beat = start(["beat", "--loglevel=INFO"], env, logs[1])
    try:
        digest = wait_for(
            lambda: Digest.objects.filter(
                partnership=demo, period_end=period_end, status=DigestStatus.BUILT, emailed_at__isnull=False
            ).first(),
            "No scheduled digest built and emailed",
            processes={"celery worker": worker, "celery beat": beat},
            logs=logs,
            seconds=WAIT_SECONDS,
        )
        assert digest.requested_by is None  # the schedule asked for it, not a person
        assert emailed(mail_folder) == board

        # Run its tasks again, through the same broker and worker: nothing new is built or sent.
        app = Celery("digest-worker-test", broker=url, backend=url)
        # The project's queues (docs/adr/0022): reporting's tasks go to "reports", which the worker reads too.
        app.conf.update(task_default_queue=settings.CELERY_TASK_DEFAULT_QUEUE, task_routes=settings.CELERY_TASK_ROUTES)
        again = app.send_task("reporting.tasks.build_digest", args=[demo.pk, period_end.isoformat()])
        assert again.get(timeout=WAIT_SECONDS) == digest.pk
        resend = app.send_task("reporting.tasks.email_digest", args=[digest.pk])
        assert resend.get(timeout=WAIT_SECONDS) == 0
        assert app.send_task("reporting.tasks.queue_due_digests").get(timeout=WAIT_SECONDS) == 0
        app.close()
    finally:
        stop(beat)
        stop(worker)
    assert Digest.objects.filter(partnership=demo, period_end=period_end).count() == 1
    assert emailed(mail_folder) == board
    assert SentEmail.objects.filter(key__startswith=f"digest:{digest.pk}:").count() == len(board)
