"""Settings for the test suite: the base settings with fast hashing and in-process side effects.

The suite decides what it depends on, whatever the environment says: `make test` exports DEMO_PASSWORD, CI exports
REDIS_URL, and a developer's shell may carry anything from .env. Only DATABASE_URL is read, to choose the engine.
"""

import os
from datetime import timedelta

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, STORAGES

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# CI sets DATABASE_URL to run the suite on PostgreSQL; unset or empty, each test process has an in-memory SQLite.
if not os.environ.get("DATABASE_URL", "").strip():
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# Tasks queued by services run in-process after commit; tests of the real worker start one themselves, with a
# broker of their own. The broker here is only asked whether it answers, and an in-memory one always does.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_RESULT_BACKEND = "cache+memory://"
# Every test person's password (tests/factories.py); the browser tests type it to sign in.
DEMO_PASSWORD = "partnership-demo"
# The suite's people sign in with a password alone; the tests of second factors turn the requirement on.
SECOND_FACTOR_REQUIRED = False
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
REQUEST_LOG = False

# Single sign-on is off whatever the environment says; core/tests/test_single_sign_on.py turns it on, against a
# provider of its own: django-oauth-toolkit, installed here only (tests/oidc_provider_urls.py mounts it).
OIDC_RP_CLIENT_ID = ""
AUTHENTICATION_BACKENDS = [backend for backend in AUTHENTICATION_BACKENDS if backend != "core.oidc.OIDCBackend"]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]  # noqa: F405
