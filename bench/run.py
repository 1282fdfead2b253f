"""`make bench`: national-scale data in PostgreSQL, the app under gunicorn in its production configuration, and
for each key route the queries per request, server CPU per request (and its ratio to a trivial view), latency and
throughput under wrk, worker memory, and the time to build every partnership's board digest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stp_bench .venv/bin/python bench/run.py --scale 0.1

Results go to bench/results/ as JSON and Markdown; `--reuse` skips rebuilding the database.
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
SECRET = "benchmark-only-secret-key-" + "x" * 40
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Route:
    name: str
    path: str
    kind: str = "page"  # page, list, dashboard, api, public, trivial
    queries: int | None = None
    cpu_ms: list[float] = field(default_factory=list)
    wrk: dict = field(default_factory=dict)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def server_environment(database_url: str, var_dir: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "VAR_DIR"}
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "stp_portal.settings.base",
            "DEBUG": "false",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "BENCH_HEADERS": "true",
            "VAR_DIR": var_dir,
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_ACCESS_LOG": "",
        }
    )
    return environment


def manage(environment: dict[str, str], *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        check=True,
        text=True,
        capture_output=capture,
    )


def rebuild_database(database_url: str, environment: dict[str, str], scale: float) -> float:
    """Drop and create the benchmark database, migrate, run seed_scale; return seed_scale's seconds."""
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    log(f"migrating {name}")
    manage(environment, "migrate", "--noinput", "-v0")
    log(f"seed_scale --scale {scale}")
    started = time.monotonic()
    manage(environment, "seed_scale", "--scale", str(scale))
    seconds = time.monotonic() - started
    manage(environment, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
    return seconds


def pick_subjects(environment: dict[str, str]) -> dict:
    """The largest partnership, its lead, and the busiest records on it, read with the app's own models."""
    script = (ROOT / "bench" / "subjects.py").read_text()
    result = manage(environment, "shell", "-c", script, capture=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def routes_for(subjects: dict) -> list[Route]:
    code = subjects["partnership_code"]
    return [
        Route("Trivial view (/healthz/live)", "/healthz/live", "trivial"),
        Route("Partnership dashboard", f"/partnerships/{code}/dashboard/", "dashboard"),
        Route("Decision register", f"/partnerships/{code}/decisions/", "list"),
        Route("Decision page", subjects["decision_url"], "page"),
        Route("Work-stream page", subjects["workstream_url"], "page"),
        Route("My actions", "/my-actions/", "list"),
        Route("Engagement coverage matrix", f"/partnerships/{code}/engagement/coverage/", "page"),
        Route("Risk heat map", f"/partnerships/{code}/risks/heat-map/", "page"),
        Route("Public page", f"/public/{code}/", "public"),
        Route("API: decisions", f"/api/v1/decisions/?partnership={code}", "api"),
        Route("API: actions", f"/api/v1/actions/?partnership={code}", "api"),
        Route("API: risks", f"/api/v1/risks/?partnership={code}", "api"),
    ]


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


def count_queries(session: Browser, routes: list[Route]) -> None:
    for route in routes:
        status, headers, _ = session.get(route.path)
        if status != 200:
            raise RuntimeError(f"{route.name} ({route.path}) answered {status}")
        route.queries = int(headers["X-Query-Count"])


def measure_cpu(server: Server, session: Browser, routes: list[Route], rounds: int, requests_per: int):
    """Server CPU per request, route after route in interleaved rounds, so drift affects every route alike."""
    with tqdm(total=rounds * len(routes), desc="CPU per request", unit="route") as bar:
        for _ in range(rounds):
            for route in routes:
                count = requests_per * (5 if route.kind == "trivial" else 1)
                session.get(route.path)  # warm
                before = server.cpu_seconds()
                for _ in range(count):
                    session.get(route.path)
                route.cpu_ms.append((server.cpu_seconds() - before) * 1000 / count)
                bar.update()


def run_wrk(session: Browser, route: Route, connections: int, seconds: int) -> dict:
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
    command = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
        "-H",
        f"Cookie: {cookie}",
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


def measure_digests(environment: dict[str, str]) -> float | None:
    started = time.monotonic()
    try:
        manage(environment, "build_digests", "--all", "--no-email", capture=True)
    except subprocess.CalledProcessError as error:
        log(f"build_digests failed: {error.stderr.strip()[-300:]}")
        return None
    return time.monotonic() - started


def count_instructions(environment: dict[str, str], subjects: dict, routes: list[Route], requests_per: int) -> dict:
    """Instructions per request for each route under callgrind: deterministic, unlike time on a shared machine."""
    plan = {
        "username": subjects["username"],
        "requests": requests_per,
        "routes": [[route.name, route.path] for route in routes],
    }
    python = sys.executable  # the virtualenv's interpreter, so it finds the project's packages
    with tempfile.TemporaryDirectory() as folder:
        run = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--dump-before=getppid",
                f"--callgrind-out-file={folder}/callgrind.out",
                python,
                str(ROOT / "bench" / "instructions.py"),
                json.dumps(plan),
            ],
            cwd=ROOT,
            env={**environment, "PYTHONHASHSEED": "0", "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if run.returncode != 0:
            sys.exit(f"instructions.py failed under callgrind:\n{run.stderr[-3000:]}")
        parts = {}
        for dump in Path(folder).glob("callgrind.out.*"):
            text = dump.read_text(errors="replace")
            part = int(re.search(r"^part: (\d+)", text, re.M).group(1))
            parts[part] = int(re.search(r"^totals: (\d+)", text, re.M).group(1))
    # Dumps alternate: warming (odd parts), measured requests (even parts).
    return {route.name: parts[2 * (index + 1)] // requests_per for index, route in enumerate(routes)}


def compare_instructions(counts: dict, baseline_path: Path, update: bool) -> str:
    baseline = json.loads(baseline_path.read_text()) if baseline_path.exists() else {}
    lines = ["| Route | Instructions per request | Baseline | Change |", "|---|---|---|---|"]
    for name, count in counts.items():
        before = baseline.get(name)
        change = "new" if not before else f"{(count - before) / before:+.2%}"
        lines.append(
            f"| {name} | {count:,} | {before:,} | {change} |" if before else f"| {name} | {count:,} | — | new |"
        )
    if update or not baseline:
        baseline_path.write_text(json.dumps(counts, indent=2) + "\n")
    return "\n".join(lines) + "\n"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_gb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 1024 / 1024
    return f"{os.cpu_count()} × {cpu}, {memory_gb:.0f} GB RAM, Python {platform.python_version()}, {platform.system()}"


def write_results(scale: float, routes: list[Route], extra: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    trivial = statistics.median(routes[0].cpu_ms)
    previous = _other_scale_queries(scale)
    rows = []
    for route in routes:
        cpu = statistics.median(route.cpu_ms)
        rows.append(
            {
                "route": route.name,
                "path": route.path,
                "kind": route.kind,
                "queries": route.queries,
                "queries_at_other_scale": previous.get(route.name),
                "cpu_ms": round(cpu, 2),
                "cpu_ratio": round(cpu / trivial, 1),
                "wrk": route.wrk,
            }
        )
    data = {"scale": scale, "when": datetime.now().isoformat(timespec="seconds"), "machine": machine(), **extra}
    data["routes"] = rows
    stem = f"scale-{scale:g}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / f"{stem}.md").write_text(markdown(data))
    return RESULTS / f"{stem}.md"


def _other_scale_queries(scale: float) -> dict:
    counts = {}
    for path in RESULTS.glob("scale-*.json"):
        other = json.loads(path.read_text())
        if other["scale"] != scale:
            counts.update({row["route"]: row["queries"] for row in other["routes"]})
    return counts


def markdown(data: dict) -> str:
    lines = [
        f"Scale {data['scale']:g}, {data['when']}, on {data['machine']}. seed_scale: "
        f"{_seconds(data.get('seed_seconds'))}; all {data.get('partnerships')} board digests built in "
        f"{_seconds(data.get('digest_seconds'))}; peak memory of a web worker {data.get('peak_worker_mb', 0):.0f} MB.",
        "",
        "| Route | Queries | Same at other scale | CPU ms | × trivial | p50 ms (1 client) | p99 ms (1) | req/s (1) | "
        "p50 ms (16 clients) | p95 (16) | p99 (16) | req/s (16) | errors (16 / 64) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in data["routes"]:
        one, sixteen, sixty_four = (row["wrk"].get(key, {}) for key in ("c1", "c16", "c64"))
        other = row["queries_at_other_scale"]
        same = "—" if other is None else ("yes" if other == row["queries"] else f"no ({other})")
        lines.append(
            f"| {row['route']} | {row['queries']} | {same} | {row['cpu_ms']} | {row['cpu_ratio']} | "
            f"{one.get('p50', '')} | {one.get('p99', '')} | {one.get('rps', '')} | {sixteen.get('p50', '')} | "
            f"{sixteen.get('p95', '')} | {sixteen.get('p99', '')} | {sixteen.get('rps', '')} | "
            f"{sixteen.get('errors', '')} / {sixty_four.get('errors', '')} |"
        )
    return "\n".join(lines) + "\n"


def _seconds(value) -> str:
    return "not measured" if value is None else f"{value:.0f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--reuse", action="store_true", help="use the database as it is (already seeded)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20, help="requests per route per round")
    parser.add_argument("--wrk-seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions per request with callgrind instead of timing"
    )
    parser.add_argument("--update-baseline", action="store_true", help="with --instructions: store these counts")
    options = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench needs DATABASE_URL pointing at PostgreSQL (the Makefile sets a default).")
    for tool in ("wrk",):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install {tool}")

    static_root = tempfile.mkdtemp(prefix="stp-bench-static-")
    environment = server_environment(database_url, static_root)
    extra: dict = {}
    if options.reuse:
        manage(environment, "migrate", "--noinput", "-v0")  # a reused database gets any newer tables
        previous = RESULTS / f"scale-{options.scale:g}.json"
        if previous.exists():  # keep the time of the run that built this database
            extra["seed_seconds"] = json.loads(previous.read_text()).get("seed_seconds")
    else:
        extra["seed_seconds"] = round(rebuild_database(database_url, environment, options.scale), 1)
    manage(environment, "collectstatic", "--noinput", "-v0")
    subjects = pick_subjects(environment)
    extra["partnership"] = subjects["partnership_code"]
    extra["partnerships"] = subjects["partnership_count"]
    routes = routes_for(subjects)
    log(f"largest partnership {subjects['partnership_code']}, signed in as {subjects['username']}")
    if options.instructions:
        counts = count_instructions(environment, subjects, routes, requests_per=5)
        table = compare_instructions(
            counts, ROOT / "bench" / f"instructions-baseline-scale-{options.scale:g}.json", options.update_baseline
        )
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"instructions-scale-{options.scale:g}.md").write_text(table)
        print(table)
        return

    with Server(environment, options.workers) as server:
        session = signed_in_session(subjects["username"], subjects["password"])
        count_queries(session, routes)
        measure_cpu(server, session, routes, options.rounds, options.requests)
        for route in tqdm(routes, desc="wrk at 1, 16 and 64 clients", unit="route"):
            route.wrk = {
                "c1": run_wrk(session, route, 1, options.wrk_seconds),
                "c16": run_wrk(session, route, 16, options.wrk_seconds),
                "c64": run_wrk(session, route, 64, max(2, options.wrk_seconds // 2)),
            }
        extra["peak_worker_mb"] = round(server.peak_memory_mb(), 1)
    digest_seconds = measure_digests(environment)
    extra["digest_seconds"] = None if digest_seconds is None else round(digest_seconds, 1)
    path = write_results(options.scale, routes, extra)
    print(path.read_text())


if __name__ == "__main__":
    main()
