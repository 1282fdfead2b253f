"""Personal API tokens: made on the "API tokens" page or by /api/v1/auth/token/, stored hashed, expiring, listed and
revoked by their owner only, and all revoked when the password changes or the account is switched off."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from core.models import ApiToken, AuditEvent
from core.tokens import api_token_issue, revoke_all_tokens
from tests.api_client import SchemaCheckedClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("account:api_tokens")
TOKEN_URL = "/api/v1/auth/token/"
SOME_API_PAGE = "/api/v1/partnerships/"


def api_with(token: str) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def audit_of(user, action="api_token.issued"):
    return AuditEvent.objects.filter(
        action=action, target_type=ContentType.objects.get_for_model(user), target_id=user.pk
    )


@pytest.fixture
def owner():
    return UserFactory(username="owner")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


# The page


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_new_token_is_shown_once_and_works(owner_client, owner):
    response = owner_client.post(PAGE, {"name": "Monthly export", "days": "30"})

    assert response.status_code == 200
    plain = re.search(r'<code id="new-token">([0-9a-f]{64})</code>', response.content.decode()).group(1)
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=owner)
    assert token.name == "Monthly export"
    assert abs(token.expiry - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert api_with(plain).get(SOME_API_PAGE).status_code == 200

    again = owner_client.get(PAGE).content.decode()
    assert "Monthly export" in again
    assert plain not in again


def test_the_list_shows_only_the_owners_tokens(owner_client, owner):
    api_token_issue(user=owner, name="Mine")
    api_token_issue(user=UserFactory(), name="Someone else's")
    page = owner_client.get(PAGE).content.decode()
    assert "Mine" in page
    assert "Someone else" not in page


def test_tokens_are_stored_hashed(owner):
    _, plain = api_token_issue(user=owner, name="Hashed")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert plain not in stored
    assert ApiToken.objects.get().digest != plain


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "days": "90"}, "name", "Enter"),
        ({"name": "x" * 101, "days": "90"}, "name", "100 characters or fewer"),
        ({"name": "<b>bold</b>", "days": "90"}, "name", "Remove the HTML tags"),
        ({"name": "Export", "days": "365"}, "days", "from the list"),
        ({"name": "Export", "days": "0"}, "days", "from the list"),
        ({"name": "Export"}, "days", "Choose"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(owner_client, data, field, message):
    response = owner_client.post(PAGE, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="{field}-error"' in page or f'id="id_{field}-error"' in page
    assert message in page
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="api_token.").exists()


def test_the_service_refuses_a_life_longer_than_the_setting(owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_issue(user=owner, name="Forever", days=settings.API_TOKEN_DAYS + 1)
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_and_it_stops_working(owner_client, owner):
    token, plain = api_token_issue(user=owner, name="Old script")
    response = owner_client.post(reverse("account:api_token_revoke", args=[token.public_id]))
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert api_with(plain).get(SOME_API_PAGE).status_code == 401
    event = audit_of(owner, "api_token.revoked").get()
    assert event.actor == owner
    assert event.changes["name"] == ["Old script", None]


def test_another_person_cannot_revoke_a_token(client, owner):
    token, plain = api_token_issue(user=owner, name="Mine")
    client.force_login(UserFactory())
    response = client.post(reverse("account:api_token_revoke", args=[token.public_id]))
    assert response.status_code == 404
    assert api_with(plain).get(SOME_API_PAGE).status_code == 200


def test_anonymous_cannot_revoke_a_token(client, owner):
    token, _ = api_token_issue(user=owner, name="Mine")
    response = client.post(reverse("account:api_token_revoke", args=[token.public_id]))
    assert response.status_code == 302
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_get_of_the_revoke_address_goes_back_to_the_page(owner_client, owner):
    token, _ = api_token_issue(user=owner, name="Mine")
    response = owner_client.get(reverse("account:api_token_revoke", args=[token.public_id]))
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert ApiToken.objects.exists()


def test_issuing_is_audited_with_name_and_expiry(owner_client, owner):
    owner_client.post(PAGE, {"name": "Audited", "days": "7"})
    event = audit_of(owner).get()
    assert event.actor == owner
    assert event.changes["name"] == [None, "Audited"]
    assert event.changes["expiry"][1].startswith(str((timezone.now() + timedelta(days=7)).date()))


# Expiry and revocation


def test_an_expired_token_answers_401_and_is_deleted(owner):
    _, plain = api_token_issue(user=owner, name="Short", days=7)
    with freeze_time(timezone.now() + timedelta(days=7, seconds=1)):
        assert api_with(plain).get(SOME_API_PAGE).status_code == 401
    assert not ApiToken.objects.exists()


def test_using_a_token_notes_when_it_was_last_used(owner):
    token, plain = api_token_issue(user=owner, name="Used")
    assert token.last_used is None
    api_with(plain).get(SOME_API_PAGE)
    token.refresh_from_db()
    assert token.last_used is not None


def test_changing_the_password_revokes_every_token(owner_client, owner):
    _, first = api_token_issue(user=owner, name="First")
    _, second = api_token_issue(user=owner, name="Second")
    response = owner_client.post(
        reverse("account:password_change"),
        {
            "old_password": settings.DEMO_PASSWORD,
            "new_password1": "a-much-longer-new-passphrase",
            "new_password2": "a-much-longer-new-passphrase",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert api_with(first).get(SOME_API_PAGE).status_code == 401
    assert api_with(second).get(SOME_API_PAGE).status_code == 401
    event = audit_of(owner, "api_token.revoked").get()
    assert event.reason == "password changed"
    assert sorted(event.changes["name"][0]) == ["First", "Second"]


def test_setting_a_password_anywhere_revokes_the_tokens(owner):
    api_token_issue(user=owner, name="Mine")
    owner.set_password("another-long-passphrase")
    owner.save()
    assert not ApiToken.objects.exists()


def test_saving_the_same_password_rehashed_keeps_the_tokens(owner):
    api_token_issue(user=owner, name="Mine")
    owner.set_password(settings.DEMO_PASSWORD)  # a new salt, so a new hash, for the same password
    owner.save()
    assert ApiToken.objects.exists()


def test_signing_in_keeps_the_tokens(client, owner):
    api_token_issue(user=owner, name="Mine")
    client.post("/sign-in/", {"username": "owner", "password": settings.DEMO_PASSWORD})
    assert ApiToken.objects.exists()


def test_switching_the_account_off_revokes_every_token(owner):
    _, plain = api_token_issue(user=owner, name="Mine")
    owner.is_active = False
    owner.save()
    assert not ApiToken.objects.exists()
    assert audit_of(owner, "api_token.revoked").get().reason == "account deactivated"
    assert api_with(plain).get(SOME_API_PAGE).status_code == 401


def test_revoke_all_tokens_is_there_for_a_second_factor_reset(owner):
    api_token_issue(user=owner, name="One")
    assert revoke_all_tokens(owner, reason="second factor reset") == 1
    assert revoke_all_tokens(owner, reason="second factor reset") == 0
    assert audit_of(owner, "api_token.revoked").count() == 1


# The endpoint for scripts


def test_the_endpoint_issues_a_named_expiring_token(owner):
    response = SchemaCheckedClient().post(TOKEN_URL, {"username": "owner", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 200
    body = response.json()
    token = ApiToken.objects.get(user=owner)
    assert body["name"] == token.name
    assert token.name.startswith("Issued to a script on ")
    assert abs(token.expiry - (timezone.now() + timedelta(days=settings.API_TOKEN_DAYS))) < timedelta(minutes=1)
    assert api_with(body["token"]).get(SOME_API_PAGE).status_code == 200
    assert audit_of(owner).count() == 1


def test_the_endpoint_refuses_a_wrong_password_and_writes_nothing(owner):
    response = SchemaCheckedClient().post(TOKEN_URL, {"username": "owner", "password": "guess"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="api_token.").exists()
