"""Single sign-on with OpenID Connect: NHSmail (Microsoft Entra ID) or NHS Care Identity Service 2.

mozilla-django-oidc runs the authorisation code flow (with PKCE) and checks the ID token's signature and nonce; this
module decides who may sign in. A provider's identity signs in to an existing account only: matched by a verified
email address in an allowed domain, never created, so a stranger with an NHSmail address gets no account. When the
provider says the person used a second factor, the service does not ask for its own (docs/adr/0016).
"""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import reverse
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import accounts
from .models import SecondFactorMethod
from .second_factor import mark_verified

logger = logging.getLogger(__name__)

# Why a sign-in was refused, in the words the sign-in page shows. "{provider}" is OIDC_PROVIDER_NAME.
REFUSALS = {
    "unmatched": (
        "We could not match your {provider} account to a STP Portal account. "
        "Ask your partnership lead to invite you with this email address."
    ),
    "domain": "Signing in with {provider} is only for email addresses ending in {domains}. Sign in with your password.",
    "unverified": "{provider} did not confirm your email address. Sign in with your password.",
    "failed": "Signing in with {provider} did not work. Try again, or sign in with your password.",
}
# Where the backend leaves its decisions for the callback view: the same request passes through both.
REFUSAL_ATTRIBUTE = "single_sign_on_refusal"
SECOND_FACTOR_ATTRIBUTE = "single_sign_on_second_factor"


def single_sign_on_enabled() -> bool:
    """Single sign-on is on when a client id is configured (stp_portal/settings/base.py checks the rest)."""
    return bool(settings.OIDC_RP_CLIENT_ID)


def refusal_message(reason: str) -> str:
    domains = " or ".join(f"@{domain}" for domain in settings.OIDC_ALLOWED_EMAIL_DOMAINS)
    return REFUSALS[reason].format(provider=settings.OIDC_PROVIDER_NAME, domains=domains)


def second_factor_claimed(id_token_claims: dict) -> bool:
    """Whether the ID token says the person used a second factor: an `amr` method in OIDC_SECOND_FACTOR_AMR (Entra
    ID sends "mfa") or an `acr` level in OIDC_SECOND_FACTOR_ACR (Care Identity Service 2 sends an assurance level)."""
    methods = id_token_claims.get("amr") or []
    if isinstance(methods, str):
        methods = methods.split()
    if set(methods) & set(settings.OIDC_SECOND_FACTOR_AMR):
        return True
    return id_token_claims.get("acr") in settings.OIDC_SECOND_FACTOR_ACR


def _email_verified(claims: dict) -> bool:
    """Entra ID often leaves `email_verified` out; OIDC_TRUST_EMAIL_UNVERIFIED accepts its addresses as they are.
    Some providers send the claim as the string "true"."""
    if settings.OIDC_TRUST_EMAIL_UNVERIFIED:
        return True
    return claims.get("email_verified") in (True, "true")


class OIDCBackend(OIDCAuthenticationBackend):
    """Matches a provider's identity to one active account by verified email; refuses everyone else."""

    def authenticate(self, request, **kwargs):
        """A provider that cannot be reached, or refuses the code, is a refusal with a message, not an error page."""
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            logger.warning("Single sign-on: the provider did not answer as expected: %s", error)
            return self._refuse("failed")

    def get_or_create_user(self, access_token, id_token, payload):
        if not self._issued_for_us(payload):
            return self._refuse("failed")
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            logger.warning("Single sign-on: userinfo is about someone other than the ID token")
            return self._refuse("failed")
        # The email may be in either; the authentication claims (amr, acr) are the ID token's.
        claims = {**payload, **userinfo}
        user = self._account_for(claims)
        if user is not None:
            setattr(self.request, SECOND_FACTOR_ATTRIBUTE, second_factor_claimed(payload))
        return user

    def _issued_for_us(self, payload: dict) -> bool:
        """mozilla-django-oidc checks the signature and nonce, not who issued the token nor for whom."""
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            logger.warning("Single sign-on: an ID token for another client (%s)", audience)
            return False
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            logger.warning("Single sign-on: an ID token from another issuer (%s)", payload.get("iss"))
            return False
        return True

    def _account_for(self, claims: dict):
        email = (claims.get("email") or "").strip()
        if not email:
            return self._refuse("unmatched")
        if email.rpartition("@")[2].lower() not in settings.OIDC_ALLOWED_EMAIL_DOMAINS:
            return self._refuse("domain")
        if not _email_verified(claims):
            return self._refuse("unverified")
        # Two accounts with the same address: neither is chosen, as either could be someone else's.
        users = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
        if len(users) != 1:
            return self._refuse("unmatched")
        return users[0]

    def create_user(self, claims):
        """Never called while OIDC_CREATE_USER is False; refuses should that setting ever change."""
        return None

    def _refuse(self, reason: str) -> None:
        setattr(self.request, REFUSAL_ATTRIBUTE, reason)
        return None


class SingleSignOnOnly:
    """Both addresses answer 404 while single sign-on is not configured, as if they did not exist."""

    @method_decorator(login_not_required)
    def dispatch(self, request, *args, **kwargs):
        if not single_sign_on_enabled():
            raise Http404("Single sign-on is not configured.")
        return super().dispatch(request, *args, **kwargs)


class SignInStartView(SingleSignOnOnly, OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page."""


class SignInCallbackView(SingleSignOnOnly, OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: sign in as the matched account, or back to the sign-in page."""

    @property
    def failure_url(self):
        return reverse("login")

    def login_success(self):
        response = super().login_success()
        accounts.sign_in_record(request=self.request, user=self.user)
        if getattr(self.request, SECOND_FACTOR_ATTRIBUTE, False):
            mark_verified(self.request, SecondFactorMethod.SINGLE_SIGN_ON)
        return response

    def login_failure(self):
        messages.error(self.request, refusal_message(getattr(self.request, REFUSAL_ATTRIBUTE, "failed")))
        return super().login_failure()
