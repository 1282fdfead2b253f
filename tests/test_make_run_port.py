"""`make run` on another port: the links in the emails it sends point to that port, unless SITE_URL says otherwise.

`make run` is run with its slow steps stubbed (no install, no migrate) and honcho replaced by a script that asks
Django, under the environment honcho would have given the worker, for the SITE_URL its emails use."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures import process_environment

ROOT = Path(__file__).resolve().parent.parent


def site_url_under_make_run(tmp_path, **environment) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    honcho = tmp_path / "honcho"
    honcho.write_text(
        f"#!/bin/sh\nexec {sys.executable} manage.py shell -c "
        '"from django.conf import settings; print(settings.SITE_URL)"\n'
    )
    honcho.chmod(0o755)
    env = {key: value for key, value in process_environment().items() if key != "PORT"}
    env.update(environment)
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "-o", "install", "run", f"BIN={tmp_path}", "MANAGE=true"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_make_run_with_port_8611_sends_email_links_to_port_8611(tmp_path):
    assert site_url_under_make_run(tmp_path, PORT="8611") == "http://127.0.0.1:8611"


def test_make_run_keeps_a_site_url_that_is_set(tmp_path):
    assert (
        site_url_under_make_run(tmp_path, PORT="8611", SITE_URL="https://portal.example.nhs.uk")
        == "https://portal.example.nhs.uk"
    )


def test_make_run_without_a_port_links_to_8000(tmp_path):
    assert site_url_under_make_run(tmp_path) == "http://127.0.0.1:8000"
