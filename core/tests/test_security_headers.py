"""Security headers: no-store on every answer to a signed-in person, Permissions-Policy on every answer."""

import pytest
from django.test import Client

from core.middleware import PERMISSIONS_POLICY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in_client(client):
    client.force_login(UserFactory(username="leah"))
    return client


def test_a_signed_in_page_is_not_stored(signed_in_client):
    response = signed_in_client.get("/partnerships/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_public_start_page_is_not_stored_when_signed_in_but_may_be_when_anonymous(signed_in_client):
    assert "no-store" in signed_in_client.get("/")["Cache-Control"]
    assert "no-store" not in Client().get("/").get("Cache-Control", "")


def test_a_signed_in_api_answer_is_not_stored(signed_in_client):
    response = signed_in_client.get("/api/v1/partnerships/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_api_answer_to_a_token_is_not_stored_even_when_refused():
    response = Client().get("/api/v1/partnerships/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
    assert "no-store" in response["Cache-Control"]


def test_a_static_file_stays_cacheable_but_carries_the_permissions_policy(signed_in_client):
    response = signed_in_client.get("/static/js/portal.mjs")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.parametrize("path", ["/", "/sign-in/", "/no-such-page/"])
def test_every_answer_denies_the_browser_features_the_service_does_not_use(path):
    policy = Client().get(path)["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert f"{feature}=()" in policy
