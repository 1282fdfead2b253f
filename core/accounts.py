"""Account events: who is signing in from where, when to lock, what to record, and how often to send resets.

Lockout (django-axes) counts failures for the pair (username, address), so nobody can lock another person out from
elsewhere, nor lock a whole office out by trying five names. A separate, higher limit per address alone
(`SIGN_IN_ADDRESS_FAILURE_LIMIT`) slows one address that tries many accounts. The address is the one the trusted
proxies saw (`client_address`), never what the client says about itself.
"""

import hashlib
import ipaddress
import logging
from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Sum
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from .audit import audit_record
from .tokens import revoke_all_tokens

logger = logging.getLogger(__name__)


def client_address(request) -> str | None:
    """The address of the person at the other end: REMOTE_ADDR when no proxy is trusted (TRUSTED_PROXY_COUNT = 0),
    else the entry that the outermost of the N trusted proxies appended to X-Forwarded-For (the Nth from the right).
    Entries to the left of it were written by the client and are ignored; a header too short to have passed all the
    proxies is not trusted either."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


# -- Lockout ---------------------------------------------------------------------------------------------------


def _recent_attempts(request):
    since = request.axes_attempt_time - get_cool_off(request)
    return AccessAttempt.objects.filter(ip_address=request.axes_ip_address, attempt_time__gte=since)


def address_failures(request) -> int:
    """Failed sign-ins from this request's address, for any username, within the cool-off."""
    return _recent_attempts(request).aggregate(total=Sum("failures_since_start"))["total"] or 0


class SignInLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a second rule: an address is locked after SIGN_IN_ADDRESS_FAILURE_LIMIT
    failures for any usernames, whatever the (username, address) rule says."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return settings.AXES_LOCK_OUT_AT_FAILURE and address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials=credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        failures = address_failures(request)
        if failures >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True  # the middleware then answers with the lockout page
            request.axes_credentials = credentials
        if failures == settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:  # the failure that locked the address
            request.address_lock_started = True
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


@dataclass(frozen=True)
class Lock:
    scope: str  # "account" (this username from this address) or "address" (every username from this address)
    until: datetime


def current_lock(request, credentials=None) -> Lock:
    """What is locked for this request, and until when (the last counted failure plus the cool-off)."""
    attempts = _recent_attempts(request)
    username = get_client_username(request, credentials)
    pair = attempts.filter(username=username)
    pair_failures = pair.aggregate(total=Sum("failures_since_start"))["total"] or 0
    scope = "account" if username and pair_failures >= get_failure_limit(request, credentials) else "address"
    last = (pair if scope == "account" else attempts).aggregate(last=Max("attempt_time"))["last"]
    return Lock(scope=scope, until=(last or timezone.now()) + get_cool_off(request))


def lockout_response(request, original_response=None, credentials=None):
    """The page for a locked sign-in (AXES_LOCKOUT_CALLABLE): it says whether the account is locked from this
    address or the address is, until when, and that a reset by email still works."""
    lock = current_lock(request, credentials)
    until = f"{timezone.localtime(lock.until):%H:%M}"
    if lock.scope == "account":
        heading = "This account is locked from this address for now"
        explanation = (
            "There have been too many unsuccessful attempts to sign in to this account from your address, so "
            f"signing in to it from here is paused until {until}. The account can still be used from elsewhere"
        )
    else:
        heading = "Signing in from this address is paused for now"
        explanation = (
            "There have been too many unsuccessful attempts to sign in from your address, to several accounts, so "
            f"signing in from it is paused until {until}. Other addresses are not affected"
        )
    context = {"lock": lock, "until": until, "heading": heading, "explanation": explanation}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(max(1, int((lock.until - timezone.now()).total_seconds())))
    return response


# -- Audit of sign-in events --------------------------------------------------------------------------------------


def _account_named(username) -> object | None:
    if not username:
        return None
    User = get_user_model()
    return User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()


def _where(request) -> str:
    address = getattr(request, "axes_ip_address", None) or (client_address(request) if request else None)
    return f" from {address}" if address else ""


def sign_in_record(*, request, user) -> None:
    """Record a sign-in made through a sign-in page (a test's `force_login` makes none, nor writes any record)."""
    audit_record(actor=user, action="account.signed_in", target=user, summary=f"{user} signed in{_where(request)}")


