"""What `bench/run.py` measured, as JSON and Markdown: per route the queries, the slowest query and its plan, the
server CPU and its ratios to the two yardsticks, and latency under wrk; the time each stage of the run took; and the
routes whose slowest query breaks the limit.

Results go to var/bench/ (ignored by git) so that `make bench` leaves a checkout as it found it; `--record` writes
them to the tracked bench/results/ instead, for figures meant to be committed.
"""

import json
import statistics
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "var" / "bench"
RECORDED = ROOT / "bench" / "results"

# The two yardsticks every route is divided by, measured in the same interleaved rounds as the routes.
ANONYMOUS_TRIVIAL = "Trivial view, anonymous (/healthz/live)"
PLAIN_LIST_VIEW = "Plain Django ListView (25 decisions)"


@dataclass
class Route:
    name: str
    path: str
    kind: str = "page"  # page, list, dashboard, api, public, trivial, yardstick
    anonymous: bool = False  # requested without signing in
    queries: int | None = None
    slowest_query_ms: float | None = None
    slowest_query_plan: str = ""
    slowest_query_sql: str = ""
    cpu_ms: list[float] = field(default_factory=list)
    wrk: dict = field(default_factory=dict)


def results_directory(record: bool) -> Path:
    directory = RECORDED if record else SCRATCH
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def ratios(values: dict[str, float]) -> dict[str, tuple[float | None, float | None]]:
    """Each route's value divided by the anonymous trivial view's and by the plain ListView's."""
    trivial, list_view = values.get(ANONYMOUS_TRIVIAL), values.get(PLAIN_LIST_VIEW)
    return {
        name: (
            round(value / trivial, 1) if trivial else None,
            round(value / list_view, 2) if list_view else None,
        )
        for name, value in values.items()
    }


def slow_queries(routes: list[Route], scale: float, limit_ms: float) -> list[str]:
    """The routes whose slowest query took longer than the limit; checked at scale 1 and above only, where the data
    is the whole country's (a smaller scale's query times say little about the national one)."""
    if scale < 1:
        return []
    return [
        f"{route.name}: {route.slowest_query_ms:.1f} ms ({route.slowest_query_plan}) — {route.slowest_query_sql}"
        for route in routes
        if route.slowest_query_ms is not None and route.slowest_query_ms > limit_ms
    ]


def write_results(directory: Path, scale: float, routes: list[Route], extra: dict, machine: str) -> Path:
    cpu = {route.name: statistics.median(route.cpu_ms) for route in routes}
    cpu_ratios = ratios(cpu)
    previous = other_scale_queries(scale, directory)
    rows = [
        {
            "route": route.name,
            "path": route.path,
            "kind": route.kind,
            "anonymous": route.anonymous,
            "queries": route.queries,
            "queries_at_other_scale": previous.get(route.name),
            "slowest_query_ms": route.slowest_query_ms,
            "slowest_query_plan": route.slowest_query_plan,
            "slowest_query_sql": route.slowest_query_sql,
            "cpu_ms": round(cpu[route.name], 2),
            "cpu_ratio_anonymous_trivial": cpu_ratios[route.name][0],
            "cpu_ratio_plain_list_view": cpu_ratios[route.name][1],
            "wrk": route.wrk,
        }
        for route in routes
    ]
    data = {"scale": scale, "when": datetime.now().isoformat(timespec="seconds"), "machine": machine, **extra}
    data["routes"] = rows
    stem = f"scale-{scale:g}"
    (directory / f"{stem}.json").write_text(json.dumps(data, indent=2) + "\n")
    (directory / f"{stem}.md").write_text(markdown(data))
    return directory / f"{stem}.md"


def other_scale_queries(scale: float, directory: Path) -> dict:
    """Each route's query count at the other scales' last runs: those in `directory` first, then the recorded ones."""
    counts = {}
    for folder in dict.fromkeys([RECORDED, directory]):  # the later folder's figures win
        for path in sorted(folder.glob("scale-*.json")):
            other = json.loads(path.read_text())
            if other["scale"] != scale:
                counts.update({row["route"]: row["queries"] for row in other["routes"]})
    return counts


