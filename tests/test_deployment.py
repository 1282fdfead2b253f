"""The production shape: settings that refuse bad values, `check --deploy`, the compose file, security headers."""

import os
import subprocess
import sys
from pathlib import Path

import compose
import pytest
from django.conf import settings

from tests.fixtures import process_environment

ROOT = Path(settings.BASE_DIR)
# A stop for a hung process, not a measure of speed: collectstatic (hashing and compressing every file) takes a minute
# on an idle two-core machine and over five when the machine is overloaded.
PROCESS_TIMEOUT_SECONDS = 600
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "a-long-random-looking-production-secret-key-1234567890",
    "ALLOWED_HOSTS": "stp-portal.example.nhs.uk",
    "DATABASE_URL": "postgres://portal:secret@db:5432/portal",
    "REDIS_URL": "redis://redis:6379/0",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=process_environment(**env),
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT_SECONDS,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_site_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


@pytest.mark.parametrize(("environment", "required"), [({}, "True"), ({"SECOND_FACTOR_REQUIRED": "false"}, "False")])
def test_production_requires_a_second_factor_unless_told_otherwise(environment, required):
    """The suite runs with the requirement off (stp_portal/settings/test.py); production has it on by default."""
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECOND_FACTOR_REQUIRED)",
        **PRODUCTION,
        **environment,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == required


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be one of true/false"),
        ("DATABASE_URL", "mysql://db/portal", "DATABASE_URL must start with one of sqlite://"),
        ("REDIS_URL", "http://redis:6379", "REDIS_URL must start with one of redis://"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        ("EMAIL_PORT", "70000", "EMAIL_PORT must be at most 65535"),
        ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT must be at least 1"),
    ],
)
def test_bad_values_fail_at_start_naming_the_variable(variable, value, message):
    result = run_manage("check", **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_compose_file_validates_with_the_compose_binary():
    binary = Path(compose.__file__).parent / "docker-compose"
    environment = {**os.environ, "SECRET_KEY": "compose-validation-secret", "POSTGRES_PASSWORD": "x"}
    result = subprocess.run(
        [str(binary), "-f", "docker-compose.yml", "config", "--quiet"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    services = subprocess.run(
        [str(binary), "-f", "docker-compose.yml", "config", "--services"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()
    assert sorted(services) == ["beat", "db", "redis", "web", "worker"]


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_unsafe_inline(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_pages_render_with_production_static_files(tmp_path):
    """Under DEBUG=false static URLs come from collectstatic's manifest: a template asking for a file the
    manifest lacks would make every page a 500."""
    production = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "VAR_DIR": str(tmp_path)}
    production.pop("REDIS_URL")
    assert run_manage("collectstatic", "--noinput", "-v0", **production).returncode == 0
    page = run_manage(
        "shell",
        "-c",
        "from django.test import Client; response = Client().get('/sign-in/', secure=True, "
        "HTTP_HOST='stp-portal.example.nhs.uk'); print(response.status_code, response.content.count(b'/static/'))",
        **production,
    )
    assert page.returncode == 0, page.stderr[-2000:]
    status, static_links = page.stdout.split()[-2:]
    assert (status, int(static_links) > 3) == ("200", True)
