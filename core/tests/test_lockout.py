"""Lockout that cannot be turned against people: failures count for a username at one address, an address alone
has a higher limit, and the address is what the trusted proxies saw, never what the client claims."""

import re

import pytest
from django.core.cache import cache

from tests.factories import UserFactory
from tests.html import text

pytestmark = pytest.mark.django_db

PASSWORD = "partnership-demo"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def sign_in(client, username, password=PASSWORD, address="10.0.0.1", **headers):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def test_failures_for_five_usernames_from_one_address_do_not_lock_a_sixth_person_there(client, settings):
    UserFactory(username="signatory")
    for number in range(settings.AXES_FAILURE_LIMIT):
        assert sign_in(client, f"guess{number}", "wrong-password").status_code == 400
    assert sign_in(client, "signatory")["Location"] == "/"


def test_failures_for_one_person_from_one_address_do_not_lock_them_from_another(client, settings):
    UserFactory(username="signatory")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "signatory", "wrong-password", address="10.0.0.1")
    assert sign_in(client, "signatory", address="10.0.0.1").status_code == 429
    assert sign_in(client, "signatory", address="10.0.0.2")["Location"] == "/"


def test_a_locked_account_page_says_what_is_locked_until_when_and_links_to_reset(client, settings):
    UserFactory(username="signatory")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "signatory", "wrong-password").status_code == 400
    response = sign_in(client, "signatory", "wrong-password")
    assert response.status_code == 429
    assert text(response, "h1") == "This account is locked from this address for now"
    assert re.search(r"paused until \d\d:\d\d\. The account can still be used from elsewhere", text(response))
    assert "A locked account can still reset its password by email" in text(response)
    assert b'href="/account/password/reset/"' in response.content
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert sign_in(client, "signatory").status_code == 429  # even the right password, while the lock lasts
    assert "_auth_user_id" not in client.session


def test_an_address_that_fails_for_many_usernames_is_locked_for_everyone_there(client, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 8
    UserFactory(username="signatory")
    for number in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1):
        assert sign_in(client, f"guess{number}", "wrong-password").status_code == 400
    last = sign_in(client, "guess-last", "wrong-password")
    assert last.status_code == 429
    assert text(last, "h1") == "Signing in from this address is paused for now"

    refused = sign_in(client, "signatory")
    assert refused.status_code == 429
    assert "Other addresses are not affected" in text(refused)
    assert sign_in(client, "signatory", address="10.0.0.2")["Location"] == "/"


def test_the_api_token_endpoint_follows_the_same_rule(client, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 8
    UserFactory(username="scripter")
    api = {"content_type": "application/json", "REMOTE_ADDR": "10.0.0.1"}
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": f"guess{number}", "password": "x"}, **api)
    assert client.post(TOKEN_URL, {"username": "scripter", "password": PASSWORD}, **api).status_code == 200
    for number in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": f"more{number}", "password": "x"}, **api)
    assert client.post(TOKEN_URL, {"username": "scripter", "password": PASSWORD}, **api).status_code == 429


def test_x_forwarded_for_is_ignored_when_no_proxy_is_trusted(client, settings):
    UserFactory(username="signatory")
    for number in range(settings.AXES_FAILURE_LIMIT):  # a new claimed address each time, the same real one
        sign_in(client, "signatory", "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert sign_in(client, "signatory", HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_behind_one_trusted_proxy_the_address_it_saw_counts_and_what_the_client_wrote_does_not(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="signatory")
    for number in range(settings.AXES_FAILURE_LIMIT):  # the client forges the left entry; the proxy appends its own
        sign_in(client, "signatory", "wrong-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.7")
    assert sign_in(client, "signatory", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # Another person behind the same proxy (same REMOTE_ADDR) is not locked.
    assert sign_in(client, "signatory", HTTP_X_FORWARDED_FOR="203.0.113.8")["Location"] == "/"
