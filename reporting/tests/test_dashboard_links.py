"""Every figure of the dashboard links to the list behind it, and that list shows the rows the figure counted."""

import re

import pytest

from tests.fixtures import client_for
from tests.html import parse, text

from .dashboard_support import DashboardScene

pytestmark = pytest.mark.django_db

URL = "/partnerships/QZZ/dashboard/"


@pytest.fixture
def scene(world) -> DashboardScene:
    return DashboardScene(world)


@pytest.fixture
def lead(world, client, scene):
    return client_for(client, world, "lead")


@pytest.fixture
def page(lead):
    return parse(lead.get(URL))


def follow(client, page, selector: str):
    link = page.select_one(selector)
    assert link is not None, selector
    response = client.get(link["href"])
    assert response.status_code == 200, link["href"]
    return response


def number(response, selector: str) -> int:
    return int(re.match(r"\d+", text(response, selector)).group())


def figure(page, selector: str) -> int:
    return int(re.match(r"\d+", page.select_one(selector).get_text(" ").strip()).group())


def linked_ids(response, table: str, prefix: str) -> set[int]:
    """The ids of the records a list links to, from the hrefs in its table."""
    return {
        int(re.search(rf"{prefix}(\d+)/", a["href"]).group(1))
        for a in parse(response).select(f"{table} a")
        if re.search(rf"{prefix}\d+/", a["href"])
    }


def test_overdue_actions_lead_to_the_overdue_actions(scene, lead, page):
    response = follow(lead, page, "#card-overdue-actions")
    assert number(response, "#action-count") == figure(page, "#card-overdue-actions") == 5
    assert linked_ids(response, "#actions", "/actions/") == {action.pk for action in scene.overdue}
    assert page.select_one("#figure-overdue-actions")["href"] == "/partnerships/QZZ/dashboard/actions/?state=overdue"


def test_actions_by_work_stream_and_organisation_lead_to_their_lists(scene, lead, page):
    by_workstream = page.select("#actions-by-workstream tbody tr")
    for row in by_workstream:
        overdue, open_ = row.select("a")
        for link, state in ((overdue, "overdue"), (open_, "open")):
            response = lead.get(link["href"])
            counted = int(link.get_text(" ").split()[0])
            shown = number(response, "#action-count") if "/dashboard/" in link["href"] else None
            if shown is None:  # a work-stream's own action log: its state filter gives the count
                shown = int(re.search(rf"{state.capitalize()} \((\d+)\)", text(response)).group(1))
            assert shown == counted, link["href"]
    council = next(
        row for row in page.select("#actions-by-organisation tbody tr") if "Demo City Council" in row.get_text()
    )
    response = lead.get(council.select("a")[0]["href"])
    assert linked_ids(response, "#actions", "/actions/") == {scene.a1.pk, scene.a8.pk}
    nobody = next(
        row for row in page.select("#actions-by-organisation tbody tr") if "No organisation" in row.get_text()
    )
    response = lead.get(nobody.select("a")[1]["href"])
    assert linked_ids(response, "#actions", "/actions/") == {scene.a3.pk}


def test_decision_figures_lead_to_the_filtered_register(scene, lead, page):
    expected = {
        "#figure-awaiting-signoff": {scene.waiting, scene.secret},
        "#figure-made-recently": {scene.quick, scene.tested, scene.rejected, scene.urgent},
        "#figure-made-approved": {scene.quick, scene.tested, scene.urgent},
        "#figure-made-rejected": {scene.rejected},
        "#figure-no-challenge": {scene.quick, scene.old, scene.urgent},
        "#figure-approved": {scene.quick, scene.tested, scene.old, scene.urgent},
        "#figure-no-evidence": {scene.quick, scene.old},
        "#figure-awaiting-ratification": {scene.urgent},
    }
    for selector, decisions in expected.items():
        response = follow(lead, page, selector)
        assert figure(page, selector) == number(response, "#decision-count") == len(decisions), selector
        assert linked_ids(response, "#decisions", "/decisions/") == {d.pk for d in decisions}, selector


def test_review_suggested_leads_to_the_risk_registers_list_of_decisions_to_review(scene, lead, page):
    response = follow(lead, page, "#figure-review-suggested")
    assert page.select_one("#figure-review-suggested")["href"].endswith("#decisions-review-suggested")
    assert linked_ids(response, "#decisions-review-suggested", "/decisions/") == {scene.quick.pk}


def test_risk_figures_lead_to_the_filtered_register(scene, lead, page):
    for selector, risks in {
        "#figure-open-risks": {scene.rising, scene.escalated, scene.low},
        "#figure-above-appetite": {scene.rising, scene.escalated},
        "#figure-reviews-overdue": {scene.low},
        "#figure-band-high": {scene.rising},
        "#dashboard-cell-3-4 a": {scene.rising},
    }.items():
        response = follow(lead, page, selector)
        assert number(response, "#risk-count") == len(risks), selector
        assert linked_ids(response, "table", "/risks/") == {risk.pk for risk in risks}, selector
    response = follow(lead, page, "#figure-escalated")
    assert linked_ids(response, "#escalated-risks", "/risks/") == {scene.escalated.pk}


def test_engagement_figures_lead_to_coverage_and_you_said_we_did(scene, lead, page):
    response = follow(lead, page, "#figure-engagement-gaps")
    assert len(parse(response).select("#gap-list li")) == figure(page, "#figure-engagement-gaps") == 1
    assert len(parse(response).select("#due-soon-list li")) == figure(page, "#figure-engagement-due-soon") == 1
    response = follow(lead, page, "#figure-feedback-awaiting")
    assert text(response, "#results") == "2 themes"
    listed = text(response, "#feedback")
    assert "Buses are too rare" in listed and "Rotas are late" in listed and "Parking is hard" not in listed


def test_attendance_and_agenda_figures_lead_to_their_lists(world, lead, page):
    response = follow(lead, page, "#figure-persistently-absent")
    assert number(response, "#person-count") == 1 and world.ned.display_name in text(response, "#people")
    council = next(a for a in page.select("#attendance-by-organisation a") if a.get_text() == "Demo City Council")
    response = lead.get(council["href"])
    rows = parse(response).select("#people tbody tr")
    assert sum(int(row.select("td")[1].get_text(" ").split()[-1]) for row in rows) == 5  # the council's expected
    for purpose, body, count in [("decision", "board", 2), ("note", "board", 2), ("assurance", "groups", 1)]:
        response = follow(lead, page, f"#figure-agenda-{purpose}-{body}")
        assert number(response, "#item-count") == figure(page, f"#figure-agenda-{purpose}-{body}") == count


def test_trend_figures_lead_to_the_actions_and_decisions_of_their_month(scene, lead, page):
    rows = page.select("#trend-actions-table tbody tr")
    this_month = rows[-1].select("a")
    due = lead.get(this_month[0]["href"])
    assert number(due, "#action-count") == int(this_month[0].get_text(" ").split()[0])
    decisions = page.select("#trend-decisions-table tbody tr")[-1].select("a")
    proposed = lead.get(decisions[0]["href"])
    assert number(proposed, "#decision-count") == int(decisions[0].get_text(" ").split()[0]) == 7
    decided = lead.get(decisions[1]["href"])
    made = {scene.quick, scene.tested, scene.rejected, scene.urgent}  # not `old`, decided 60 days ago
    assert linked_ids(decided, "#decisions", "/decisions/") == {d.pk for d in made}
