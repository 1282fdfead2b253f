"""The suite decides its own settings: what a shell exports (a developer's .env, `make test`'s DEMO_PASSWORD, CI's
REDIS_URL) does not change what a test does, and the processes tests start begin without it."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.factories import UserFactory
from tests.fixtures import SETTINGS_VARIABLES, process_environment

ROOT = Path(settings.BASE_DIR)

# Values a shell might export, each of which would change a test's outcome if the test settings read it.
EXPORTED = {
    "DEMO_PASSWORD": "something-else",
    "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing answers on port 1
    "DATABASE_URL": "",
    "SECURE_SSL_REDIRECT": "true",
    "AXES_COOLOFF_MINUTES": "1",
    "DJANGO_SETTINGS_MODULE": "stp_portal.settings.base",
}


def test_people_made_by_the_factories_have_the_password_the_settings_name(db, settings):
    settings.DEMO_PASSWORD = "only-this-test-uses-this-password"
    assert UserFactory().check_password("only-this-test-uses-this-password")


def test_the_test_password_is_the_same_whatever_the_environment_says():
    assert settings.DEMO_PASSWORD == "partnership-demo", "stp_portal/settings/test.py fixes it for every run"


def test_a_person_made_by_the_factories_signs_in_through_the_form(client, world):
    response = client.post("/sign-in/", {"username": "lead", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_broker_the_tests_use_always_answers(db, client):
    assert client.get("/healthz").json()["broker"] == "ok"


def test_processes_started_by_tests_begin_without_any_setting_read_from_the_environment(monkeypatch):
    settings_module = (ROOT / "stp_portal" / "settings" / "base.py").read_text()
    read = set(re.findall(r"env_[a-z]+\(\s*\"([A-Z][A-Z0-9_]*)\"", settings_module))
    assert {"DATABASE_URL", "REDIS_URL", "DEMO_PASSWORD"} <= read
    assert read <= SETTINGS_VARIABLES, f"add {sorted(read - SETTINGS_VARIABLES)} to .env.example"
    monkeypatch.setenv("DEMO_PASSWORD", "something-else")
    assert "DEMO_PASSWORD" not in process_environment()


# Tests that depend on the settings above, run again below with EXPORTED in the environment.
DEPENDENT_TESTS = [
    *(
        f"tests/test_isolation.py::{test.__name__}"
        for test in [
            test_the_test_password_is_the_same_whatever_the_environment_says,
            test_a_person_made_by_the_factories_signs_in_through_the_form,
            test_the_broker_the_tests_use_always_answers,
        ]
    ),
    "tests/test_sign_in.py::test_account_is_locked_after_five_failures_with_a_clear_message",
    "tests/browser/test_sign_in.py::test_a_person_made_by_the_factories_signs_in_with_the_password_the_settings_name",
]


def test_settings_exported_in_the_shell_do_not_change_the_tests():
    """Before the test settings fixed DEMO_PASSWORD, `DEMO_PASSWORD=something-else make test` failed every browser
    test that signed in. The browser test here is skipped without Chromium, unless REQUIRE_SERVICES=1."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q", *DEPENDENT_TESTS],
        cwd=ROOT,
        env={**os.environ, **EXPORTED},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) >= len(DEPENDENT_TESTS) - 1, result.stdout[-2000:]
