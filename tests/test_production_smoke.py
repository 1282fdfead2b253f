"""docker compose's services, started here as compose would start them: no Docker engine runs on these machines, so
this test reads docker-compose.yml through the Compose binary (every variable filled in) and the Dockerfile's
runtime environment, and runs `migrate`, `web`, both workers and `beat` with exactly those commands and environment,
and Caddy with the proxy's Caddyfile. Then it runs each service's own health check and requires success, signs in
through the proxy, and has a digest built by the reports worker.

What differs from a container, and only that: the paths the image uses (/opt/venv, /app, /var/lib/stp-portal) are
this checkout's; the database and Redis are this machine's (a database and a Redis database of the test's own);
gunicorn and Caddy listen on free ports; emails go to files; the seeding of demo people is a step of the test.
"""

import http.cookiejar
import json
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg2
import pytest
import redis
from django.conf import settings
from django.utils import timezone

from tests.fixtures import process_environment, redis_url, skip_or_fail
from tests.processes import compose_services, dockerfile_stages, server_url, sql, wait_for

pytestmark = pytest.mark.services

ROOT = Path(settings.BASE_DIR)
VENV_BIN = Path(sys.executable).parent
REDIS_DATABASE = 11
# A stop for a hung step, not a measure of speed: each wait ends as soon as its condition holds. collectstatic alone
# takes a minute on a quiet two-core machine, several when it is busy.
WAIT_SECONDS = 240
SERVICES = ["web", "worker", "reports-worker", "beat"]
DEMO_PASSWORD = "smoke-test-demo-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def image_environment() -> dict[str, str]:
    """The ENV of the Dockerfile's `app` stage (the image compose runs), ARGs left empty."""
    environment = {}
    for line in dockerfile_stages()["app"]:
        if line.startswith("ENV "):
            for pair in shlex.split(line.removeprefix("ENV ")):
                name, _, value = pair.partition("=")
                value = value.replace("$PATH", os.environ["PATH"])
                environment[name] = re.sub(r"\$\w+", "", value)
    return environment


class Machine:
    """This checkout standing in for the image's file system: the same paths, moved."""

    def __init__(self, var_dir: Path):
        self.paths = {"/opt/venv/bin": str(VENV_BIN), "/var/lib/stp-portal": str(var_dir), "/app": str(ROOT)}

    def local(self, text: str) -> str:
        """`text` from the compose file or the Dockerfile as it applies here: "$$" unescaped, as Docker does."""
        text = text.replace("$$", "$")
        for image_path, here in self.paths.items():
            text = text.replace(image_path, here)
        return text

    def argv(self, command: list[str]) -> list[str]:
        return [self.local(part) for part in command]

    def environment(self, service: dict, **overrides: str) -> dict[str, str]:
        image = {name: self.local(value) for name, value in image_environment().items()}
        given = {name: self.local(value or "") for name, value in service["environment"].items()}
        return process_environment(**{**image, **given, **overrides})

    def health_check(self, service: dict, environment: dict[str, str]) -> subprocess.CompletedProcess:
        """The service's own health check, as Docker runs it: CMD as an argv, CMD-SHELL through sh -c."""
        kind, *test = service["healthcheck"]["test"]
        argv = self.argv(test) if kind == "CMD" else ["sh", "-c", self.local(test[0])]
        return subprocess.run(argv, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)


@pytest.fixture
def server_database():
    """A fresh, empty PostgreSQL database of this test's own, on the server the suite uses: its name."""
    name = f"stp_smoke_{uuid.uuid4().hex[:8]}"
    try:
        sql("postgres", f'CREATE DATABASE "{name}"')
    except psycopg2.OperationalError:
        skip_or_fail("The production smoke test needs PostgreSQL: none answers on DATABASE_URL's server")
    try:
        yield name
    finally:
        sql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_database():
    url = redis_url(REDIS_DATABASE)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.ConnectionError:
        skip_or_fail("Redis is not answering on REDIS_URL's server (default 127.0.0.1:6379)")
    return url


