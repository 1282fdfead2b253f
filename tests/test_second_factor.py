"""Second factors: who must set up an authenticator app (and can do nothing else until they have), the set-up page,
codes at sign-in, single-use recovery codes, turning it off, and the token endpoint for scripts."""

import re
from base64 import b32decode
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from core import second_factor
from core.models import ApiToken, AuditEvent, SecondFactorMethod
from partnerships.models import OrganisationRole, Role
from tests.api_client import SchemaCheckedClient
from tests.factories import DelegationFactory, OrganisationFactory, PartnershipFactory, UserFactory, grant
from tests.html import parse

pytestmark = pytest.mark.django_db

SET_UP = reverse("account:second_factor_setup")
CODE_PAGE = reverse("account:second_factor_verify")
OVERVIEW = reverse("account:second_factor")
RENEW = reverse("account:second_factor_recovery_codes")
TURN_OFF = reverse("account:second_factor_turn_off")
MINE = reverse("partnerships:mine")
SOME_API_PAGE = "/api/v1/partnerships/"
TOKEN_URL = "/api/v1/auth/token/"
HALF_A_MINUTE = 30  # one TOTP step: an app shows a new code, and a used one cannot be sent again


@pytest.fixture(autouse=True)
def required(settings):
    settings.SECOND_FACTOR_REQUIRED = True


@pytest.fixture(autouse=True)
def clock():
    """Time stands still unless a test moves it: a TOTP code is valid for its half-minute, once."""
    with freeze_time("2026-11-22 10:00:00") as frozen:
        yield frozen


# Who holds what ---------------------------------------------------------------------------------------------------


def holding(role):
    return lambda user: grant(user, PartnershipFactory(), role)


def administering(user):
    administer = Permission.objects.get(codename="administer", content_type__app_label="partnerships")
    OrganisationRole.objects.create(content_object=OrganisationFactory(), user=user, permission=administer)


def made_staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])


KINDS = {
    "lead": holding(Role.LEAD),
    "board member": holding(Role.BOARD_MEMBER),
    "non-executive": holding(Role.NON_EXECUTIVE),
    "organisation administrator": administering,
    "delegate": lambda user: DelegationFactory(delegate=user),  # in force since 2025, with no end
    "staff": made_staff,
    "member": holding(Role.MEMBER),
    "viewer": holding(Role.VIEWER),
    "former delegate": lambda user: DelegationFactory(delegate=user, valid_to="2026-03-31"),
}
REQUIRED = ["lead", "board member", "non-executive", "organisation administrator", "delegate", "staff"]
NOT_REQUIRED = ["member", "viewer", "former delegate"]


# Helpers -------------------------------------------------------------------------------------------------------------


def person(kind: str):
    user = UserFactory()
    KINDS[kind](user)
    return user


