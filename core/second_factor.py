"""Second factors: an authenticator app (TOTP) and single-use recovery codes, kept by django-otp's devices.

Who must have one is the partnerships' rule (`SECOND_FACTOR_REQUIRED_FOR`, a dotted path, so core does not import
the apps above it), applied when `SECOND_FACTOR_REQUIRED` is on: production and the demo turn it on, the test suite
turns it on where a test is about it. Anyone may set one up; whoever has one is asked for a code at every sign-in.

The session carries what is still owed and what was proved:

- `PENDING` ("verify" or "enrol"), written when the person signs in (`_on_sign_in`), so each request checks a
  session key rather than the database (`core.middleware.SecondFactorMiddleware` sends them to the page it names
  until it is done). A requirement that arises during a session takes effect at the next sign-in; signing a
  decision checks it afresh (`signing_method`).
- `VERIFIED_AT` and `METHOD`: when and how the person last proved the second factor (an app code, a recovery code,
  or their single sign-on provider's own second factor). Signing a decision asks again when that is older than
  `SECOND_FACTOR_STEP_UP_MINUTES` (step-up), and the vote records how it was made.
"""

import time
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import SYSTEM, audit_record
from .models import SecondFactorMethod
from .services import queue_after_commit
from .sessions import sessions_end_all
from .tokens import revoke_all_tokens

PENDING = "_second_factor_pending"
VERIFIED_AT = "_second_factor_at"
METHOD = "_second_factor_method"
VERIFY, ENROL = "verify", "enrol"

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


# Who must, who has ---------------------------------------------------------------------------------------------


def must_use_second_factor(user) -> bool:
    """Whether the service requires a second factor of this person (their roles and delegations: the rule named
    by SECOND_FACTOR_REQUIRED_FOR), when SECOND_FACTOR_REQUIRED is on."""
    if not (settings.SECOND_FACTOR_REQUIRED and user.is_authenticated):
        return False
    return bool(import_string(settings.SECOND_FACTOR_REQUIRED_FOR)(user))


def has_second_factor(user) -> bool:
    """Whether the person has set up an authenticator app (recovery codes alone are not a second factor)."""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def owes_second_factor(user) -> bool:
    """Whether a code is asked of the person before they sign (or get a token): they have an app, or must."""
    return has_second_factor(user) or must_use_second_factor(user)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# What the session has proved ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proof:
    """How and when (seconds since the epoch) a person proved their second factor."""

    method: str
    at: int

    def fresh(self, *, at: int | None = None) -> bool:
        at = int(time.time()) if at is None else at
        return at - self.at < settings.SECOND_FACTOR_STEP_UP_MINUTES * 60


def pending(request) -> str:
    """What the signed-in person still owes before they may use the service: VERIFY, ENROL or ""."""
    session = getattr(request, "session", None)
    return session.get(PENDING, "") if session is not None else ""


def proof(request) -> Proof | None:
    session = getattr(request, "session", None)
    if session is None or VERIFIED_AT not in session:
        return None
    return Proof(method=session.get(METHOD, SecondFactorMethod.APP), at=session[VERIFIED_AT])


def mark_verified(request, method: str) -> None:
    """The person has just proved their second factor (a code, or their sign-on provider's own second factor)."""
    request.session[VERIFIED_AT] = int(time.time())
    request.session[METHOD] = str(method)
    request.session.pop(PENDING, None)


def step_up_needed(request) -> bool:
    """Whether signing a decision must first ask for the second factor again: the person has one (or must), and
    has not proved it within SECOND_FACTOR_STEP_UP_MINUTES."""
    current = proof(request)
    if current is not None and current.fresh():
        return False
    return owes_second_factor(request.user)


def signing_method(actor, given: Proof | None) -> str:
    """What a vote records about the signatory's second factor: the method of a fresh proof, or "" for a person
    who has none and need not. Refused (403) when the person has one, or must, and the proof is missing or old."""
    if given is not None and given.fresh():
        return given.method
    if owes_second_factor(actor):
        raise PermissionDenied(
            f"Confirm it is you with your second factor before you sign: enter a code from your authenticator app "
            f"(asked again when the last was more than {settings.SECOND_FACTOR_STEP_UP_MINUTES} minutes ago)."
        )
    return SecondFactorMethod.NONE


