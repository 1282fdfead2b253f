"""gunicorn as production runs it, and the clients the benchmark measures it with: a light keep-alive client for
counting and timing, and wrk for latency and throughput."""

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.report import Route

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))  # another port when two checkouts benchmark on one machine
BASE = f"http://127.0.0.1:{PORT}"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Server:
    """gunicorn with the production configuration (stp_portal/gunicorn_conf.py)."""

    def __init__(self, environment: dict[str, str], workers: int):
        self.environment = {**environment, "WEB_CONCURRENCY": str(workers)}
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "stp_portal/gunicorn_conf.py",
            ],
            cwd=ROOT,
            env=self.environment,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                if Browser().get("/healthz/live")[0] == 200:
                    time.sleep(0.5)
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def cpu_seconds(self) -> float:
        total = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        return total / CLOCK_TICKS

    def peak_memory_mb(self) -> float:
        peaks = []
        for pid in self.worker_pids():
            match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
            peaks.append(int(match.group(1)) / 1024)
        return max(peaks)


class Browser:
    """A keep-alive HTTP client with cookies, as light as possible so the server's cost is what we measure."""

    def __init__(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = {"X-Forwarded-Proto": "https", **(headers or {})}  # as behind production's TLS proxy
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, content

    def get(self, path: str):
        return self.request("GET", path)


def signed_in_session(username: str, password: str) -> Browser:
    from urllib.parse import urlencode

    browser = Browser()
    _, _, page = browser.get("/sign-in/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    status, _, _ = browser.request(
        "POST",
        "/sign-in/",
        body=urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://127.0.0.1:{PORT}/sign-in/"},
    )
    if status != 302:
        raise RuntimeError(f"could not sign in as {username}: {status}")
    return browser


def run_wrk(session: Browser, route: Route, connections: int, seconds: int) -> dict:
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    command = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
        *headers,
        "-H",
        "X-Forwarded-Proto: https",
        BASE + route.path,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    wait_until_idle()
    return json.loads(output.strip().splitlines()[-1])


def wait_until_idle() -> None:
    """Requests wrk left queued in the listen backlog are still served after it stops; the next measurement
    starts only when a trivial request goes straight through again."""
    for _ in range(600):
        started = time.monotonic()
        Browser().get("/healthz/live")
        if time.monotonic() - started < 0.05:
            return
