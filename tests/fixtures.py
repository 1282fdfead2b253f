"""Fixtures shared by every test (loaded as a pytest plugin): services that may be absent, and personas."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make beside it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The suite's settings are pyproject's (or --ds), not those of a shell that exported DJANGO_SETTINGS_MODULE for
# manage.py or celery: pytest-django would prefer the environment's.
os.environ.pop("DJANGO_SETTINGS_MODULE", None)

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip when a service or browser is missing on a laptop; fail in CI, where REQUIRE_SERVICES=1."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1 makes this a failure rather than a skip)")
    pytest.skip(reason)


# Settings read from the environment (.env.example lists every one); tests that start a Django process of their own
# begin without them, so a developer's .env or `make test`'s DEMO_PASSWORD cannot change what that process does.
ENV_EXAMPLE = Path(__file__).resolve().parent.parent / ".env.example"
SETTINGS_VARIABLES = {
    *re.findall(r"^([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), flags=re.MULTILINE),
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
}


def process_environment(**settings: str) -> dict[str, str]:
    """The environment for a Django process started by a test: ours, minus our settings, plus `settings`."""
    environment = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    return {**environment, "DJANGO_SETTINGS_MODULE": "stp_portal.settings.base", **settings}


def redis_url(database: int) -> str:
    """Redis database `database` on REDIS_URL's server (default 127.0.0.1:6379): a test's own, so that no other
    worker on that server (another xdist process's, or a developer's `make run`) takes its tasks."""
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit(parts._replace(path=f"/{database}"))


# --- Personas: one demo partnership (QZZ) and a second one whose lead is the outsider. ---------------------------


class World:
    """The people and organisations most tests need, built once per test by the `world` fixture."""

    def __init__(self):
        from partnerships.models import OrganisationKind, Role
        from tests.factories import PartnershipFactory, ProfileFactory, UserFactory, grant, member_of

        self.partnership = PartnershipFactory(code="QZZ", name="Demo Health and Care Partnership")
        self.other_partnership = PartnershipFactory(code="QYY", name="Other Health and Care Partnership")
        self.trust = member_of(self.partnership, name="Demo Hospitals NHS Foundation Trust", ods_code="RZZ")
        self.council = member_of(
            self.partnership, name="Demo City Council", ods_code="Z1001", kind=OrganisationKind.LOCAL_AUTHORITY
        )
        self.other_trust = member_of(self.other_partnership, name="Elsewhere NHS Trust", ods_code="RYY")

        def person(username, organisation, title, *roles, partnership=None):
            user = UserFactory(username=username)
            ProfileFactory(user=user, organisation=organisation, job_title=title)
            grant(user, partnership or self.partnership, *roles)
            return user

        self.lead = person("lead", self.trust, "Partnership lead", Role.LEAD)
        self.board = person("board", self.trust, "Chief executive", Role.BOARD_MEMBER)
        self.ned = person("ned", self.council, "Lay member", Role.NON_EXECUTIVE)
        self.member = person("member", self.council, "Programme manager", Role.MEMBER)
        self.viewer = person("viewer", self.council, "Analyst", Role.VIEWER)
        self.outsider = person(
            "outsider", self.other_trust, "Partnership lead", Role.LEAD, partnership=self.other_partnership
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate limits (password reset) count in it, and one test's requests must
    not use up another's allowance."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db) -> World:
    return World()


PERSONAS = ["anonymous", "outsider", "viewer", "member", "ned", "board", "lead"]


def client_for(client, world: World, persona: str):
    """The test client signed in as `persona` (or not at all, for 'anonymous')."""
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


@pytest.fixture
def api_client():
    """DRF's test client, checking every answer under /api/v1/ against the OpenAPI schema (tests/api_client.py)."""
    from tests.api_client import SchemaCheckedClient

    return SchemaCheckedClient()