@receiver(user_logged_in, dispatch_uid="core.second_factor.signed_in")
def _on_sign_in(sender, request, user, **kwargs):
    """Note what the person owes: a code if they have an app, enrolment if they must and have none. A token issued
    to a script has no session (the token endpoint asks for the code itself)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    for key in (PENDING, VERIFIED_AT, METHOD):
        session.pop(key, None)
    if has_second_factor(user):
        session[PENDING] = VERIFY
    elif must_use_second_factor(user):
        session[PENDING] = ENROL


# Checking a code ---------------------------------------------------------------------------------------------------


def check_code(user, code: str) -> str:
    """The method a code proves for `user`: an app code (six digits) or one of their recovery codes, which is used
    up. A wrong code is a ValidationError on `code`; so is trying again too soon after several wrong ones (django-otp
    doubles the wait after each failure)."""
    code = "".join((code or "").split()).lower()
    if not code:
        raise ValidationError({"code": "Enter the code from your authenticator app, or a recovery code"})
    if len(code) > 16:
        raise ValidationError({"code": "Enter a 6-digit code from your app, or an 8-character recovery code"})
    # An app's code is six digits; a recovery code is eight base32 characters, which may by chance be all digits.
    devices = (
        list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if code.isdigit() and len(code) == 6
        else list(StaticDevice.objects.filter(user=user, confirmed=True))
    )
    with transaction.atomic():
        for device in devices:
            allowed, why = device.verify_is_allowed()
            if not allowed:
                raise ValidationError({"code": _throttled_message(why)})
            if device.verify_token(code):
                if isinstance(device, StaticDevice):
                    _recovery_code_used(user)
                    return SecondFactorMethod.RECOVERY_CODE
                return SecondFactorMethod.APP
    raise ValidationError({"code": "That code is not right. Enter the code your app shows now, or a recovery code"})


def proof_from_code(user, code: str) -> Proof:
    """A proof made now by a code sent with the request itself (the API, where no session remembers one)."""
    return Proof(method=check_code(user, code), at=int(time.time()))


def _throttled_message(why) -> str:
    locked_until = (why or {}).get("locked_until")
    if locked_until is None:
        return "Too many wrong codes. Wait a minute, then try again"
    return f"Too many wrong codes. Try again after {timezone.localtime(locked_until):%H:%M:%S}"


def _recovery_code_used(user) -> None:
    left = recovery_codes_left(user)
    audit_record(
        actor=user,
        action="second_factor.recovery_code_used",
        target=user,
        summary=f"{user} used a recovery code; {left} left",
    )


# Setting up, replacing, turning off ----------------------------------------------------------------------------------


def app_setup_start(user) -> TOTPDevice:
    """The unconfirmed app device whose key the set-up page shows, made once and kept until confirmed (reloading the
    page shows the same key, so a person who has already scanned it is not thrown)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def app_setup_confirm(*, user, code: str) -> list[str]:
    """Confirm the app with a code it shows: it replaces any app set up before, and a fresh set of recovery codes
    is made. The codes are returned to be shown once."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        raise ValidationError({"code": "Enter the 6-digit code your authenticator app shows"})
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            raise ValidationError({"code": "Start again: scan the QR code this page shows now"})
        allowed, why = device.verify_is_allowed()
        if not allowed:
            raise ValidationError({"code": _throttled_message(why)})
        if not device.verify_token(code):
            raise ValidationError(
                {"code": "That code is not right. Check the time on your phone, and try the new code"}
            )
        replacing = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit_record(
            actor=user,
            action="second_factor.enrolled",
            target=user,
            summary=f"{user} {'replaced their authenticator app' if replacing else 'set up an authenticator app'}",
        )
    return codes


def recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes for a person with an app; the old ones stop working."""
    if not has_second_factor(user):
        raise ValidationError("Set up an authenticator app first: recovery codes stand in for it")
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_record(
            actor=user,
            action="second_factor.recovery_codes_renewed",
            target=user,
            summary=f"{user} made new recovery codes",
        )
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_turn_off(*, user) -> None:
    """A person who need not have a second factor removes theirs (someone who must cannot)."""
    if must_use_second_factor(user):
        raise ValidationError("Your roles need a second factor, so it cannot be turned off")
    with transaction.atomic():
        if not _delete_devices(user):
            raise ValidationError("You have no second factor to turn off")
        audit_record(
            actor=user, action="second_factor.turned_off", target=user, summary=f"{user} turned off their second factor"
        )


def second_factor_reset(*, actor, person, reason: str, partnership_id: int | None = None) -> None:
    """A lost phone: remove the person's app and recovery codes, revoke their API tokens and end their sessions, so
    they set up a new app at their next sign-in; they are told by email. Who may do it is for the caller to ask
    (`partnerships.services.person_second_factor_reset`): core knows no partnership."""
    with transaction.atomic():
        if not _delete_devices(person):
            raise ValidationError(f"{person.get_full_name() or person} has no second factor to reset")
        event = audit_record(
            actor=actor,
            action="second_factor.reset",
            target=person,
            summary=f"{person}'s second factor was reset by {actor}",
            reason=reason,
            partnership_id=partnership_id,
        )
        revoke_all_tokens(person, reason="second factor reset", actor=actor)
        sessions_end_all(user=person, actor=actor)
        # The reset's own event names the email, so a task run twice sends it once.
        queue_after_commit(
            "core.tasks.send_second_factor_reset_email", event.pk, person.pk, str(actor) if actor is not SYSTEM else ""
        )


def _delete_devices(user) -> bool:
    apps, _ = TOTPDevice.objects.filter(user=user).delete()
    codes, _ = StaticDevice.objects.filter(user=user).delete()
    return bool(apps or codes)


# Showing the key -------------------------------------------------------------------------------------------------


def app_key_text(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def app_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, dark on white so every camera reads it."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#212b32", light="#ffffff", omitsize=True
    )
