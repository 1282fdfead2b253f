"""Single sign-on, end to end against a local OpenID Connect provider the tests start: django-oauth-toolkit, served by
the live server beside the site (tests/oidc_provider_urls.py), signing its ID tokens with an RSA key made here.

The relying party's browser and the provider's are two test clients, so the two sign-ins keep separate sessions; the
relying party calls the provider's token, userinfo and key endpoints over HTTP, as it would call NHSmail's. What the
provider asserts about the person (email, email_verified, amr, acr) is whatever a test puts in `ASSERTED`.
"""

from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from oauth2_provider.models import Application
from oauth2_provider.oauth2_validators import OAuth2Validator

from core import second_factor
from core.models import AuditEvent, SecondFactorMethod, SignedInSession
from tests.factories import UserFactory
from tests.html import parse, text

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_ID = "stp-portal"
CLIENT_SECRET = "a-secret-shared-with-the-test-provider"
CALLBACK = "http://testserver/oidc/callback/"
# The claims the provider adds to its ID token and userinfo for the next sign-in.
ASSERTED: dict = {}


class ClaimsValidator(OAuth2Validator):
    """The provider's claims are the test's, whichever of its accounts signed in; amr and acr are not tied to a
    scope (`oidc_claim_scope = None`), so they reach the ID token."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return dict(ASSERTED)


@pytest.fixture(scope="module")
def signing_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def provider(live_server, settings, signing_key):
    """The provider's account (whoever signs in there) and single sign-on configured against it."""
    issuer = f"{live_server.url}/o"
    settings.ROOT_URLCONF = "tests.oidc_provider_urls"
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": signing_key,
        "OIDC_ISS_ENDPOINT": issuer,
        "SCOPES": {"openid": "OpenID Connect", "email": "Email", "profile": "Profile"},
        "OAUTH2_VALIDATOR_CLASS": f"{__name__}.ClaimsValidator",
    }
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/.well-known/jwks.json"
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = ["nhs.net"]
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "core.oidc.OIDCBackend"]
    Application.objects.create(
        name="STP Portal",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=CALLBACK,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    return UserFactory(username="provider-account", email="someone@provider.example")


@pytest.fixture
def person():
    return UserFactory(username="leah", first_name="Leah", last_name="Adeyemi", email="leah.adeyemi@nhs.net")


def sign_in_with_provider(provider_account, claims: dict, start: str = "/oidc/authenticate/"):
    """Press "Sign in with NHSmail", sign in at the provider, and come back: the browser and the callback's answer."""
    ASSERTED.clear()
    ASSERTED.update(claims)
    browser = Client()
    to_provider = browser.get(start)
    assert to_provider.status_code == 302
    at_provider = Client()
    at_provider.force_login(provider_account)
    back = at_provider.get(to_provider["Location"])
    assert back.status_code == 302 and back["Location"].startswith(CALLBACK), back
    return browser, browser.get(back["Location"])


def signed_in_as(browser: Client):
    return browser.session.get("_auth_user_id")


def test_a_verified_nhsmail_address_signs_in_to_its_account_like_a_password_would(provider, person, client):
    sign_in_page = client.get("/sign-in/?next=/partnerships/")
    button = parse(sign_in_page).select_one("main a.nhsuk-button")
    assert " ".join(button.get_text().split()) == "Sign in with NHSmail"
    assert button["href"] == "/oidc/authenticate/?next=/partnerships/"

    browser, response = sign_in_with_provider(
        provider, {"email": "Leah.Adeyemi@NHS.net", "email_verified": True}, start=button["href"]
    )

    assert response.status_code == 302 and response["Location"] == "/partnerships/"
    assert signed_in_as(browser) == str(person.pk)
    assert AuditEvent.objects.filter(action="account.signed_in", target_id=person.pk).count() == 1
    assert SignedInSession.objects.filter(user=person, session_key=browser.session.session_key).exists()


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        (
            {"email": "stranger@nhs.net", "email_verified": True},
            "We could not match your NHSmail account to a STP Portal account. "
            "Ask your partnership lead to invite you with this email address.",
        ),
        (
            {"email": "leah.adeyemi@example.com", "email_verified": True},
            "Signing in with NHSmail is only for email addresses ending in @nhs.net.",
        ),
        ({"email": "leah.adeyemi@nhs.net", "email_verified": False}, "NHSmail did not confirm your email address."),
        ({"email": "shared@nhs.net", "email_verified": True}, "We could not match your NHSmail account"),
    ],
    ids=["unknown address", "domain not allowed", "unverified address", "address of two accounts"],
)
def test_an_identity_that_matches_no_single_account_is_refused_and_no_account_is_made(
    provider, person, claims, message
):
    UserFactory(username="shared-one", email="shared@nhs.net")
    UserFactory(username="shared-two", email="Shared@nhs.net")
    accounts_before = set(person._meta.model.objects.values_list("pk", flat=True))

    browser, response = sign_in_with_provider(provider, claims)

    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    assert signed_in_as(browser) is None
    assert message in text(browser.get("/sign-in/"))
    assert set(person._meta.model.objects.values_list("pk", flat=True)) == accounts_before
    assert not AuditEvent.objects.filter(action="account.signed_in").exclude(target_id=provider.pk).exists()


@pytest.mark.parametrize(
    ("authentication", "proved"),
    [({"amr": ["pwd", "mfa"]}, True), ({"acr": "AAL3_ANY"}, True), ({"amr": ["pwd"]}, False)],
    ids=["amr mfa", "acr AAL3", "password only"],
)
def test_the_providers_second_factor_stands_for_ours_only_when_it_says_one_was_used(
    provider, person, authentication, proved
):
    TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)

    browser, _ = sign_in_with_provider(provider, {"email": person.email, "email_verified": True, **authentication})

    session = SimpleNamespace(session=browser.session)
    assert signed_in_as(browser) == str(person.pk)
    if proved:
        assert second_factor.pending(session) == ""
        assert second_factor.proof(session).method == SecondFactorMethod.SINGLE_SIGN_ON
    else:
        assert second_factor.pending(session) == second_factor.VERIFY
        assert second_factor.proof(session) is None


def test_without_a_client_id_there_is_no_single_sign_on(client):
    assert "Sign in with" not in text(client.get("/sign-in/"))
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/").status_code == 404