def sign_in(user, next_url: str = "") -> Client:
    """A browser that has given the password on the sign-in page."""
    browser = Client()
    address = sent_to(reverse("login"), next_url) if next_url else reverse("login")
    response = browser.post(address, {"username": user.username, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302, "the password was accepted"
    return browser


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def next_code(user, clock) -> str:
    """The code the person's app shows half a minute on (the one before has been used)."""
    clock.tick(HALF_A_MINUTE)
    return code_of(TOTPDevice.objects.get(user=user, confirmed=True))


def enrolled(user) -> list[str]:
    """Set up an app through the service, as the set-up page does; the recovery codes."""
    return second_factor.app_setup_confirm(user=user, code=code_of(second_factor.app_setup_start(user)))


def verified(user, clock) -> Client:
    """A browser signed in with the password and a code."""
    browser = sign_in(user)
    assert browser.post(CODE_PAGE, {"code": next_code(user, clock)}).status_code == 302
    return browser


def page_text(response) -> str:
    return response.content.decode()


def sent_to(page: str, next_url: str) -> str:
    return f"{page}?{urlencode({'next': next_url})}"


def audit_actions(user) -> list[str]:
    events = AuditEvent.objects.filter(target_id=user.pk, action__startswith="second_factor.")
    return list(events.values_list("action", flat=True))


# Who must set up an app --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", REQUIRED)
def test_enrolment_is_forced_for_each_required_role(kind):
    browser = sign_in(person(kind))

    assert browser.get(MINE)["Location"] == sent_to(SET_UP, MINE)
    api = browser.get(SOME_API_PAGE)
    assert api.status_code == 403
    assert "Set up an authenticator app first" in api.json()["detail"]
    assert browser.get(reverse("core:help_index")).status_code == 200
    assert browser.get(SET_UP).status_code == 200


@pytest.mark.parametrize("kind", REQUIRED)
def test_signing_in_takes_a_person_who_must_enrol_to_the_set_up_page(kind):
    browser = Client()
    response = browser.post(
        reverse("login"), {"username": person(kind).username, "password": settings.DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(SET_UP)
    assert "Set up an authenticator app" in page_text(response)


@pytest.mark.parametrize("kind", NOT_REQUIRED)
def test_enrolment_is_not_forced_for_others(kind):
    browser = sign_in(person(kind))
    assert browser.get(MINE).status_code == 200
    assert browser.get(SOME_API_PAGE).status_code == 200


@pytest.mark.parametrize("kind", REQUIRED)
def test_enrolment_is_not_forced_when_the_service_does_not_require_it(settings, kind):
    settings.SECOND_FACTOR_REQUIRED = False
    assert sign_in(person(kind)).get(MINE).status_code == 200


def test_a_person_who_must_enrol_can_still_sign_out():
    browser = sign_in(person("lead"))
    assert browser.post(reverse("logout")).status_code == 302
    assert browser.get(MINE)["Location"].startswith(reverse("login"))


# The set-up page -----------------------------------------------------------------------------------------------------


def shown_key(response) -> bytes:
    key = re.search(r'<code id="setup-key" class="app-setup-key">([A-Z2-7 ]+)</code>', page_text(response)).group(1)
    return b32decode(key.replace(" ", ""))


def test_the_set_up_page_shows_a_qr_code_and_the_key_of_the_new_app():
    user = person("lead")
    browser = sign_in(user)

    response = browser.get(sent_to(SET_UP, MINE))

    assert response.status_code == 200
    # A viewBox and no fixed size, so the code scales down to a narrow screen rather than being cut off.
    svg = parse(response).select_one(".app-qr-code svg")
    assert svg.get("viewbox") and not svg.get("width")
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert shown_key(response) == device.bin_key
    assert shown_key(browser.get(SET_UP)) == device.bin_key, "reloading shows the same key"
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_code_confirms_nothing():
    user = person("lead")
    browser = sign_in(user)
    browser.get(SET_UP)

    response = browser.post(SET_UP, {"code": "000000"})

    assert response.status_code == 400
    assert "That code is not right" in page_text(response)
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.exists()
    assert audit_actions(user) == []
    assert browser.get(MINE).status_code == 302


def test_the_right_code_turns_the_app_on_and_shows_ten_recovery_codes():
    user = person("lead")
    browser = sign_in(user)
    browser.get(SET_UP)
    device = TOTPDevice.objects.get(user=user)

    response = browser.post(SET_UP, {"code": code_of(device), "next": MINE})

    assert response.status_code == 200
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page_text(response))
    assert len(shown) == second_factor.RECOVERY_CODE_COUNT
    assert sorted(shown) == sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert f'href="{MINE}"' in page_text(response)
    device.refresh_from_db()
    assert device.confirmed
    assert browser.get(MINE).status_code == 200, "the session counts as verified"
    assert audit_actions(user) == ["second_factor.enrolled"]
    assert AuditEvent.objects.get(action="second_factor.enrolled").actor == user


def test_a_person_who_owes_a_code_cannot_replace_their_app_with_the_password_alone():
    user = person("member")
    enrolled(user)
    browser = sign_in(user)

    assert browser.get(SET_UP)["Location"] == CODE_PAGE
    assert browser.post(SET_UP, {"code": "123456"})["Location"] == CODE_PAGE
    assert TOTPDevice.objects.filter(user=user).count() == 1


# A code at sign-in ---------------------------------------------------------------------------------------------------


def test_a_person_with_an_app_gives_a_code_before_anything_else(clock):
    user = person("member")
    enrolled(user)
    browser = sign_in(user, next_url=MINE)

    assert browser.get(MINE)["Location"] == sent_to(CODE_PAGE, MINE)
    assert browser.get(reverse("account:api_tokens"))["Location"].startswith(CODE_PAGE)
    assert browser.get(SOME_API_PAGE).status_code == 403

    response = browser.post(CODE_PAGE, {"code": next_code(user, clock), "next": MINE})

    assert response["Location"] == MINE
    assert browser.get(MINE).status_code == 200


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("000000", "That code is not right"),
        ("", "Enter the code from your authenticator app, or a recovery code"),
        ("1" * 20, "Enter a 6-digit code from your app, or an 8-character recovery code"),
        ("a" * 41, "Code must be 40 characters or fewer"),
    ],
)
def test_a_wrong_or_malformed_code_is_refused_with_a_message(code, message):
    user = person("member")
    enrolled(user)
    browser = sign_in(user)

    response = browser.post(CODE_PAGE, {"code": code})

    assert response.status_code == 400
    assert message in page_text(response)
    assert browser.get(MINE).status_code == 302


def test_a_used_code_cannot_be_sent_again(clock):
    user = person("member")
    enrolled(user)
    code = next_code(user, clock)
    assert sign_in(user).post(CODE_PAGE, {"code": code}).status_code == 302
    assert sign_in(user).post(CODE_PAGE, {"code": code}).status_code == 400


def test_wrong_codes_in_quick_succession_are_slowed_down_with_a_clear_message(clock):
    user = person("member")
    enrolled(user)
    browser = sign_in(user)
    right = next_code(user, clock)
    browser.post(CODE_PAGE, {"code": "000000"})

    response = browser.post(CODE_PAGE, {"code": right})

    assert response.status_code == 400
    assert "Too many wrong codes. Try again after 10:00:31" in page_text(response)
    clock.tick(2)
    assert browser.post(CODE_PAGE, {"code": right}).status_code == 302


def test_a_recovery_code_works_once(clock):
    user = person("member")
    codes = enrolled(user)

    browser = sign_in(user)
    response = browser.post(CODE_PAGE, {"code": codes[0].upper(), "next": MINE}, follow=True)

    assert response.redirect_chain[-1][0] == MINE
    assert f"You used a recovery code: {second_factor.RECOVERY_CODE_COUNT - 1} left" in page_text(response)
    assert second_factor.recovery_codes_left(user) == second_factor.RECOVERY_CODE_COUNT - 1
    assert audit_actions(user).count("second_factor.recovery_code_used") == 1
    assert browser.session[second_factor.METHOD] == SecondFactorMethod.RECOVERY_CODE

    clock.tick(HALF_A_MINUTE)
    again = sign_in(user).post(CODE_PAGE, {"code": codes[0]})
    assert again.status_code == 400
    assert "That code is not right" in page_text(again)
    assert second_factor.recovery_codes_left(user) == second_factor.RECOVERY_CODE_COUNT - 1


# Recovery codes and turning it off -----------------------------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(clock):
    user = person("member")
    old = enrolled(user)
    browser = verified(user, clock)

    response = browser.post(RENEW)

    assert response.status_code == 200
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page_text(response))
    assert len(new) == second_factor.RECOVERY_CODE_COUNT
    assert sorted(new) == sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert not set(old) & set(new)
    assert "second_factor.recovery_codes_renewed" in audit_actions(user)
    assert sign_in(user).post(CODE_PAGE, {"code": old[1]}).status_code == 400
    clock.tick(2)
    assert sign_in(user).post(CODE_PAGE, {"code": new[1]}).status_code == 302


