"""Real concurrent transactions for the race tests: they need PostgreSQL's row locks (CI runs them)."""

import threading

import pytest
from django.db import connection

from tests.fixtures import skip_or_fail


@pytest.fixture
def postgresql_only():
    """Use with `pytest.mark.usefixtures("postgresql_only")`: skip on SQLite, fail in CI."""
    if connection.vendor != "postgresql":
        skip_or_fail("Concurrency needs PostgreSQL's row locks: set DATABASE_URL to a PostgreSQL database")


def run_at_once(*functions):
    """Start every function at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait(timeout=10)
            function()
        except Exception as error:  # reported below, with the others
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
