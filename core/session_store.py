"""The session engine (`SESSION_ENGINE = "core.session_store"`): Django's cached database sessions, read from the
cache on a typical request and written through to the database, so a signed-in request needs no query for its
session (docs/adr/0019-sessions-and-the-signed-in-person-from-the-cache.md).

One change to Django's `cached_db`: a session that ends (signing out, a revoked session on "Your sessions", a
new key at sign-in or on a password change) leaves a marker in the cache instead of an empty slot, and a request
that read the session from the database puts it in the cache only if the slot is empty (`add`, not `set`). With
Django's own, a request that read the row just before the session ended could put it back in the cache after
the end had cleared it, and the session would live on in the cache for hours with no row behind it; a revocation
clears the cache inside its transaction, before the row's deletion is visible, which widens that window to the
whole transaction. The marker lasts as long as a session can, and if the cache drops it early, the database has
no row to read.

The cache must be one that every process shares (Redis in production, a file cache on a laptop): a revocation
in one process must reach the cache the others read.
"""

import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends import cached_db

logger = logging.getLogger("django.contrib.sessions")

# What the cache holds for a session that has ended. Session data is always a dict, so a string cannot be mistaken
# for it.
ENDED = "core.session_store:ended"


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # as Django's: a backend that refuses the key resets the session
            data = None
        if data == ENDED:
            self._session_key = None  # as for a key the database does not hold: a new one if anything is saved
            return {}
        if data is not None:
            return data
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        try:
            self._cache.add(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)
        return data

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        super(cached_db.SessionStore, self).delete(session_key)  # the database's row only
        if session_key is None:
            return
        # No try/except: if the cache cannot be told, the session could live on there, and the caller (signing
        # out, a revocation) must fail rather than say it is over.
        self._cache.set(self.cache_key_prefix + session_key, ENDED, settings.SESSION_COOKIE_AGE)

    # The service runs under WSGI; the asynchronous forms keep the same rules rather than Django's.

    async def aload(self):
        return await sync_to_async(self.load)()

    async def adelete(self, session_key=None):
        await sync_to_async(self.delete)(session_key)