def test_a_get_of_the_renewal_address_goes_back_to_the_overview(clock):
    user = person("member")
    enrolled(user)
    browser = verified(user, clock)
    response = browser.get(RENEW)
    assert response["Location"] == OVERVIEW
    assert second_factor.recovery_codes_left(user) == second_factor.RECOVERY_CODE_COUNT


def test_a_member_turns_off_their_second_factor(clock):
    user = person("member")
    enrolled(user)
    response = verified(user, clock).post(TURN_OFF, follow=True)
    assert "Your second factor is turned off" in page_text(response)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.exists()
    assert "second_factor.turned_off" in audit_actions(user)
    assert sign_in(user).get(MINE).status_code == 200, "no code is asked for at the next sign-in"


def test_a_lead_cannot_turn_off_the_second_factor_their_roles_need(clock):
    user = person("lead")
    enrolled(user)
    response = verified(user, clock).post(TURN_OFF, follow=True)
    assert "Your roles need a second factor, so it cannot be turned off" in page_text(response)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert second_factor.recovery_codes_left(user) == second_factor.RECOVERY_CODE_COUNT
    assert "second_factor.turned_off" not in audit_actions(user)


# The token endpoint for scripts --------------------------------------------------------------------------------------


def ask_for_token(user, **extra):
    return SchemaCheckedClient().post(
        TOKEN_URL, {"username": user.username, "password": settings.DEMO_PASSWORD, **extra}
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [(None, "send a code from the authenticator app as `code`"), ("000000", "That code is not right")],
)
def test_the_token_endpoint_asks_an_account_with_an_app_for_its_code(code, message):
    user = person("member")
    enrolled(user)
    response = ask_for_token(user, **({"code": code} if code else {}))
    assert response.status_code == 400
    assert message in response.json()["code"][0]
    assert not ApiToken.objects.exists()


def test_the_token_endpoint_issues_a_token_with_the_right_code(clock):
    user = person("lead")
    enrolled(user)
    response = ask_for_token(user, code=next_code(user, clock))
    assert response.status_code == 200
    assert ApiToken.objects.get().user == user


@pytest.mark.parametrize("kind", REQUIRED)
def test_the_token_endpoint_refuses_an_account_that_must_set_up_an_app_first(kind):
    response = ask_for_token(person(kind))
    assert response.status_code == 403
    assert "Set up an authenticator app on the Sign-in security page first" in response.json()["detail"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("kind", NOT_REQUIRED)
def test_the_token_endpoint_still_serves_an_ordinary_account_with_its_password(kind):
    response = ask_for_token(person(kind))
    assert response.status_code == 200
    assert ApiToken.objects.count() == 1


# Security headers ----------------------------------------------------------------------------------------------------


def test_the_pages_that_show_a_key_or_codes_are_never_stored(clock):
    user = person("lead")
    set_up = sign_in(user).get(SET_UP)
    assert "no-store" in set_up["Cache-Control"]
    enrolled(user)
    assert "no-store" in verified(user, clock).post(RENEW)["Cache-Control"]
