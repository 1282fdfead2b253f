"""The benchmark (`make bench`, bench/): its yardstick list page exists only when the benchmark mounts it; the server
reports each request's slowest query and, when asked, the root of its plan; the run fails on a slow query at
national scale only; and its results stay out of the tracked files unless recorded."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import Resolver404, resolve

from bench import report
from core.middleware import plan_root
from governance.tests.support import propose
from tests.fixtures import process_environment

BENCH_TEMPLATES = [
    {**engine, "DIRS": [*engine["DIRS"], settings.BASE_DIR / "bench" / "templates"]}
    if engine["BACKEND"].endswith(".DjangoTemplates")
    else engine
    for engine in settings.TEMPLATES
]
MOUNTED = override_settings(
    ROOT_URLCONF="bench.urls",
    TEMPLATES=BENCH_TEMPLATES,
    MIDDLEWARE=["core.middleware.QueryCountHeaderMiddleware", *settings.MIDDLEWARE],
)


def test_the_plain_list_is_not_a_page_of_the_product(client, world):
    client.force_login(world.lead)
    with pytest.raises(Resolver404):
        resolve("/bench/partnerships/QZZ/decisions/")
    assert client.get("/bench/partnerships/QZZ/decisions/").status_code == 404


def test_bench_headers_mount_the_benchmark_urls_and_templates():
    program = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ROOT_URLCONF, settings.MIDDLEWARE[0], "
        "any(str(d).endswith('bench/templates') for e in settings.TEMPLATES for d in e['DIRS']))"
    )
    environment = process_environment(DEBUG="true", BENCH_HEADERS="true")
    output = subprocess.run(
        [sys.executable, "-c", program], env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert output.stdout.split() == ["bench.urls", "core.middleware.QueryCountHeaderMiddleware", "True"], output.stderr


@MOUNTED
def test_the_plain_list_shows_25_of_the_partnerships_decisions_newest_first(client, world):
    decisions = [propose(world, title=f"Decision number {number}") for number in range(27)]
    client.force_login(world.lead)
    response = client.get("/bench/partnerships/QZZ/decisions/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Decision number 26" in page
    assert page.index("Decision number 26") < page.index("Decision number 25")
    assert "Decision number 1<" not in page  # the 26th and 27th newest are on page 2
    assert page.count("<tr>") == 1 + 25
    assert "Page 1 of 2" in page
    assert decisions[0].reference in client.get("/bench/partnerships/QZZ/decisions/?page=2").content.decode()


@MOUNTED
def test_every_answer_reports_its_queries_and_its_slowest_query(client, world):
    propose(world)
    client.force_login(world.lead)
    response = client.get("/bench/partnerships/QZZ/decisions/")
    assert int(response["X-Query-Count"]) >= 2
    assert float(response["X-Slowest-Query-Ms"]) > 0
    assert "X-Slowest-Query-Plan" not in response  # explaining costs a query: only when asked


@MOUNTED
def test_asked_to_explain_the_answer_gives_the_plan_root_of_its_slowest_query(client, world):
    propose(world)
    client.force_login(world.lead)
    response = client.get("/bench/partnerships/QZZ/decisions/", headers={"X-Bench-Explain": "1"})
    assert response["X-Slowest-Query-Plan"]
    assert response["X-Slowest-Query-Sql"].startswith("SELECT")


def test_the_plan_of_a_write_is_never_asked_for(db):
    # EXPLAIN runs nothing, but a write is refused all the same: nothing about a request's slowest query may change
    # the data.
    assert plan_root(connection, "UPDATE core_user SET is_active = %s", [False]) == "not a SELECT (UPDATE)"


def test_a_plan_root_is_one_line_of_a_header(db):
    root = plan_root(connection, "SELECT id\nFROM core_user\nWHERE id = %s", [1])
    assert root and "\n" not in root


def route(name: str, slowest: float) -> report.Route:
    return report.Route(name, "/", slowest_query_ms=slowest, slowest_query_plan="Seq Scan on x", slowest_query_sql="Q")


def test_a_query_slower_than_the_limit_fails_the_run_at_national_scale():
    routes = [route("Dashboard", 109.0), route("Register", 4.0)]
    assert report.slow_queries(routes, scale=1, limit_ms=10) == ["Dashboard: 109.0 ms (Seq Scan on x) — Q"]
    assert report.slow_queries(routes, scale=1, limit_ms=200) == []


def test_a_slow_query_on_a_fraction_of_the_data_does_not_fail_the_run():
    assert report.slow_queries([route("Dashboard", 109.0)], scale=0.1, limit_ms=10) == []


def test_each_route_is_divided_by_both_yardsticks():
    values = {report.ANONYMOUS_TRIVIAL: 2.0, report.PLAIN_LIST_VIEW: 10.0, "Decision register": 70.0}
    assert report.ratios(values)["Decision register"] == (35.0, 7.0)
    assert report.ratios({"Decision register": 70.0})["Decision register"] == (None, None)


def test_results_go_to_var_unless_recorded(monkeypatch, tmp_path):
    monkeypatch.setattr(report, "SCRATCH", tmp_path / "var" / "bench")
    monkeypatch.setattr(report, "RECORDED", tmp_path / "bench" / "results")
    assert report.results_directory(record=False) == tmp_path / "var" / "bench"
    assert report.results_directory(record=True) == tmp_path / "bench" / "results"


def test_the_scratch_folder_is_ignored_by_git():
    ignored = (settings.BASE_DIR / ".gitignore").read_text().splitlines()
    assert report.SCRATCH.relative_to(settings.BASE_DIR).parts[0] + "/" in ignored


def test_counting_instructions_writes_the_baseline_only_when_asked(tmp_path):
    baseline = tmp_path / "baseline.json"
    counts = {report.ANONYMOUS_TRIVIAL: 1_000_000, report.PLAIN_LIST_VIEW: 20_000_000, "Decision register": 50_000_000}
    table = report.compare_instructions(counts, baseline, update=False)
    assert not baseline.exists()
    assert "| Decision register | 50,000,000 | 50 | 2.5 | — | new |" in table
    report.compare_instructions(counts, baseline, update=True)
    assert json.loads(baseline.read_text()) == counts
