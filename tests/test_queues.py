"""Two Celery queues, so that a digest's build never holds up a sign-off email (docs/adr/0022)."""

import pytest

from stp_portal.celery import app


@pytest.fixture(scope="module", autouse=True)
def tasks():
    app.loader.import_default_modules()  # every app's tasks.py, as a worker imports them at start
    return app.tasks


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize(
    "task",
    ["reporting.tasks.build_digest", "reporting.tasks.email_digest", "reporting.tasks.build_export"],
)
def test_digests_and_archives_go_to_the_reports_queue(tasks, task):
    assert task in tasks
    assert queue_of(task) == "reports"


def test_every_other_task_goes_to_the_default_queue(tasks):
    others = [name for name in tasks if name.split(".")[0] in {"core", "partnerships", "workstreams", "governance"}]
    assert len(others) > 10
    assert {name: queue_of(name) for name in others} == dict.fromkeys(others, "default")


def test_a_worker_started_without_queues_takes_both():
    """`make run` and the tests run one worker: it must not leave the reports queue unread."""
    assert sorted(app.amqp.queues) == ["default", "reports"]
