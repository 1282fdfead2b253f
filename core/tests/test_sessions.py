"""Sessions: the idle and absolute limits, "Stay signed in", and the "Your sessions" page."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import sessions
from core.models import AuditEvent, SignedInSession
from core.tokens import api_token_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile "
    "Safari/537.36"
)


@pytest.fixture
def person():
    return UserFactory(username="leah", first_name="Leah", last_name="Adeyemi")


def signed_in(user, user_agent: str = FIREFOX_ON_WINDOWS, address: str = "192.0.2.10") -> Client:
    """A browser that has signed in through the sign-in page, as a person does."""
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = browser.post(reverse("login"), {"username": user.username, "password": "partnership-demo"})
    assert response.status_code == 302, "signed in"
    return browser


def shift_clocks(browser: Client, *, idle_seconds: int = 0, since_sign_in_seconds: int = 0) -> None:
    """Pretend the browser's last activity, and its sign-in, happened that long ago."""
    session = browser.session
    session[sessions.LAST_ACTIVITY_AT] -= idle_seconds
    session[sessions.SIGNED_IN_AT] -= since_sign_in_seconds
    session.save()


def is_signed_in(browser: Client) -> bool:
    return browser.get(reverse("account:session_status")).json()["signed_in"]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Idle and absolute limits -------------------------------------------------------------------------------------------


def test_signing_in_starts_both_clocks_and_records_the_session(person):
    browser = signed_in(person)
    session = browser.session
    assert session[sessions.SIGNED_IN_AT] == session[sessions.LAST_ACTIVITY_AT]
    record = SignedInSession.objects.get()
    assert (record.user, record.session_key) == (person, session.session_key)
    assert (record.user_agent, record.ip_address) == (FIREFOX_ON_WINDOWS, "192.0.2.10")


