"""`make bench`: national-scale data in PostgreSQL, the app under gunicorn in its production configuration, and
for each key route the queries per request and the slowest of them with its plan, server CPU per request and its
ratios to two yardsticks (an anonymous trivial view and a plain Django ListView of 25 decisions, measured in the
same interleaved rounds), latency and throughput under wrk, worker memory, the time to build every partnership's
board digest, and where the run's own time went.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stp_bench .venv/bin/python bench/run.py --scale 0.1

Results go to var/bench/ as JSON and Markdown, or with `--record` to the tracked bench/results/; `--reuse` skips
rebuilding the database. At scale 1 and above the run fails when any query on a route takes longer than
--max-query-ms.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, bench/ is on the path but not the project

from bench.report import (  # noqa: E402
    ANONYMOUS_TRIVIAL,
    PLAIN_LIST_VIEW,
    SCRATCH,
    Route,
    compare_instructions,
    previous_run,
    results_directory,
    slow_queries,
    time_breakdown,
    write_results,
)
from bench.server import PORT, Browser, Server, run_wrk, signed_in_session  # noqa: E402

# Collected once per checkout and reused while nothing it is built from changes (bench/static_fingerprint.py).
STATIC_FILES = SCRATCH / "staticfiles"
SECRET = "benchmark-only-secret-key-" + "x" * 40


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
            # The load generator stands where production's proxy does, sending X-Forwarded-Proto: https.
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_ACCESS_LOG": "",
            # The benchmark signs in with a password only. A person who has given their code costs the same per
            # request as one who owes none (core.middleware.SecondFactorMiddleware reads the session either way).
            "SECOND_FACTOR_REQUIRED": "false",
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


def rebuild_database(database_url: str, environment: dict[str, str], scale: float, seconds: dict) -> None:
    """Drop and create the benchmark database, migrate, run seed_scale; note the time of each in `seconds`."""
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    started = time.monotonic()
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    log(f"migrating {name}")
    manage(environment, "migrate", "--noinput", "-v0")
    seconds["database"] = round(time.monotonic() - started, 1)
    log(f"seed_scale --scale {scale}")
    started = time.monotonic()
    manage(environment, "seed_scale", "--scale", str(scale))
    manage(environment, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
    seconds["seeding"] = round(time.monotonic() - started, 1)


def collect_static_files(environment: dict[str, str]) -> bool:
    """Collect the static files into var/bench/staticfiles, unless what is there was collected from the same
    sources; return whether it was reused. The files and the manifest are production's own (same storage, same
    settings): only the collecting is skipped."""
    fingerprint_file = STATIC_FILES.with_suffix(".fingerprint")
    script = (ROOT / "bench" / "static_fingerprint.py").read_text()
    fingerprint = manage(environment, "shell", "-c", script, capture=True).stdout.strip().splitlines()[-1]
    current = (
        fingerprint_file.exists()
        and fingerprint_file.read_text().strip() == fingerprint
        and (STATIC_FILES / "staticfiles.json").exists()
    )
    if current:
        return True
    fingerprint_file.unlink(missing_ok=True)  # a collection cut short is never taken for a current one
    log("collectstatic (the first run, or a static file changed)")
    manage(environment, "collectstatic", "--noinput", "--clear", "-v0")
    fingerprint_file.write_text(fingerprint + "\n")
    return False


def pick_subjects(environment: dict[str, str]) -> dict:
    """The largest partnership, its lead, and the busiest records on it, read with the app's own models."""
    script = (ROOT / "bench" / "subjects.py").read_text()
    result = manage(environment, "shell", "-c", script, capture=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def routes_for(subjects: dict) -> list[Route]:
    code = subjects["partnership_code"]
    return [
        Route(ANONYMOUS_TRIVIAL, "/healthz/live", "trivial", anonymous=True),
        Route("Trivial view (/healthz/live)", "/healthz/live", "trivial"),  # signed in; the name the baselines use
        Route(PLAIN_LIST_VIEW, f"/bench/partnerships/{code}/decisions/", "yardstick"),  # bench/urls.py only
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


def probe_queries(sessions: dict[bool, Browser], routes: list[Route], tries: int = 3) -> None:
    """Each route's query count once warm, and its slowest query with the root node of that query's plan, from the
    headers of core.middleware.QueryCountHeaderMiddleware. Of a few warmed requests the one whose slowest query was
    quickest counts, so one request slowed by the machine's other work does not fail the run."""
    for route in routes:
        session = sessions[route.anonymous]
        status, headers, _ = session.get(route.path)  # warm
        if status != 200:
            raise RuntimeError(f"{route.name} ({route.path}) answered {status}")
        answers = [session.request("GET", route.path, headers={"X-Bench-Explain": "1"})[1] for _ in range(tries)]
        best = min(answers, key=lambda headers: float(headers["X-Slowest-Query-Ms"]))
        # Warmed, as the requests the rounds time: stored figures and the cached session and person count as used.
        route.queries = int(best["X-Query-Count"])
        route.slowest_query_ms = float(best["X-Slowest-Query-Ms"])
        route.slowest_query_plan = best.get("X-Slowest-Query-Plan", "")
        route.slowest_query_sql = best.get("X-Slowest-Query-Sql", "")


def measure_cpu(server: Server, sessions: dict[bool, Browser], routes: list[Route], rounds: int, requests_per: int):
    """Server CPU per request, route after route in interleaved rounds, so drift affects every route alike."""
    with tqdm(total=rounds * len(routes), desc="CPU per request", unit="route") as bar:
        for _ in range(rounds):
            for route in routes:
                session = sessions[route.anonymous]
                count = requests_per * (5 if route.kind == "trivial" else 1)
                session.get(route.path)  # warm
                before = server.cpu_seconds()
                for _ in range(count):
                    session.get(route.path)
                route.cpu_ms.append((server.cpu_seconds() - before) * 1000 / count)
                bar.update()


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
        "routes": [[route.name, route.path, route.anonymous] for route in routes],
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
    parser.add_argument(
        "--record", action="store_true", help="write the results to the tracked bench/results/ (default: var/bench/)"
    )
    parser.add_argument(
        "--max-query-ms",
        type=float,
        default=10.0,
        help="at scale 1 and above, fail when a route's slowest query takes longer than this (default 10)",
    )
    options = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench needs DATABASE_URL pointing at PostgreSQL (the Makefile sets a default).")
    for tool in ("valgrind",) if options.instructions else ("wrk",):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install {tool}")

    run_started = time.monotonic()
    results = results_directory(options.record)
    STATIC_FILES.mkdir(parents=True, exist_ok=True)
    # The server's own files (mail, Celery's queue, uploads) live for this run only; its static files are the ones
    # collected once per checkout.
    with tempfile.TemporaryDirectory(prefix="stp-bench-") as var_dir:
        (Path(var_dir) / "staticfiles").symlink_to(STATIC_FILES, target_is_directory=True)
        environment = server_environment(database_url, var_dir)
        seconds: dict = {}
        extra: dict = {"seconds": seconds}
        if options.reuse:
            manage(environment, "migrate", "--noinput", "-v0")  # a reused database gets any newer tables
            # keep the time of the run that built this database
            extra["seed_seconds"] = previous_run(options.scale, results).get("seed_seconds")
        else:
            rebuild_database(database_url, environment, options.scale, seconds)
            extra["seed_seconds"] = seconds["seeding"]
        started = time.monotonic()
        seconds["static_files_reused"] = collect_static_files(environment)
        seconds["static_files"] = round(time.monotonic() - started, 1)
        subjects = pick_subjects(environment)
        extra["partnership"] = subjects["partnership_code"]
        extra["partnerships"] = subjects["partnership_count"]
        routes = routes_for(subjects)
        log(f"largest partnership {subjects['partnership_code']}, signed in as {subjects['username']}")
        if options.instructions:
            started = time.monotonic()
            counts = count_instructions(environment, subjects, routes, requests_per=5)
            seconds["instructions"] = round(time.monotonic() - started, 1)
            table = compare_instructions(
                counts, ROOT / "bench" / f"instructions-baseline-scale-{options.scale:g}.json", options.update_baseline
            )
            seconds["total"] = round(time.monotonic() - run_started, 1)
            table += f"\nWhere the time went: {time_breakdown(seconds)}.\n"
            path = results / f"instructions-scale-{options.scale:g}.md"
            path.write_text(table)
            print(table)
            log(f"written to {path.relative_to(ROOT)}")
            return

        with Server(environment, options.workers) as server:
            sessions = {False: signed_in_session(subjects["username"], subjects["password"]), True: Browser()}
            probe_queries(sessions, routes)
            started = time.monotonic()
            measure_cpu(server, sessions, routes, options.rounds, options.requests)
            seconds["rounds"] = round(time.monotonic() - started, 1)
            started = time.monotonic()
            for route in tqdm(routes, desc="wrk at 1, 16 and 64 clients", unit="route"):
                session = sessions[route.anonymous]
                route.wrk = {
                    "c1": run_wrk(session, route, 1, options.wrk_seconds),
                    "c16": run_wrk(session, route, 16, options.wrk_seconds),
                    "c64": run_wrk(session, route, 64, max(2, options.wrk_seconds // 2)),
                }
            seconds["wrk"] = round(time.monotonic() - started, 1)
            extra["peak_worker_mb"] = round(server.peak_memory_mb(), 1)
        started = time.monotonic()
        digest_seconds = measure_digests(environment)
        seconds["digests"] = round(time.monotonic() - started, 1)
    extra["digest_seconds"] = None if digest_seconds is None else round(digest_seconds, 1)
    seconds["total"] = round(time.monotonic() - run_started, 1)
    path = write_results(results, options.scale, routes, extra, machine())
    print(path.read_text())
    log(f"written to {path.relative_to(ROOT)} and {path.with_suffix('.json').relative_to(ROOT)}")
    too_slow = slow_queries(routes, options.scale, options.max_query_ms)
    if too_slow:
        sys.exit(
            f"FAILED: at scale {options.scale:g}, {len(too_slow)} route(s) made a query slower than "
            f"{options.max_query_ms:g} ms (--max-query-ms):\n  " + "\n  ".join(too_slow)
        )


if __name__ == "__main__":
    main()
