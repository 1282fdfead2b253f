"""Signing in costs no query per request once the cache holds the session and the person (core/session_store.py,
core/user_cache.py), and whatever ends a session or changes a person still counts on the very next request."""

import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core import sessions, user_cache
from core.cache import RedisCacheClient
from core.models import SignedInSession
from core.session_store import SessionStore
from tests.factories import UserFactory
from tests.fixtures import process_environment

pytestmark = pytest.mark.django_db

SAFARI_ON_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile/15E148 Safari/604.1"


@pytest.fixture
def person():
    return UserFactory(username="leah", first_name="Leah", last_name="Adeyemi")


def signed_in(user, user_agent: str = "Firefox/128.0") -> Client:
    """A browser that has signed in through the sign-in page, and made one request since, so the cache holds both
    its session and its person."""
    browser = Client(HTTP_USER_AGENT=user_agent)
    response = browser.post(reverse("login"), {"username": user.username, "password": "partnership-demo"})
    assert response.status_code == 302, "signed in"
    assert who(browser) == user.username
    return browser


def who(browser: Client) -> str:
    """The username the next request is signed in as, or "" when it is anonymous."""
    user = browser.get(reverse("core:live")).wsgi_request.user
    return user.username if user.is_authenticated else ""


def test_a_signed_in_request_for_a_trivial_page_makes_no_query(person, django_assert_num_queries):
    browser = signed_in(person)
    with django_assert_num_queries(0):
        response = browser.get(reverse("core:live"))
    assert response.status_code == 200
    assert response.wsgi_request.user == person
    assert "no-store" in response["Cache-Control"], "answered as to a signed-in person"


def test_a_deactivated_person_is_refused_on_the_next_request(person):
    browser = signed_in(person)
    person.is_active = False
    person.save()
    assert who(browser) == ""
    assert browser.get(reverse("account:sessions")).status_code == 302, "sent to sign in"


def test_a_changed_name_shows_on_the_next_request(person):
    browser = signed_in(person)
    person.first_name = "Leona"
    person.save()
    assert browser.get(reverse("core:live")).wsgi_request.user.first_name == "Leona"


def test_a_session_revoked_from_your_sessions_is_refused_on_the_next_request(person):
    laptop = signed_in(person)
    phone = signed_in(person, SAFARI_ON_IPHONE)
    phone_record = SignedInSession.objects.get(user_agent=SAFARI_ON_IPHONE)

    laptop.post(reverse("account:session_revoke", args=[phone_record.pk]))

    assert who(phone) == ""
    assert who(laptop) == "leah"


def test_signing_out_everywhere_else_is_refused_on_the_next_request_of_each_other_browser(person):
    laptop = signed_in(person)
    phone = signed_in(person, SAFARI_ON_IPHONE)
    tablet = signed_in(person, "Chrome/126.0 Android")

    laptop.post(reverse("account:sessions_revoke_others"))

    assert (who(phone), who(tablet), who(laptop)) == ("", "", "leah")


def test_changing_the_password_ends_the_other_sessions_on_their_next_request(person):
    laptop = signed_in(person)
    phone = signed_in(person, SAFARI_ON_IPHONE)
    new_password = "a-much-longer-pass-phrase-7"

    laptop.post(
        reverse("account:password_change"),
        {"old_password": "partnership-demo", "new_password1": new_password, "new_password2": new_password},
    )

    assert who(phone) == ""
    assert who(laptop) == "leah"


def test_a_session_whose_password_hash_does_not_match_is_ended(person):
    browser = signed_in(person)
    session = browser.session
    session["_auth_user_hash"] = "not-the-hash"
    session.save()
    assert who(browser) == ""
    assert SessionStore(session.session_key).load() == {}, "ended, not only refused"


def test_a_session_read_from_the_database_just_before_it_ends_is_not_put_back_in_the_cache(person):
    """A request that read the session's row an instant before a revocation, and reaches the cache after it, must
    not bring the session back for the requests after it (Django's own cached_db would, for hours)."""
    laptop = signed_in(person)
    phone = signed_in(person, SAFARI_ON_IPHONE)
    phone_key = phone.cookies["sessionid"].value
    cache.delete(SessionStore.cache_key_prefix + phone_key)  # the cache has dropped it: the next read is the row's
    read_row = SessionStore._get_session_from_db

    def read_then_revoked(store):
        row = read_row(store)
        record = SignedInSession.objects.get(session_key=phone_key)
        sessions.session_revoke(actor=person, pk=record.pk, current_session_key=laptop.cookies["sessionid"].value)
        return row

    with mock.patch.object(SessionStore, "_get_session_from_db", read_then_revoked):
        assert SessionStore(phone_key).load(), "the request in flight read the session"

    assert who(phone) == ""


def test_a_person_read_from_the_database_just_before_a_change_is_not_kept_in_the_cache(person):
    """A request that read the row an instant before the person was deactivated stores what it read; the request
    after the change must not be given it."""
    browser = signed_in(person)
    user_cache.user_cache_forget(person.pk)
    read_user = ModelBackend.get_user

    def read_then_deactivated(backend, user_id):
        user = read_user(backend, user_id)
        person.is_active = False
        person.save()
        return user

    with mock.patch.object(ModelBackend, "get_user", read_then_deactivated):
        assert who(browser) == "leah", "the request in flight read the person before the change"

    assert who(browser) == ""


def test_the_person_is_dropped_from_the_cache_again_after_the_change_commits(
    person, django_capture_on_commit_callbacks
):
    """Between a change and its commit another request may read the old row, and store it under the token made
    after the first drop: the drop after the commit leaves that copy unused."""
    browser = signed_in(person)
    old_row = type(person).objects.get(pk=person.pk)
    with django_capture_on_commit_callbacks() as after_commit:
        person.first_name = "Leona"
        person.save()
        with mock.patch.object(ModelBackend, "get_user", return_value=old_row):
            assert who(browser) == "leah"  # a request that read the row before the commit
    assert browser.get(reverse("core:live")).wsgi_request.user.first_name == "Leah", "the old copy, until the commit"
    for callback in after_commit:
        callback()
    assert browser.get(reverse("core:live")).wsgi_request.user.first_name == "Leona"


# The cache behind it ----------------------------------------------------------------------------------------------


def test_without_redis_every_process_shares_the_cache(tmp_path):
    """A revocation or a change made in one process (the admin, the worker, a management command) must reach the
    cache that the web server's processes read: under the embedded default too, not only with Redis."""

    def run(code: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", f"from django.core.cache import cache; {code}"],
            cwd=settings.BASE_DIR,
            env=process_environment(DEBUG="true", VAR_DIR=str(tmp_path), REDIS_URL=""),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return (result.stdout.strip().splitlines() or [""])[-1]  # after the shell's notice of what it imported

    run("cache.set('session-ended', 'yes')")
    assert run("print(cache.get('session-ended'))") == "yes"


def test_the_redis_cache_keeps_one_client_per_connection_pool():
    """Django's builds a redis-py client (and its table of response callbacks) for every read."""
    backend = RedisCacheClient(["redis://127.0.0.1:6379/0"])  # no connection is made until a command is sent
    assert backend.get_client("a") is backend.get_client("b") is backend.get_client("c", write=True)
