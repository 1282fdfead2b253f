"""The signed-in person, read from the cache on a typical request instead of the database
(docs/adr/0019-sessions-and-the-signed-in-person-from-the-cache.md).

`get_user` is Django's `django.contrib.auth.get_user` (5.2) with one change: the person's row comes from the cache
when it holds them. Everything else is Django's: the session names the person and the backend that signed them in;
the backend's rule decides (the password backend refuses a deactivated account); and the session's copy of the
password hash must match the person's, so changing the password ends every other session.

Each person's entry carries a version token and counts only while it matches the person's current token, which is
dropped whenever their row is saved or deleted: the signals below, which every path sends (the pages, services, the
admin, `changepassword`, the shell). The next request finds no token, makes a new random one and reads the row
afresh. A token, not a counter: one the cache evicts comes back as a value no old entry carries. The token is
dropped when the row is saved and again after the transaction commits, which closes the window in which a request
could read the old row before the commit and store it with the token made after the first drop. A change made
without a signal (`QuerySet.update()`, raw SQL) must call `user_cache_forget` itself; entries also expire after
`USER_CACHE_SECONDS`.

Only the row is cached, as the backend loaded it: what a request attaches to the person later (the roles that
partnerships.access keeps for the request) is never stored, so roles, groups and second factors are read as
before.
"""

import secrets
from functools import partial

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, _get_user_session_key, load_backend
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare

# How long an entry lives at most: it bounds the damage of a change that bypassed the signals.
USER_CACHE_SECONDS = 5 * 60


def get_user(request):
    """The person the request's session is signed in as, or AnonymousUser."""
    try:
        user_id = _get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    user = cached_backend_user(backend_path, user_id)
    if user is None:
        return AnonymousUser()
    if not hasattr(user, "get_session_auth_hash"):
        return user
    session_hash = request.session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return user
    # Signed with a secret key since replaced (SECRET_KEY_FALLBACKS): sign it again with the current one.
    if session_hash and any(
        constant_time_compare(session_hash, fallback_hash) for fallback_hash in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = session_auth_hash
        return user
    request.session.flush()
    return AnonymousUser()


def cached_backend_user(backend_path: str, user_id):
    """What `backend.get_user(user_id)` answers, from the cache when it holds the answer under the person's current
    version token. The token and the entry are read together (one round trip to Redis). A refusal (None) is not
    stored: it ends in the sign-in page, not in a stream of requests."""
    version_key, entry_key = _version_key(user_id), f"signed-in-user:{backend_path}:{user_id}"
    found = cache.get_many([version_key, entry_key])
    version = found.get(version_key)
    if version is None:
        cache.add(version_key, secrets.token_hex(8), timeout=None)
        version = cache.get(version_key)  # ours, or another request's that got there first
    entry = found.get(entry_key)
    if entry is not None and version is not None and entry[0] == version:
        return entry[1]
    user = load_backend(backend_path).get_user(user_id)
    if user is not None and version is not None:
        cache.set(entry_key, (version, user), USER_CACHE_SECONDS)
    return user


def user_cache_forget(user_id) -> None:
    """Make the next request read the person's row from the database."""
    cache.delete(_version_key(user_id))


def _version_key(user_id) -> str:
    return f"signed-in-user:version:{user_id}"


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="core.user_cache.saved")
@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="core.user_cache.deleted")
def _forget_changed_user(sender, instance, using, **kwargs):
    user_cache_forget(instance.pk)
    transaction.on_commit(partial(user_cache_forget, instance.pk), using=using)
