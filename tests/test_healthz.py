from unittest import mock

import pytest
from celery import Celery
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "unavailable"}


def test_healthz_is_503_when_the_database_does_not_answer(client):
    with mock.patch("core.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_says_the_broker_is_unavailable_when_it_cannot_connect(client):
    unreachable = Celery(broker="redis://127.0.0.1:1/0", set_as_current=False)
    with mock.patch("core.broker.app", unreachable):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "unavailable"


def test_liveness_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.services
def test_ci_runs_the_suite_on_postgresql(settings):
    """With REQUIRE_SERVICES=1 (CI) the suite must run on PostgreSQL, not fall back to SQLite."""
    from django.db import connection

    from tests.fixtures import REQUIRE_SERVICES

    if not REQUIRE_SERVICES:
        pytest.skip("only meaningful in CI, where REQUIRE_SERVICES=1")
    assert connection.vendor == "postgresql"