def previous_run(scale: float, directory: Path) -> dict:
    """The last run at this scale, from `directory` or else the recorded results; empty when there is none."""
    for folder in (directory, RECORDED):
        path = folder / f"scale-{scale:g}.json"
        if path.exists():
            return json.loads(path.read_text())
    return {}


def time_breakdown(seconds: dict) -> str:
    """Where the run's time went, in the order the stages ran, e.g. "seeding 240 s, static files 2 s (reused), …"."""
    labels = {
        "database": "creating and migrating the database",
        "seeding": "seeding (seed_scale)",
        "static_files": "static files (collectstatic)",
        "rounds": "CPU rounds",
        "wrk": "wrk",
        "digests": "board digests",
        "instructions": "instructions under callgrind",
        "total": "total",
    }
    parts = []
    for key, label in labels.items():
        if key in seconds and seconds[key] is not None:
            note = " (reused)" if key == "static_files" and seconds.get("static_files_reused") else ""
            parts.append(f"{label} {seconds[key]:.0f} s{note}")
    return ", ".join(parts)


def markdown(data: dict) -> str:
    lines = [
        f"Scale {data['scale']:g}, {data['when']}, on {data['machine']}. All {data.get('partnerships')} board digests "
        f"built in {_seconds(data.get('digest_seconds'))}; peak memory of a web worker "
        f"{data.get('peak_worker_mb', 0):.0f} MB.",
        "",
        f"Where the time went: {time_breakdown(data.get('seconds', {}))}.",
        "",
        "CPU is the web workers' own time per request, measured route after route in interleaved rounds; it is "
        "divided by the same figure for the two yardsticks, an anonymous trivial view and a plain Django ListView of "
        "25 decisions. The slowest query is the slowest of one request, after warming.",
        "",
        "| Route | Queries | Same at other scale | Slowest query ms | Its plan's root | CPU ms | × anonymous trivial | "
        "× plain ListView | p50 ms (1 client) | p99 ms (1) | req/s (1) | p50 ms (16 clients) | p95 (16) | p99 (16) | "
        "req/s (16) | errors (16 / 64) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in data["routes"]:
        one, sixteen, sixty_four = (row["wrk"].get(key, {}) for key in ("c1", "c16", "c64"))
        other = row["queries_at_other_scale"]
        same = "—" if other is None else ("yes" if other == row["queries"] else f"no ({other})")
        lines.append(
            f"| {row['route']} | {row['queries']} | {same} | {_number(row['slowest_query_ms'])} | "
            f"{row['slowest_query_plan'] or '—'} | {row['cpu_ms']} | {_number(row['cpu_ratio_anonymous_trivial'])} | "
            f"{_number(row['cpu_ratio_plain_list_view'])} | {one.get('p50', '')} | {one.get('p99', '')} | "
            f"{one.get('rps', '')} | {sixteen.get('p50', '')} | {sixteen.get('p95', '')} | {sixteen.get('p99', '')} | "
            f"{sixteen.get('rps', '')} | {sixteen.get('errors', '')} / {sixty_four.get('errors', '')} |"
        )
    return "\n".join(lines) + "\n"


def compare_instructions(counts: dict[str, int], baseline_path: Path, update: bool) -> str:
    """Instructions per request, their ratios to the yardsticks, and the change from the stored baseline. The
    baseline (tracked, in bench/) is written only when asked, so a run never modifies the checkout by itself."""
    baseline = json.loads(baseline_path.read_text()) if baseline_path.exists() else {}
    instruction_ratios = ratios({name: float(count) for name, count in counts.items()})
    lines = [
        "| Route | Instructions per request | × anonymous trivial | × plain ListView | Baseline | Change |",
        "|---|---|---|---|---|---|",
    ]
    for name, count in counts.items():
        before = baseline.get(name)
        change = f"{(count - before) / before:+.2%}" if before else "new"
        to_trivial, to_list_view = instruction_ratios[name]
        lines.append(
            f"| {name} | {count:,} | {_number(to_trivial)} | {_number(to_list_view)} | "
            f"{f'{before:,}' if before else '—'} | {change} |"
        )
    if update:
        baseline_path.write_text(json.dumps(counts, indent=2) + "\n")
    return "\n".join(lines) + "\n"


def _number(value) -> str:
    return "—" if value is None else f"{value:g}"


def _seconds(value) -> str:
    return "not measured" if value is None else f"{value:.0f} s"
