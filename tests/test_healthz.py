import logging
import re
from unittest import mock

import pytest
from celery import Celery
from django.db.utils import OperationalError

from core import release

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


def test_healthz_reports_the_release_and_that_every_migration_is_applied(client):
    body = client.get("/healthz").json()
    assert body["migrations"] == "applied"
    assert re.fullmatch(r"\d+\.\d+\.\d+(\+[0-9a-z.]+)?", body["version"]), body["version"]


def test_healthz_names_the_build_it_was_given(client, settings):
    release.version.cache_clear()
    settings.BUILD_VERSION = "0a1b2c3d4e5f"
    try:
        assert client.get("/healthz").json()["version"].endswith("+0a1b2c3d4e5f")
    finally:
        release.version.cache_clear()


def test_healthz_is_503_while_the_database_lacks_migrations(client):
    with mock.patch("core.release.migrations_pending", return_value=2):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert (response.json()["status"], response.json()["migrations"]) == ("unavailable", "2 pending")


def test_each_request_answered_is_logged_with_its_id_and_no_query_string(client, settings, caplog):
    settings.REQUEST_LOG = True
    with caplog.at_level(logging.INFO, logger="stp_portal.requests"):
        client.get("/healthz/live?token=secret", HTTP_X_REQUEST_ID="req-7")
    (record,) = [record for record in caplog.records if record.name == "stp_portal.requests"]
    assert (record.method, record.path, record.status, record.user_id) == ("GET", "/healthz/live", 200, None)
    assert record.request_id == "req-7" and "secret" not in record.getMessage()