def test_a_request_after_the_idle_limit_signs_out_and_the_sign_in_page_says_why(person):
    browser = signed_in(person)
    shift_clocks(browser, idle_seconds=30 * 60)

    response = browser.get("/partnerships/", follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "You were signed out after 30 minutes without activity." in response.content.decode()
    assert not SignedInSession.objects.exists()
    assert not is_signed_in(browser)


def test_the_idle_limit_comes_from_the_environment_setting(person, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=10)
    browser = signed_in(person)
    shift_clocks(browser, idle_seconds=10 * 60)
    response = browser.get("/partnerships/")
    assert response.status_code == 302
    assert messages_of(response) == [
        "You were signed out after 10 minutes without activity. Sign in again to continue."
    ]


def test_a_request_just_inside_the_idle_limit_stays_signed_in_and_counts_as_activity(person):
    browser = signed_in(person)
    shift_clocks(browser, idle_seconds=29 * 60)
    before = browser.session[sessions.LAST_ACTIVITY_AT]

    assert browser.get("/partnerships/").status_code == 200

    assert browser.session[sessions.LAST_ACTIVITY_AT] >= before + 29 * 60
    assert is_signed_in(browser)


def test_activity_is_written_at_most_once_a_minute(person):
    browser = signed_in(person)
    shift_clocks(browser, idle_seconds=30)
    before = browser.session[sessions.LAST_ACTIVITY_AT]
    browser.get("/partnerships/")
    assert browser.session[sessions.LAST_ACTIVITY_AT] == before


def test_the_absolute_limit_counts_from_sign_in_however_active_the_person_is(person):
    browser = signed_in(person)
    signed_in_at = browser.session[sessions.SIGNED_IN_AT]
    shift_clocks(browser, idle_seconds=5 * 60)
    browser.get("/partnerships/")
    assert browser.session[sessions.SIGNED_IN_AT] == signed_in_at, "activity does not move the sign-in time"

    shift_clocks(browser, since_sign_in_seconds=12 * 3600)
    response = browser.get("/partnerships/")

    assert response.status_code == 302
    assert messages_of(response) == [
        "You were signed out because you had been signed in for 12 hours. Sign in again to continue."
    ]
    assert not is_signed_in(browser)


# Asking how long is left, and staying signed in --------------------------------------------------------------------


def test_asking_how_long_is_left_is_not_activity(person):
    browser = signed_in(person)
    shift_clocks(browser, idle_seconds=10 * 60)
    before = browser.session[sessions.LAST_ACTIVITY_AT]

    status = browser.get(reverse("account:session_status")).json()

    assert status["signed_in"] is True
    assert 19 * 60 <= status["seconds_left"] <= 20 * 60
    assert status["warning_seconds"] == 120
    assert browser.session[sessions.LAST_ACTIVITY_AT] == before


def test_asking_after_the_idle_limit_signs_out(person):
    browser = signed_in(person)
    shift_clocks(browser, idle_seconds=31 * 60)
    assert browser.get(reverse("account:session_status")).json() == {
        "signed_in": False,
        "seconds_left": 0,
        "warning_seconds": 120,
    }


def test_stay_signed_in_starts_the_idle_clock_again_but_not_the_absolute_one(person):
    browser = signed_in(person)
    shift_clocks(browser, idle_seconds=28 * 60 + 30, since_sign_in_seconds=60)
    signed_in_at = browser.session[sessions.SIGNED_IN_AT]

    response = browser.post(reverse("account:session_keep_alive"), HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json()["seconds_left"] >= 30 * 60 - 2
    assert browser.session[sessions.SIGNED_IN_AT] == signed_in_at


def test_stay_signed_in_without_the_script_goes_back_to_the_page(person):
    browser = signed_in(person)
    response = browser.post(reverse("account:session_keep_alive"), {"next": "/partnerships/"})
    assert (response.status_code, response["Location"]) == (302, "/partnerships/")


def test_stay_signed_in_does_not_send_people_to_another_site(person):
    browser = signed_in(person)
    response = browser.post(reverse("account:session_keep_alive"), {"next": "https://example.com/"})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_stay_signed_in_after_the_limit_is_too_late(person):
    browser = signed_in(person)
    shift_clocks(browser, idle_seconds=30 * 60)
    response = browser.post(reverse("account:session_keep_alive"), HTTP_ACCEPT="application/json")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_stay_signed_in_is_a_button_not_a_link(person):
    browser = signed_in(person)
    assert browser.get(reverse("account:session_keep_alive")).status_code == 405


def test_anonymous_status_says_signed_out():
    assert Client().get(reverse("account:session_status")).json()["signed_in"] is False


def test_signed_in_pages_carry_the_warning_and_anonymous_pages_do_not(person):
    browser = signed_in(person)
    page = browser.get("/partnerships/").content.decode()
    assert 'id="session-timeout"' in page
    assert 'data-seconds-left="1800"' in page or 'data-seconds-left="1799"' in page
    assert 'id="session-timeout"' not in Client().get("/").content.decode()


# "Your sessions" ----------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_the_sessions_page():
    response = Client().get(reverse("account:sessions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_sessions_page_lists_each_signed_in_browser_of_the_person_only(person):
    laptop = signed_in(person)
    signed_in(person, SAFARI_ON_IPHONE, "198.51.100.7")
    signed_in(UserFactory(username="someone-else"), CHROME_ON_ANDROID, "203.0.113.5")

    page = laptop.get(reverse("account:sessions")).content.decode()

    assert "Signed in on 2 browsers" in page
    assert "Firefox on Windows" in page and "192.0.2.10" in page and "This browser" in page
    assert "Safari on iPhone" in page and "198.51.100.7" in page
    assert "Chrome on Android" not in page and "203.0.113.5" not in page
    assert "Sign out everywhere else" in page


def test_the_sessions_page_reads_every_session_in_a_fixed_number_of_queries(person):
    """The store is read once for all the person's sessions, not once per row: count the queries for 2 and for 12."""

    def queries_for_the_page(browser) -> int:
        browser.get(reverse("account:sessions"))  # a sign-in changes the person (last_login): read them again first
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(reverse("account:sessions")).status_code == 200
        return len(captured)

    laptop = signed_in(person)
    signed_in(person, SAFARI_ON_IPHONE)
    few = queries_for_the_page(laptop)
    for number in range(10):
        signed_in(person, CHROME_ON_ANDROID, f"203.0.113.{number}")
    page = laptop.get(reverse("account:sessions")).content.decode()
    assert "Signed in on 12 browsers" in page
    assert queries_for_the_page(laptop) == few


def test_the_sessions_page_is_linked_from_sign_in_security_in_the_header(person):
    browser = signed_in(person)
    assert f'href="{reverse("account:second_factor")}"' in browser.get("/").content.decode()
    assert f'href="{reverse("account:sessions")}"' in browser.get(reverse("account:second_factor")).content.decode()


def test_signing_out_one_other_session_ends_it_and_is_audited(person):
    laptop = signed_in(person)
    phone = signed_in(person, SAFARI_ON_IPHONE)
    phone_record = SignedInSession.objects.get(user_agent=SAFARI_ON_IPHONE)

    response = laptop.post(reverse("account:session_revoke", args=[phone_record.pk]), follow=True)

    assert "Safari on iPhone has been signed out." in response.content.decode()
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)
    assert list(SignedInSession.objects.values_list("user_agent", flat=True)) == [FIREFOX_ON_WINDOWS]
    event = AuditEvent.objects.get(action="session.revoked")
    assert (event.actor, event.target) == (person, person)
    assert "Safari on iPhone" in event.summary


def test_someone_elses_session_cannot_be_signed_out(person):
    laptop = signed_in(person)
    stranger = signed_in(UserFactory(username="someone-else"), CHROME_ON_ANDROID)
    record = SignedInSession.objects.get(user_agent=CHROME_ON_ANDROID)

    assert laptop.post(reverse("account:session_revoke", args=[record.pk])).status_code == 404

    assert is_signed_in(stranger)
    assert SignedInSession.objects.count() == 2
    assert not AuditEvent.objects.filter(action="session.revoked").exists()


def test_the_current_session_is_signed_out_with_the_sign_out_button_not_revoked(person):
    laptop = signed_in(person)
    record = SignedInSession.objects.get()
    assert laptop.post(reverse("account:session_revoke", args=[record.pk])).status_code == 404
    assert is_signed_in(laptop)


def test_a_get_of_a_sign_out_button_goes_back_to_the_list(person):
    laptop = signed_in(person)
    record = SignedInSession.objects.get()
    response = laptop.get(reverse("account:session_revoke", args=[record.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("account:sessions"))


def test_sign_out_everywhere_else_keeps_only_this_browser(person):
    laptop = signed_in(person)
    phone = signed_in(person, SAFARI_ON_IPHONE)
    tablet = signed_in(person, CHROME_ON_ANDROID)
    stranger = signed_in(UserFactory(username="someone-else"))

    response = laptop.post(reverse("account:sessions_revoke_others"), follow=True)

    assert "Signed out everywhere else: 2 sessions." in response.content.decode()
    assert not is_signed_in(phone) and not is_signed_in(tablet)
    assert is_signed_in(laptop) and is_signed_in(stranger)
    assert AuditEvent.objects.filter(action="session.revoked", actor=person).count() == 2


def test_changing_the_password_ends_the_other_sessions_and_the_list_says_so(person):
    laptop = signed_in(person)
    phone = signed_in(person, SAFARI_ON_IPHONE)
    new_password = "a-much-longer-pass-phrase-7"

    response = laptop.post(
        reverse("account:password_change"),
        {"old_password": "partnership-demo", "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 302
    assert is_signed_in(laptop)
    page = laptop.get(reverse("account:sessions")).content.decode()
    assert "Signed in on 1 browser" in page and "Safari on iPhone" not in page
    assert not is_signed_in(phone)


def test_signing_out_removes_the_session_from_the_list(person):
    laptop = signed_in(person)
    laptop.post(reverse("logout"))
    assert not SignedInSession.objects.exists()


def test_an_api_token_request_records_no_session_and_is_not_stored(person):
    _, key = api_token_issue(user=person, name="Nightly export")
    response = Client().get("/api/v1/partnerships/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert not SignedInSession.objects.exists()


@pytest.mark.parametrize(
    "user_agent, device",
    [
        (FIREFOX_ON_WINDOWS, "Firefox on Windows"),
        (SAFARI_ON_IPHONE, "Safari on iPhone"),
        (CHROME_ON_ANDROID, "Chrome on Android"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on macOS",
        ),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_the_device_is_named_from_the_user_agent(user_agent, device):
    assert sessions.describe_device(user_agent) == device
