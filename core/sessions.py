"""Signed-in sessions: the idle and absolute limits, and the list a person sees on "Your sessions".

Two timestamps live in each signed-in session: when the person signed in (the absolute limit counts from it, so
using the service never extends it) and when they last did something (the idle limit counts from it). Both are
written at most once a minute, like the `SignedInSession` row that describes the session, to keep writes cheap;
"Stay signed in" writes them at once. Polling how long is left is not activity, so an open tab cannot keep a
session alive by itself.
"""

import re
import time
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .accounts import client_address
from .audit import audit_record
from .models import SignedInSession

SIGNED_IN_AT = "_signed_in_at"
LAST_ACTIVITY_AT = "_last_activity_at"
# How stale a timestamp may get before a request writes it again.
WRITE_EVERY_SECONDS = 60


def now_seconds() -> int:
    return int(time.time())


# Limits -------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expiry:
    """Why a session has ended, in the words the sign-in page uses."""

    reason: str  # "idle" or "absolute"

    @property
    def message(self) -> str:
        if self.reason == "idle":
            minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
            return f"You were signed out after {minutes} minutes without activity. Sign in again to continue."
        hours = int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600)
        return f"You were signed out because you had been signed in for {hours} hours. Sign in again to continue."


def session_expiry(session, *, at: int | None = None) -> Expiry | None:
    """Whether a signed-in session has passed its absolute or its idle limit, or None while it has not."""
    at = now_seconds() if at is None else at
    signed_in_at = session.get(SIGNED_IN_AT)
    last_activity_at = session.get(LAST_ACTIVITY_AT)
    if signed_in_at is not None and at - signed_in_at >= settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        return Expiry("absolute")
    if last_activity_at is not None and at - last_activity_at >= settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return Expiry("idle")
    return None


def idle_seconds_left(session, *, at: int | None = None) -> int:
    """Seconds until the session ends for want of activity (or sooner, at its absolute limit)."""
    at = now_seconds() if at is None else at
    idle_end = session.get(LAST_ACTIVITY_AT, at) + settings.SESSION_IDLE_TIMEOUT.total_seconds()
    absolute_end = session.get(SIGNED_IN_AT, at) + settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
    return max(0, int(min(idle_end, absolute_end) - at))


def session_mark_signed_in(session, *, at: int | None = None) -> None:
    """Start both clocks of a session that has just signed in."""
    at = now_seconds() if at is None else at
    session[SIGNED_IN_AT] = at
    session[LAST_ACTIVITY_AT] = at


def session_mark_active(session, *, at: int | None = None, force: bool = False) -> bool:
    """Note activity on a signed-in session, at most once a minute unless `force`; True when written."""
    at = now_seconds() if at is None else at
    if not force and at - session.get(LAST_ACTIVITY_AT, 0) < WRITE_EVERY_SECONDS:
        return False
    session[LAST_ACTIVITY_AT] = at
    return True


@receiver(user_logged_in, dispatch_uid="core.sessions.signed_in")
def _start_session(sender, request, user, **kwargs):
    """Every way of signing in ends in Django's `login()` (the sign-in page, single sign-on, the test client's
    `force_login`), which sends this: start the clocks and describe the session there, not on a later request.
    A token issued to a script (knox sends the signal too) has no signed-in session to describe."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return
    session_mark_signed_in(session)
    if session.session_key is None:
        session.save()
    signed_in_session_record(
        user=user,
        session_key=session.session_key,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip_address=client_address(request),
    )


# The rows behind "Your sessions" ------------------------------------------------------------------------------------


def signed_in_session_record(*, user, session_key: str, user_agent: str, ip_address: str | None) -> SignedInSession:
    """Describe a session that has just signed in, and forget the person's sessions that have ended since."""
    with transaction.atomic():
        _forget_ended_sessions(user)
        record, _ = SignedInSession.objects.update_or_create(
            session_key=session_key,
            defaults={
                "user": user,
                "user_agent": user_agent[:300],
                "ip_address": ip_address or None,
                "created_at": timezone.now(),
                "last_seen_at": timezone.now(),
            },
        )
    return record


def signed_in_session_seen(*, session_key: str, user, user_agent: str, ip_address: str | None) -> None:
    """Move a session's "last seen" on, creating its row if it has none (a session that began before this list)."""
    updated = SignedInSession.objects.filter(session_key=session_key, user=user).update(
        last_seen_at=timezone.now(), ip_address=ip_address or None
    )
    if not updated:
        signed_in_session_record(user=user, session_key=session_key, user_agent=user_agent, ip_address=ip_address)


def signed_in_session_rekey(*, old_key: str, new_key: str) -> None:
    """Follow a session whose key has changed while it stayed signed in (changing the password cycles the key)."""
    SignedInSession.objects.filter(session_key=old_key).update(session_key=new_key)


