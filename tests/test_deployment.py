"""The production shape: settings that refuse bad values, `check --deploy`, the compose file, security headers."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.fixtures import process_environment
from tests.processes import compose_services, dockerfile_stages, run_compose

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
    validated = run_compose("config", "--quiet")
    assert validated.returncode == 0, validated.stderr
    services = run_compose("config", "--services").stdout.split()
    assert sorted(services) == ["beat", "db", "migrate", "proxy", "redis", "reports-worker", "web", "worker"]


def test_compose_publishes_only_the_proxy():
    """gunicorn is reached through Caddy alone, so X-Forwarded-Proto and X-Forwarded-For can only be the proxy's."""
    published = [name for name, service in compose_services().items() if service.get("ports")]
    assert published == ["proxy"]


SECURE_PAGE = (
    "from django.test import Client; response = Client().get('/healthz/live', HTTP_HOST='stp-portal.example.nhs.uk', "
    "HTTP_X_FORWARDED_PROTO='https'); print(response.status_code)"
)


@pytest.mark.parametrize(("proxies", "status"), [("0", "301"), ("1", "200")])
def test_x_forwarded_proto_is_believed_only_from_a_trusted_proxy(tmp_path, proxies, status):
    """Plain HTTP claiming to be HTTPS is sent to HTTPS unless a proxy in front is trusted to say so."""
    production = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "VAR_DIR": str(tmp_path)}
    production.pop("REDIS_URL")
    result = run_manage("shell", "-c", SECURE_PAGE, TRUSTED_PROXY_COUNT=proxies, **production)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-1] == status


def test_s3_storage_for_uploads_when_a_bucket_is_named():
    script = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.location, s.default_acl, s.endpoint_url)"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        **PRODUCTION,
        MEDIA_S3_BUCKET="stp-uploads",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.nhs.uk",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-5:] == ["S3Storage", "stp-uploads", "media", "private", "https://s3.example.nhs.uk"]


def test_log_lines_are_json_in_production_with_the_request_id():
    script = (
        "import logging; from core.request_id import _current; _current.set('req-42'); "
        "logging.getLogger('portal').warning('Digest %s built', 7)"
    )
    result = run_manage("shell", "-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stderr[-2000:]
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert {key: line[key] for key in ("level", "logger", "request_id", "message")} == {
        "level": "WARNING",
        "logger": "portal",
        "request_id": "req-42",
        "message": "Digest 7 built",
    }
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_unsafe_inline(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_the_image_installs_only_the_locked_packages_before_it_copies_the_code():
    """No Docker engine runs here to build the image, so its shape is read: packages from the lock with their hashes,
    in a layer that code changes do not rebuild; the code owned by root; the app run by an unprivileged user."""
    stages = dockerfile_stages()
    packages = " ".join(stages["python-packages"])
    assert "pip install --require-hashes --no-deps -r /tmp/requirements.txt" in packages
    assert "COPY requirements/production.txt /tmp/requirements.txt" in packages and "COPY . ." not in packages
    app = stages["app"]
    assert "COPY . ." in app and not any("--chown" in line for line in app if line.startswith("COPY"))
    assert app.index("COPY . .") < app.index("USER portal")
    assert app[-1].startswith("CMD ") and app[-1] == 'CMD ["gunicorn", "-c", "stp_portal/gunicorn_conf.py"]'
    for folder in ("media", "beat", "exports"):
        assert f"/var/lib/stp-portal/{folder}" in " ".join(line for line in app if "install -d -o portal" in line)
    assert list(stages)[-1] == "app"  # `docker build .` builds the application, not the proxy
