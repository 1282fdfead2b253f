"""The containers' health checks (stp_portal/healthcheck.py); tests/test_production_smoke.py runs them against
running services."""

import os
import time

import pytest

from stp_portal import healthcheck


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("stp-portal.example.nhs.uk,localhost", "stp-portal.example.nhs.uk"),
        (".example.nhs.uk", "example.nhs.uk"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_the_web_check_sends_a_host_the_site_answers_to(monkeypatch, allowed, host):
    monkeypatch.setenv("ALLOWED_HOSTS", allowed)
    assert healthcheck.allowed_host() == host


def test_the_web_check_asks_gunicorns_own_port(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9001")
    assert healthcheck.health_url() == "http://127.0.0.1:9001/healthz"


def test_the_web_check_fails_when_nothing_answers(monkeypatch, capsys):
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:1")
    assert healthcheck.main([]) == 1
    assert capsys.readouterr().err.startswith("unhealthy:")


def test_beat_is_healthy_while_it_writes_its_schedule(tmp_path, capsys):
    schedule = tmp_path / "schedule"
    assert healthcheck.main(["beat", str(schedule)]) == 1  # never written
    (tmp_path / "schedule.dat").write_bytes(b"")  # dbm.dumb's name for it
    assert healthcheck.main(["beat", str(schedule)]) == 0
    stale = time.time() - healthcheck.BEAT_SILENT_SECONDS - 60
    os.utime(tmp_path / "schedule.dat", (stale, stale))
    assert healthcheck.main(["beat", str(schedule)]) == 1
    assert "last wrote its schedule" in capsys.readouterr().err


def test_an_unknown_check_is_a_usage_error():
    assert healthcheck.main(["scheduler"]) == 2