class Browser:
    """A person at the proxy's HTTPS address: cookies kept, Caddy's own certificate accepted, redirects followed."""

    def __init__(self, base: str):
        self.base = base
        insecure = ssl.create_default_context()
        insecure.check_hostname = False
        insecure.verify_mode = ssl.CERT_NONE
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=insecure), urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + path}))

    def _open(self, request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                self.headers = response.headers
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as refusal:
            self.headers = refusal.headers
            return refusal.code, refusal.geturl(), refusal.read().decode()


def test_compose_services_start_healthy_sign_in_through_the_proxy_and_build_a_digest(
    tmp_path, server_database, redis_database
):
    if shutil.which("caddy") is None:
        skip_or_fail("Caddy is not installed (apt-get install caddy)")
    web_port, second_web_port, https_port, http_port, admin_port = (free_port() for _ in range(5))
    services = compose_services(SITE_URL=f"https://localhost:{https_port}")
    machine = Machine(tmp_path / "var")
    for folder in ("media", "beat"):  # the image makes these, owned by its runtime user
        (tmp_path / "var" / folder).mkdir(parents=True)
    here = {
        "DATABASE_URL": server_url(server_database),
        "REDIS_URL": redis_database,
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    environments = {name: machine.environment(services[name], **here) for name in ["migrate", *SERVICES]}
    assert all(environments[name]["TRUSTED_PROXY_COUNT"] == "1" for name in SERVICES)
    logs = tmp_path / "logs"
    logs.mkdir()

    def run(name: str, argv: list[str], **extra: str) -> None:
        with (logs / f"{name}.log").open("w") as output:
            result = subprocess.run(
                argv,
                cwd=ROOT,
                env={**environments["migrate"], **extra},
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=600,
            )
        assert result.returncode == 0, (logs / f"{name}.log").read_text()[-3000:]

    # The image's build collects the static files (here beside the rest, as it takes a while); compose's one-off
    # `migrate` runs before anything else starts.
    with (logs / "collectstatic.log").open("w") as output:
        collecting = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=environments["migrate"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    run("migrate", machine.argv(services["migrate"]["command"]))
    run("seed", [sys.executable, "manage.py", "seed_demo"], DEMO_PASSWORD=DEMO_PASSWORD)
    assert collecting.wait(timeout=600) == 0, (logs / "collectstatic.log").read_text()[-3000:]

    processes: dict[str, subprocess.Popen] = {}

    def waiting(check, what):
        return wait_for(check, what, processes=processes, logs=sorted(logs.glob("*.log")), seconds=WAIT_SECONDS)

    try:
        # `--scale web=2`: a second web, as compose would start it, on a port of its own here.
        environments["web-2"] = {**environments["web"], "GUNICORN_BIND": f"127.0.0.1:{second_web_port}"}
        for name in [*SERVICES, "web-2"]:
            with (logs / f"{name}.log").open("w") as output:
                processes[name] = subprocess.Popen(
                    machine.argv(services[name.removesuffix("-2")]["command"]),
                    cwd=ROOT,
                    env=environments[name],
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
        proxy = {
            "SITE_ADDRESS": services["proxy"]["environment"]["SITE_ADDRESS"],
            "HTTPS_PORT": str(https_port),
            "HTTP_PORT": str(http_port),
            "CADDY_ADMIN": f"localhost:{admin_port}",
            "STATIC_DIR": str(tmp_path / "var" / "staticfiles"),
            "WEB_HOST": "127.0.0.1",
            "WEB_PORT": str(web_port),
            "XDG_DATA_HOME": str(tmp_path / "caddy-data"),
            "XDG_CONFIG_HOME": str(tmp_path / "caddy-config"),
        }
        with (logs / "proxy.log").open("w") as output:
            processes["proxy"] = subprocess.Popen(
                ["caddy", "run", "--config", "stp_portal/Caddyfile", "--adapter", "caddyfile"],
                cwd=ROOT,
                env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), **proxy},
                stdout=output,
                stderr=subprocess.STDOUT,
            )

        # Each service's own health check, as Docker would run it, until it passes.
        for name in [*SERVICES, "web-2"]:
            checks: list[subprocess.CompletedProcess] = []

            def healthy(name=name, checks=checks):
                checks.append(machine.health_check(services[name.removesuffix("-2")], environments[name]))
                return checks[-1].returncode == 0

            waiting(healthy, lambda name=name, checks=checks: f"{name}'s health check failed: {checks[-1]}")

        # The check is worth something: sent with a host the site does not answer to, it fails.
        refused = machine.health_check(
            services["web"], {**environments["web"], "ALLOWED_HOSTS": "stp-portal.example.nhs.uk"}
        )
        assert refused.returncode == 1
        assert "answered 400 to Host stp-portal.example.nhs.uk" in refused.stderr

        # /healthz says what is running.
        health = json.loads(
            urllib.request.urlopen(
                urllib.request.Request(f"http://127.0.0.1:{web_port}/healthz", headers={"Host": "localhost"}),
                timeout=30,
            ).read()
        )
        assert health["status"] == "ok" and health["migrations"] == "applied"
        assert health["version"].startswith("0.")

        # A person signs in through the proxy, over HTTPS, and the pages' static files come from it.
        browser = Browser(f"https://localhost:{https_port}")
        status, _, page = waiting(
            lambda: (answer := browser.get("/sign-in/"))[0] == 200 and answer,
            "The sign-in page never came through the proxy",
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, address, page = browser.post(
            "/sign-in/", {"csrfmiddlewaretoken": token, "username": "member", "password": DEMO_PASSWORD}
        )
        assert status == 200 and urllib.parse.urlsplit(address).path == "/", (status, address)
        assert "Sign out" in page
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
        assert browser.get(stylesheet)[0] == 200
        assert browser.headers["Cache-Control"] == "public, max-age=31536000, immutable"  # Caddy's, not whitenoise's

        # Nothing is kept on a web's own disk: the session made through one web is good on the other.
        session = next(cookie.value for cookie in browser.cookies if cookie.name == "sessionid")
        elsewhere = urllib.request.Request(
            f"http://127.0.0.1:{second_web_port}/",
            headers={"Host": "localhost", "X-Forwarded-Proto": "https", "Cookie": f"sessionid={session}"},
        )
        with urllib.request.urlopen(elsewhere, timeout=30) as response:
            assert response.status == 200 and "Sign out" in response.read().decode()

        # A digest queued for the demo partnership is built by the reports worker.
        period_end = timezone.localdate()
        run("queue-digest", [sys.executable, "manage.py", "shell", "-c", QUEUE_DIGEST.format(period_end=period_end)])
        waiting(
            lambda: (
                sql(server_database, "SELECT status FROM reporting_digest WHERE period_end = %s", (period_end,))
                == [("built",)]
            ),
            "The queued digest was never built",
        )
        assert "reports@" in (logs / "reports-worker.log").read_text()
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


QUEUE_DIGEST = """
from partnerships.models import Partnership
from reporting.tasks import build_digest
build_digest.delay(Partnership.objects.get(code="QZZ").pk, "{period_end}")
"""
