"""The twelve-month trends, month by month against hand-dated records, and the charts drawn from them: bars in
proportion, in words, with the same figures in a table behind each chart."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone
from freezegun import freeze_time

from governance.models import Decision, RiskSettings
from governance.services.risks import risk_close
from governance.tests.risk_support import raise_risk, review, workstream_with_lead
from governance.tests.support import propose
from reporting.charts import Series, axis_top, bar_chart
from reporting.selectors.dashboard_trends import last_twelve_months, trends
from tests.fixtures import client_for
from tests.html import parse
from workstreams.models import Action, ActionStatus

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


@pytest.fixture
def dated(world):
    """Actions, decisions and risks on known days of the twelve months to 22 November 2026."""
    workstream, _ = workstream_with_lead(world)

    def action(due, status=ActionStatus.OPEN, completed=None):
        Action.objects.create(
            partnership=world.partnership,
            workstream=workstream,
            description=f"Due {due}",
            owner=world.member,
            due_on=due,
            status=status,
            completed_on=completed,
        )

    action(date(2026, 9, 15), ActionStatus.DONE, date(2026, 9, 10))  # September: due, completed, on time
    action(date(2026, 9, 20), ActionStatus.DONE, date(2026, 10, 2))  # due in September, completed in October
    action(date(2026, 9, 30))  # due in September, still open
    action(date(2026, 9, 5), ActionStatus.CANCELLED)  # cancelled: not counted
    action(date(2025, 10, 10), ActionStatus.DONE, date(2025, 12, 3))  # due before the year, completed in December
    action(date(2026, 11, 30))  # due later this month

    for created, decided in [
        (date(2025, 11, 30), None),  # before the twelve months
        (date(2026, 3, 10), date(2026, 4, 1)),
        (date(2026, 11, 1), None),
        (date(2026, 11, 2), None),
    ]:
        decision = propose(world, title=f"Proposed {created}")
        Decision.objects.filter(pk=decision.pk).update(
            created_at=at(created), decided_at=at(decided) if decided else None
        )

    with freeze_time(at(date(2026, 2, 1))):
        passing = raise_risk(world, title="Passing", likelihood=1, consequence=3)  # low
    with freeze_time(at(date(2026, 6, 15))):
        growing = raise_risk(world, title="Growing", likelihood=2, consequence=2)  # moderate
    with freeze_time(at(date(2026, 8, 20))):
        risk_close(actor=world.lead, risk=passing, reason="It passed.")
    with freeze_time(at(date(2026, 9, 10))):
        review(world, growing, 4, 4)  # extreme from September
    return world


def by_month(rows, *fields):
    return {row.month.first.strftime("%Y-%m"): tuple(getattr(row, name) for name in fields) for row in rows}


def test_the_twelve_months_end_with_this_one():
    months = last_twelve_months(TODAY)
    assert (months[0].first, months[-1].first, months[-1].last) == (
        date(2025, 12, 1),
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    assert months[2].last == date(2026, 2, 28) and len(months) == 12


def test_actions_due_completed_and_on_time_month_by_month(dated):
    found = trends(dated.partnership, TODAY, RiskSettings.for_partnership(dated.partnership))
    actions = by_month(found.actions, "due", "completed", "completed_on_time")
    assert actions["2026-09"] == (3, 1, 1)
    assert actions["2026-10"] == (0, 1, 0)
    assert actions["2025-12"] == (0, 1, 0)
    assert actions["2026-11"] == (1, 0, 0)
    assert sum(sum(value) for value in actions.values()) == 8  # nothing anywhere else
    assert (found.actions_due, found.actions_completed_on_time, found.on_time_percent) == (4, 1, 25)
    assert found.actions[9].on_time_percent == 33  # September


def test_decisions_proposed_and_made_month_by_month(dated):
    found = trends(dated.partnership, TODAY, RiskSettings.for_partnership(dated.partnership))
    decisions = by_month(found.decisions, "proposed", "decided")
    assert (decisions["2026-03"], decisions["2026-04"], decisions["2026-11"]) == ((1, 0), (0, 1), (2, 0))
    assert sum(sum(value) for value in decisions.values()) == 4


def test_open_risks_by_band_at_each_months_end(dated):
    found = trends(dated.partnership, TODAY, RiskSettings.for_partnership(dated.partnership))
    risks = {row.month.first.strftime("%Y-%m"): row.by_band for row in found.risks}
    empty = dict.fromkeys(["low", "moderate", "high", "extreme"], 0)
    assert risks["2026-01"] == empty
    assert risks["2026-05"] == {**empty, "low": 1}
    assert risks["2026-07"] == {**empty, "low": 1, "moderate": 1}
    assert risks["2026-08"] == {**empty, "moderate": 1}  # the low one closed on 20 August
    assert risks["2026-10"] == risks["2026-11"] == {**empty, "extreme": 1}
    assert found.risks[-1].as_of == TODAY


def test_the_value_axis_is_round():
    assert [axis_top(n) for n in (0, 1, 4, 7, 23, 100)] == [(1, 1), (1, 1), (4, 1), (8, 2), (30, 10), (100, 50)]


def test_bars_are_in_proportion_and_say_what_they_are():
    chart = bar_chart(
        id="c",
        title="T",
        description="D",
        labels=["Mar 26", "Apr 26"],
        names=["March 2026", "April 2026"],
        series=[Series("Due", [0, 4], "#000"), Series("Completed", [2, 1], "#fff")],
    )
    plot = chart.baseline - chart.ticks[-1].y
    heights = {bar.title: bar.height for bar in chart.bars}
    assert heights == {
        "March 2026, due: 0": 0,
        "March 2026, completed: 2": plot / 2,
        "April 2026, due: 4": plot,
        "April 2026, completed: 1": plot / 4,
    }
    stacked = bar_chart(
        id="s",
        title="T",
        description="D",
        labels=["Mar 26"],
        names=["March 2026"],
        series=[Series("Low", [1], "#000"), Series("High", [3], "#fff")],
        stacked=True,
    )
    low, high = stacked.bars
    assert (low.height + high.height, high.y + high.height) == (stacked.baseline - stacked.ticks[-1].y, low.y)


@freeze_time(at(TODAY))
def test_each_chart_is_an_image_with_words_and_a_table_behind_it(dated, client):
    page = parse(client_for(client, dated, "lead").get("/partnerships/QZZ/dashboard/"))
    for name in ("actions", "decisions", "risks"):
        chart = page.select_one(f"#chart-{name}")
        svg = chart.select_one("svg[role=img]")
        assert svg["aria-labelledby"] == f"chart-{name}-title chart-{name}-desc"
        assert chart.select_one(f"#chart-{name}-title").get_text() and chart.select_one("details table")
        assert [li.get_text(" ").strip() for li in chart.select(".dashboard-chart__legend li")]
    september = next(
        row for row in page.select("#trend-actions-table tbody tr") if row.th.get_text(strip=True) == "September 2026"
    )
    assert [cell.get_text(" ").split()[0] for cell in september.select("td")] == ["3", "1", "1"]
    assert page.select_one("#chart-actions rect title").get_text().startswith("December 2025, completed: 1")
