"""Health checks of the containers (Dockerfile and docker-compose.yml), cheap enough to run every 30 seconds: they
read the environment as the settings do, without starting Django.

`python -m stp_portal.healthcheck` (the web): asks gunicorn's /healthz on this machine, as a request to the site
itself would, with a Host header the site answers to (the first of ALLOWED_HOSTS), since Django refuses any other
with 400. Healthy when the answer is 200 with status "ok".

`python -m stp_portal.healthcheck beat <schedule file>`: healthy when beat has written its schedule in the last ten
minutes (it does every few; the file may carry a suffix, depending on the dbm module Python has).

Exit status 0 when healthy, 1 otherwise, saying why.
"""

import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from stp_portal import gunicorn_conf
from stp_portal.settings.environment import LOCAL_HOSTS, env_list

TIMEOUT_SECONDS = 4
BEAT_SILENT_SECONDS = 600


def health_url() -> str:
    """gunicorn's own address (stp_portal/gunicorn_conf.py's, from GUNICORN_BIND), on the loopback interface."""
    port = gunicorn_conf.bind_address().rsplit(":", 1)[-1]
    return f"http://127.0.0.1:{port}/healthz"


def allowed_host() -> str:
    """A host name the site answers to: the first of ALLOWED_HOSTS, a wildcard domain by its own name."""
    hosts = env_list("ALLOWED_HOSTS", LOCAL_HOSTS)
    first = hosts[0] if hosts else "localhost"
    return "localhost" if first == "*" else first.lstrip(".")


def check_beat(schedule: Path) -> int:
    written = [path.stat().st_mtime for path in schedule.parent.glob(f"{schedule.name}*")]
    if not written:
        print(f"unhealthy: beat has written no schedule at {schedule}", file=sys.stderr)
        return 1
    silent = time.time() - max(written)
    if silent > BEAT_SILENT_SECONDS:
        print(f"unhealthy: beat last wrote its schedule {silent:.0f} s ago", file=sys.stderr)
        return 1
    print(f"healthy: beat wrote its schedule {silent:.0f} s ago")
    return 0


def check_web() -> int:
    request = urllib.request.Request(health_url(), headers={"Host": allowed_host(), "X-Request-ID": "healthcheck"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = json.load(response)
    except urllib.error.HTTPError as refusal:
        print(f"unhealthy: /healthz answered {refusal.code} to Host {allowed_host()}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as failure:
        print(f"unhealthy: {failure}", file=sys.stderr)
        return 1
    if body.get("status") != "ok":
        print(f"unhealthy: {body}", file=sys.stderr)
        return 1
    print(f"healthy: {body.get('version')}, migrations {body.get('migrations')}")
    return 0


def main(arguments: list[str]) -> int:
    if arguments[:1] == ["beat"] and len(arguments) == 2:
        return check_beat(Path(arguments[1]))
    if not arguments:
        return check_web()
    print("usage: python -m stp_portal.healthcheck [beat <schedule file>]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
