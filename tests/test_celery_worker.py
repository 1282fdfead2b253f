"""A real Celery worker takes tasks queued by a Django process: over the embedded transport, and over Redis."""

import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.fixtures import process_environment, redis_url, skip_or_fail

ROOT = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).parent / "celery"
REDIS_DATABASE = 14
# How long the worker may take to start and answer: seconds on a laptop, much longer on a busy CI machine.
ANSWER_SECONDS = 120


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return process_environment(
        DEBUG="true", VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **extra
    )


def _ping_through_a_worker(env: dict[str, str], log: Path) -> subprocess.CompletedProcess:
    """Start a worker, ask it for 'pong' from another Django process, and stop it. Its log goes to `log`."""
    with log.open("w") as output:
        worker = subprocess.Popen(
            [str(CELERY), "-A", "stp_portal", "worker", "--concurrency=1", "--pool=solo", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "celery_ping", f"--timeout={ANSWER_SECONDS}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=ANSWER_SECONDS + 60,
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    result.stderr += f"\n--- worker log\n{log.read_text()[-3000:]}"
    return result


def test_embedded_worker_runs_a_task_queued_from_a_django_process(tmp_path):
    result = _ping_through_a_worker(_environment(tmp_path), tmp_path / "worker.log")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "Worker answered: pong"
    assert any((tmp_path / "celery" / "results").iterdir()), "the answer came through the file result backend"


@pytest.mark.services
def test_worker_runs_a_task_over_real_redis(tmp_path):
    url = redis_url(REDIS_DATABASE)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        skip_or_fail("Redis is not answering on REDIS_URL's server (default 127.0.0.1:6379)")
    result = _ping_through_a_worker(_environment(tmp_path, REDIS_URL=url), tmp_path / "worker.log")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "Worker answered: pong"
    assert not (tmp_path / "celery" / "queue").exists(), "Redis, not the filesystem, carried the task"