def signed_in_session_forget(*, session_key: str) -> None:
    """Remove the row of a session that has signed out or timed out (the session store has already ended it)."""
    SignedInSession.objects.filter(session_key=session_key).delete()


def session_revoke(*, actor, pk: int, current_session_key: str) -> SignedInSession:
    """Sign one of the actor's other sessions out: it is deleted from the session store, and the next request from
    that browser is anonymous. Someone else's session, or the current one, is not found (404)."""
    with transaction.atomic():
        record = get_object_or_404(
            SignedInSession.objects.select_for_update().exclude(session_key=current_session_key), pk=pk, user=actor
        )
        _end(record, actor=actor)
    return record


def sessions_revoke_others(*, actor, current_session_key: str) -> int:
    """Sign every other session of the actor out, keeping the current one; how many were signed out."""
    with transaction.atomic():
        records = list(
            SignedInSession.objects.select_for_update().filter(user=actor).exclude(session_key=current_session_key)
        )
        for record in records:
            _end(record, actor=actor)
    return len(records)


def sessions_end_all(*, user, actor) -> int:
    """End every session of `user` (their second factor was reset by someone else): how many were ended."""
    with transaction.atomic():
        records = list(SignedInSession.objects.select_for_update().filter(user=user))
        for record in records:
            _end(record, actor=actor)
    return len(records)


def _end(record: SignedInSession, *, actor) -> None:
    audit_record(
        actor=actor,
        action="session.revoked",
        target=record.user,
        summary=f"Signed out {describe_device(record.user_agent)} (signed in {record.created_at:%d %b %Y %H:%M})",
    )
    _session_store(record.session_key).delete()
    record.delete()


def _session_store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def _forget_ended_sessions(user) -> None:
    records = list(SignedInSession.objects.filter(user=user))
    live = _signed_in_keys(user, [record.session_key for record in records])
    SignedInSession.objects.filter(pk__in=[record.pk for record in records if record.session_key not in live]).delete()


def _signed_in_keys(user, keys: list[str]) -> set[str]:
    """Those of `keys` whose sessions the store still holds, signed in as this person with their current password:
    changing the password ends every other session (Django compares the stored hash on their next request), and
    the list must say so before then."""
    return {key for key, data in _sessions_data(keys).items() if _signed_in_as(data, user)}


def _sessions_data(keys: list[str]) -> dict[str, dict]:
    """Each session's data: in one query when sessions live in the database (Django's default, and `cached_db`),
    else one read of the store each."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return {key: store(key).load() for key in keys}
    rows = store.get_model_class().objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
    return {row.session_key: store().decode(row.session_data) for row in rows}


def _signed_in_as(data: dict, user) -> bool:
    if str(data.get(SESSION_KEY)) != str(user.pk):
        return False
    if not constant_time_compare(data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()):
        return False
    return session_expiry(data) is None


# Reading ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    pk: int
    device: str
    ip_address: str
    signed_in_at: datetime
    last_seen_at: datetime
    current: bool


def sessions_of(user, *, current_session_key: str) -> list[SessionRow]:
    """The person's sessions that are still signed in, the current one first, then the most recently seen."""
    records = list(SignedInSession.objects.filter(user=user))
    live = _signed_in_keys(user, [record.session_key for record in records]) | {current_session_key}
    rows = [
        SessionRow(
            pk=record.pk,
            device=describe_device(record.user_agent),
            ip_address=record.ip_address or "Unknown",
            signed_in_at=record.created_at,
            last_seen_at=record.last_seen_at,
            current=record.session_key == current_session_key,
        )
        for record in records
        if record.session_key in live
    ]
    return sorted(rows, key=lambda row: (not row.current, -row.last_seen_at.timestamp()))


# A rough reading of the User-Agent: enough for a person to tell their phone from their laptop --------------------

_BROWSERS = [
    ("Edge", re.compile(r"Edg(e|A|iOS)?/")),
    ("Opera", re.compile(r"OPR/|Opera")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/")),
    ("Firefox", re.compile(r"Firefox/|FxiOS/")),
    ("Chrome", re.compile(r"Chrome/|CriOS/|Chromium/")),
    ("Safari", re.compile(r"Safari/")),
]
_SYSTEMS = [
    ("iPhone", re.compile(r"iPhone")),
    ("iPad", re.compile(r"iPad")),
    ("Android", re.compile(r"Android")),
    ("Windows", re.compile(r"Windows")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("Linux", re.compile(r"Linux|X11")),
]


def describe_device(user_agent: str) -> str:
    """ "Firefox on Windows" from a User-Agent header; "Unknown browser" when it names nothing we know."""
    browser = next((name for name, pattern in _BROWSERS if pattern.search(user_agent)), "")
    system = next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "Unknown browser")
