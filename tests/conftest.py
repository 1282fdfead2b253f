"""Fixtures shared by every test: services that may be absent, and the demo personas."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make beside it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip when a service or browser is missing on a laptop; fail in CI, where REQUIRE_SERVICES=1."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1 makes this a failure rather than a skip)")
    pytest.skip(reason)


# Settings read from the environment; tests that start a Django process of their own begin without them.
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    "VAR_DIR",
    "CELERY_DATA_DIR",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
}


def process_environment(**settings: str) -> dict[str, str]:
    """The environment for a Django process started by a test: ours, minus our settings, plus `settings`."""
    environment = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    return {**environment, "DJANGO_SETTINGS_MODULE": "stp_portal.settings.base", **settings}
