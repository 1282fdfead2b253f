"""Errors in the client's language (issue 17, item 5): every error under /api/ is JSON, the database down included;
pages get the NHS.UK-styled error pages, the form that could not be sent (CSRF) included."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from core.api.errors import DATABASE_UNAVAILABLE
from core.tokens import api_token_issue
from core.views import csrf_failure
from tests.factories import UserFactory
from tests.html import text

pytestmark = pytest.mark.django_db


@contextmanager
def database_down():
    """Every query fails as it does when the database cannot be reached."""
    refused = OperationalError('connection to server at "db" (10.0.0.5), port 5432 failed: Connection refused')
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=refused):
        yield


def assert_database_unavailable(response):
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": DATABASE_UNAVAILABLE}
    assert response["Retry-After"] == "60"
    assert b"<html" not in response.content.lower()


@pytest.fixture
def person():
    return UserFactory(username="analyst")


@pytest.fixture
def token_client(person):
    """An API client with a personal token: the token is checked inside DRF's view, so the database error reaches
    DRF's exception handler."""
    _, key = api_token_issue(user=person, name="Nightly export")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    client.raise_request_exception = False
    return client


@pytest.fixture
def session_client(person):
    """A signed-in browser: its session is read by middleware before any view, so the error reaches Django's 500
    handler instead."""
    client = Client()
    client.force_login(person)
    client.raise_request_exception = False
    return client


def test_an_api_read_with_the_database_down_answers_json_503(token_client):
    with database_down():
        response = token_client.get("/api/v1/partnerships/")
    assert_database_unavailable(response)


def test_an_api_write_with_the_database_down_answers_json_503(token_client):
    with database_down():
        response = token_client.post("/api/v1/partnerships/", {"name": "Anything"}, content_type="application/json")
    assert_database_unavailable(response)


def test_an_api_request_failing_in_middleware_with_the_database_down_answers_json_503(session_client):
    with database_down():
        read = session_client.get("/api/v1/partnerships/")
        write = session_client.post("/api/v1/partnerships/", {}, content_type="application/json")
    assert_database_unavailable(read)
    assert_database_unavailable(write)


def test_a_page_with_the_database_down_is_the_nhs_problem_page(session_client):
    with database_down():
        response = session_client.get(reverse("core:help_index"))
    assert response.status_code == 500
    assert text(response, "h1") == "Sorry, there is a problem with the service"


def test_an_api_address_that_matches_nothing_answers_json_404():
    client = Client()
    client.raise_request_exception = False
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code in (401, 403, 404)  # anonymous: asked to sign in first, in JSON
    assert response["Content-Type"] == "application/json"


def test_a_signed_in_api_address_that_matches_nothing_answers_json_404(session_client):
    response = session_client.get("/api/v1/no-such-thing/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_an_api_fault_of_ours_answers_json_500(token_client):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=RuntimeError("bug")):
        response = token_client.get("/api/v1/partnerships/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_form_sent_without_its_security_token_gets_the_nhs_page_saying_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "analyst", "password": "wrong"})
    assert response.status_code == 403
    assert text(response, "h1") == "Your form could not be sent"
    assert "reload the page and try again" in text(response)
    assert "CSRF" not in response.content.decode()


def test_a_security_token_failure_under_the_api_is_json():
    request = RequestFactory().post("/api/v1/partnerships/")
    response = csrf_failure(request, reason="CSRF token missing.")
    assert (response.status_code, response["Content-Type"]) == (403, "application/json")
