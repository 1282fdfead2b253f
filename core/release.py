"""What is running, for /healthz: the release (the image's build, else the checkout's commit) and whether the
database's migrations match the code's."""

import functools
import subprocess
import tomllib

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@functools.cache
def version() -> str:
    """The project's version with the build it came from: BUILD_VERSION (the image is built with the git commit,
    docs/operations.md), else the commit of a git checkout, else the version alone."""
    with (settings.BASE_DIR / "pyproject.toml").open("rb") as handle:
        number = tomllib.load(handle)["project"]["version"]
    build = settings.BUILD_VERSION or _git_commit()
    return f"{number}+{build}" if build else number


def _git_commit() -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip()


_migrated = False


def migrations_pending() -> int:
    """How many of the code's migrations the database lacks. Once it lacks none, the answer is kept for the life of
    the process: a running release's migrations are not unapplied under it, and reading them costs tens of ms."""
    global _migrated
    if _migrated:
        return 0
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrated = pending == 0
    return pending
