"""A real Celery worker takes tasks queued by a Django process: over the embedded transport, and over Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.fixtures import process_environment, skip_or_fail

ROOT = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).parent / "celery"


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return process_environment(
        DEBUG="true", VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **extra
    )


def _ping_through_a_worker(env: dict[str, str]) -> subprocess.CompletedProcess:
    worker = subprocess.Popen(
        [str(CELERY), "-A", "stp_portal", "worker", "--concurrency=1", "--pool=solo", "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        return subprocess.run(
            [sys.executable, "manage.py", "celery_ping", "--timeout=60"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_embedded_worker_runs_a_task_queued_from_a_django_process(tmp_path):
    result = _ping_through_a_worker(_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "Worker answered: pong"
    assert any((tmp_path / "celery" / "results").iterdir()), "the answer came through the file result backend"


@pytest.mark.services
def test_worker_runs_a_task_over_real_redis(tmp_path):
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        skip_or_fail("Redis is not running on 127.0.0.1:6379")
    started = time.monotonic()
    result = _ping_through_a_worker(_environment(tmp_path, REDIS_URL=url))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "Worker answered: pong"
    assert not (tmp_path / "celery" / "queue").exists(), "Redis, not the filesystem, carried the task"
    assert time.monotonic() - started < 90