@receiver(user_login_failed, dispatch_uid="core.accounts.sign_in_failed")
def record_sign_in_failure(sender, credentials, request=None, **kwargs):
    """A failure is recorded against the account whose username was tried. A username that names no account is not
    recorded here: the audit trail is about records, and axes keeps every attempt (AccessFailureLog) anyway."""
    user = _account_named(credentials.get("username"))
    if user is None:
        return
    audit_record(
        actor=None, action="account.sign_in_failed", target=user, summary=f"Failed sign-in as {user}{_where(request)}"
    )


@receiver(user_locked_out, dispatch_uid="core.accounts.locked_out")
def record_lockout(sender, request, username, ip_address, **kwargs):
    """Once per lock: axes signals on every failure during a lock; only the one that reached a limit counts."""
    user = _account_named(username)
    if user is None:
        return
    pair_failures = getattr(request, "axes_failures_since_start", None)
    started = getattr(request, "address_lock_started", False) or pair_failures == get_failure_limit(
        request, getattr(request, "axes_credentials", None)
    )
    if not started:
        return
    lock = current_lock(request, {"username": username})
    what = "locked from" if lock.scope == "account" else "refused at the locked address"
    audit_record(
        actor=None,
        action="account.locked_out",
        target=user,
        summary=f"{user} was {what} {ip_address} until {timezone.localtime(lock.until):%H:%M}",
    )


# -- Passwords ---------------------------------------------------------------------------------------------------


@transaction.atomic
def password_change_record(*, user, reset: bool) -> None:
    """Record a new password (changed while signed in, or set from a reset link). After a reset, the person has
    proved they hold the email address, so their own lock is lifted (not their address's)."""
    if reset:
        axes_reset(username=user.get_username())
    audit_record(
        actor=user,
        action="account.password_reset" if reset else "account.password_changed",
        target=user,
        summary=f"{user} {'reset their password by email' if reset else 'changed their password'}",
    )


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Links in invitations, valid INVITATION_TIMEOUT (days, not the hour of a reset link), and never usable as a
    reset link or the other way round (a different salt). Django's check_token reads PASSWORD_RESET_TIMEOUT itself,
    so the check is repeated here with the invitation's timeout."""

    key_salt = "core.accounts.InvitationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= settings.INVITATION_TIMEOUT


invitation_token_generator = InvitationTokenGenerator()


def password_reset_allowed(*, email: str, address: str | None) -> str:
    """Count one reset request against the email address and the client address, each over a fixed hour. Answers
    "ok", "email" (this email has had its share: send nothing, answer as usual) or "address" (this address has)."""
    email_key = "password-reset:email:" + hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    address_key = f"password-reset:address:{address or 'unknown'}"
    window = settings.PASSWORD_RESET_RATE_WINDOW
    if _count(address_key, window) > settings.PASSWORD_RESET_ADDRESS_LIMIT:
        return "address"
    if _count(email_key, window) > settings.PASSWORD_RESET_EMAIL_LIMIT:
        return "email"
    return "ok"


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


# --- API tokens do not outlive the password that issued them, nor the account --------------------------------------


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="core.accounts.password_or_deactivation")
def _notice_password_or_deactivation(sender, instance, update_fields=None, raw=False, **kwargs):
    """Tokens must not outlive the password that issued them, nor the account. Django sends no signal for a new
    password and several paths set one (change and reset pages, admin, `changepassword`), so compare with the
    stored row here; `core.tokens` does the revoking after the save."""
    instance._revoke_tokens_because = ""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # a sign-in's last_login, say: no query
    before = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        instance._revoke_tokens_because = "account deactivated"
    elif before["password"] != instance.password and not _same_password_rehashed(instance, before["password"]):
        instance._revoke_tokens_because = "password changed"


def _same_password_rehashed(user, old_hash: str) -> bool:
    """Signing in rehashes an unchanged password when the hasher's settings change: that is no new password."""
    raw_password = getattr(user, "_password", None)
    return raw_password is not None and check_password(raw_password, old_hash)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="core.accounts.revoke_tokens")
def _revoke_tokens_after_save(sender, instance, raw=False, **kwargs):
    reason = getattr(instance, "_revoke_tokens_because", "")
    if reason and not raw:
        instance._revoke_tokens_because = ""
        revoke_all_tokens(instance, reason=reason)
