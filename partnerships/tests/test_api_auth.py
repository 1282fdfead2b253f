"""Signing in to the API: tokens, lockout after repeated failures, sessions with CSRF, and anonymous requests."""

import pytest
from django.urls import reverse

from core.models import ApiToken
from tests.api_client import SchemaCheckedClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_a_username_and_password_give_a_token_that_signs_requests_in(world, settings):
    client = SchemaCheckedClient()
    response = client.post(TOKEN_URL, {"username": "lead", "password": "partnership-demo"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=world.lead).digest != token  # stored hashed: core/tests/test_api_tokens.py

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = client.get(reverse("api:partnership-list")).json()
    assert [partnership["code"] for partnership in listed["results"]] == ["QZZ"]


def test_asking_again_gives_another_token_and_both_work(world):
    client = SchemaCheckedClient()
    first = client.post(TOKEN_URL, {"username": "board", "password": "partnership-demo"}).json()["token"]
    second = client.post(TOKEN_URL, {"username": "board", "password": "partnership-demo"}).json()["token"]
    assert first != second
    for token in (first, second):
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get(reverse("api:partnership-list")).status_code == 200


def test_a_wrong_password_gives_no_token(world):
    response = SchemaCheckedClient().post(TOKEN_URL, {"username": "lead", "password": "guess"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The username or password is not right."]}
    assert not ApiToken.objects.exists()


def test_a_missing_password_is_named(world):
    response = SchemaCheckedClient().post(TOKEN_URL, {"username": "lead"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"password": ["This field is required."]}


def test_a_deactivated_account_gets_no_token(world):
    UserFactory(username="gone", is_active=False)
    response = SchemaCheckedClient().post(
        TOKEN_URL, {"username": "gone", "password": "partnership-demo"}, format="json"
    )
    assert response.status_code == 400


def test_repeated_failures_lock_the_account_even_against_the_right_password(world, settings):
    client = SchemaCheckedClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(TOKEN_URL, {"username": "board", "password": "guess"}).status_code == 400
    last_failure = client.post(TOKEN_URL, {"username": "board", "password": "guess"})
    assert last_failure.status_code == 429

    response = client.post(TOKEN_URL, {"username": "board", "password": "partnership-demo"}, format="json")

    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Too many failed attempts: this account is locked for 15 minutes. Try again later."
    )
    assert int(response["Retry-After"]) == 15 * 60
    assert not ApiToken.objects.filter(user=world.board).exists()


def test_a_lockout_from_the_api_also_holds_at_the_sign_in_page(world, client, settings):
    api = SchemaCheckedClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(TOKEN_URL, {"username": "board", "password": "guess"})
    response = client.post("/sign-in/", {"username": "board", "password": "partnership-demo"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_request_without_credentials_is_401_and_says_to_send_a_token(db):
    response = SchemaCheckedClient().get(reverse("api:delegation-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_401(world):
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(reverse("api:partnership-list")).status_code == 401


def test_a_signed_in_session_reads_the_api(world, api_client):
    client = api_client
    client.force_login(world.viewer)
    response = client.get(reverse("api:partnership-detail", args=["QZZ"]))
    assert response.status_code == 200
    assert response.json()["name"] == "Demo Health and Care Partnership"


def test_a_session_write_needs_the_csrf_token(world):
    client = SchemaCheckedClient(enforce_csrf_checks=True)
    client.force_login(world.lead)
    url = reverse("api:partnership-detail", args=["QZZ"])

    refused = client.patch(url, {"region": "London"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    csrf = "a" * 32  # what a page's CSRF cookie holds; the header must repeat it
    client.cookies["csrftoken"] = csrf
    accepted = client.patch(url, {"region": "London"}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 200
    assert accepted.json()["region"] == "London"


def test_the_api_answers_json_even_to_a_browser(world, api_client):
    client = api_client
    client.force_login(world.viewer)
    response = client.get(reverse("api:partnership-list"), HTTP_ACCEPT="text/html,*/*")
    assert response["Content-Type"] == "application/json"
