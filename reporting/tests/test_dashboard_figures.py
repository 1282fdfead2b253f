"""Every figure of the dashboard against the partnership `DashboardScene` builds, whose figures are counted by hand
beside each record: in the selector, on the page and in the API."""

import pytest

from reporting.selectors.dashboard import for_viewer, partnership_dashboard
from tests.fixtures import client_for
from tests.html import parse, text

from .dashboard_support import DashboardScene

pytestmark = pytest.mark.django_db

URL = "/partnerships/QZZ/dashboard/"
API = "/api/v1/dashboards/QZZ/"


@pytest.fixture
def scene(world) -> DashboardScene:
    return DashboardScene(world)


@pytest.fixture
def figures(scene):
    return partnership_dashboard(scene.partnership)


def test_work_streams_show_rag_status_and_latest_report_and_leave_closed_ones_out(scene, figures):
    rows = {ws.name: ws for ws in figures.workstreams}
    assert list(rows) == ["Diabetes", "Medicines Optimisation"]
    diabetes, medicines = rows["Diabetes"], rows["Medicines Optimisation"]
    assert (diabetes.status, diabetes.rag, diabetes.rag_label, diabetes.rag_reason) == (
        "active",
        "red",
        "Red",
        "Behind plan",
    )
    assert diabetes.latest_report.id == scene.report_latest.pk and diabetes.latest_report.rag_label == "Red"
    assert (diabetes.open_actions, diabetes.overdue_actions) == (3, 2)
    assert (medicines.rag_label, medicines.latest_report, medicines.open_actions, medicines.overdue_actions) == (
        "Not rated",
        None,
        2,
        1,
    )


def test_actions_are_counted_by_work_stream_and_by_organisation(figures):
    actions = figures.actions
    assert (actions.open, actions.overdue) == (7, 5)
    assert [(g.name, g.overdue, g.open) for g in actions.by_workstream] == [
        ("Diabetes", 2, 3),
        ("Medicines Optimisation", 1, 2),
        ("Old programme", 1, 1),
        ("Partnership board", 1, 1),
    ]
    assert [(g.name, g.overdue, g.open) for g in actions.by_organisation] == [
        ("Demo Hospitals NHS Foundation Trust", 3, 4),
        ("Demo City Council", 2, 2),
        ("No organisation recorded", 0, 1),
    ]
    assert actions.by_workstream[3].id is None and actions.by_organisation[2].id is None


def test_decisions_awaiting_sign_off_name_who_is_outstanding_and_how_long_they_have_waited(scene, figures):
    awaiting = figures.decisions.awaiting
    assert [(d.reference, d.days_waiting, d.bound, d.outstanding) for d in awaiting] == [
        (scene.waiting.reference, 3, 2, ["Demo City Council"]),
        (scene.secret.reference, 0, 2, ["Demo City Council", "Demo Hospitals NHS Foundation Trust"]),
    ]


def test_decisions_made_lately_flagged_for_review_and_awaiting_ratification(scene, figures):
    decisions = figures.decisions
    made = {d.reference: d.status for d in decisions.made_recently}
    assert made == {
        scene.quick.reference: "approved",
        scene.tested.reference: "approved",
        scene.rejected.reference: "rejected",
        scene.urgent.reference: "approved",
    }
    assert (decisions.made_recently_with("approved"), decisions.made_recently_with("rejected")) == (3, 1)
    assert [d.reference for d in decisions.review_suggested] == [scene.quick.reference]
    assert "rose from 8 to 12" in decisions.review_suggested[0].reason
    assert [d.reference for d in decisions.awaiting_ratification] == [scene.urgent.reference]


def test_risks_heat_map_appetite_escalation_and_overdue_reviews(scene, figures):
    risks = figures.risks
    assert (risks.open, risks.above_appetite, risks.escalated, risks.reviews_overdue) == (3, 2, 1, 1)
    filled = {(c.likelihood, c.consequence): c.count for c in risks.heat_map.cells if c.count}
    assert filled == {(3, 4): 1, (4, 4): 1, (1, 2): 1}
    assert risks.heat_map.band_counts == {"low": 1, "moderate": 0, "high": 1, "extreme": 1}
    assert [(r.title, r.score, r.band) for r in risks.top_escalated] == [("Cash runs out", 16, "extreme")]


def test_engagement_gaps_and_feedback_awaiting_a_response(scene, figures):
    engagement = figures.engagement
    assert [(g.workstream, g.group, g.description) for g in engagement.gaps] == [
        ("Diabetes", "Patients and carers", "Red: never engaged (expected every 90)")
    ]
    assert engagement.due_soon == 1
    assert engagement.awaiting_response == 2
    assert [(f.theme, f.days_waiting) for f in engagement.longest_awaiting] == [
        ("Buses are too rare", 80),
        ("Rotas are late", 10),
    ]


def test_governance_health_of_approved_decisions(figures):
    approved = figures.health.approved
    # Approved and standing: quick, tested, old and urgent. Only `tested` was challenged; quick and old went to
    # sign-off without hearing the Diabetes work-stream's expected groups (old is confidential).
    assert (approved.approved, approved.without_challenge, approved.without_challenge_percent) == (4, 3, 75)
    assert (approved.without_evidence, approved.without_evidence_confidential) == (2, 1)
    assert approved.without_evidence_percent == 50


def test_attendance_by_organisation_and_the_persistently_absent(world, figures):
    health = figures.health
    rows = [(a.name, a.expected, a.present, a.apologies, a.absent) for a in health.attendance]
    # Deputies standing in, observers' seats, cancelled meetings and meetings over a year ago are left out.
    assert rows == [
        ("Demo City Council", 5, 1, 2, 2),
        ("Demo Hospitals NHS Foundation Trust", 6, 5, 0, 1),
    ]
    assert [(p.id, p.expected, p.present) for p in health.persistently_absent] == [(world.ned.pk, 3, 0)]
    assert health.persistently_absent[0].name == world.ned.display_name
    assert "fewer than half" in health.absence_rule


def test_agenda_items_for_decision_and_to_note(figures):
    agenda = figures.health.agenda
    assert [(f.purpose, f.board, f.groups) for f in agenda.figures] == [
        ("decision", 2, 1),
        ("assurance", 0, 1),
        ("discussion", 0, 0),
        ("note", 2, 0),
    ]
    assert (agenda.board_decision_percent, agenda.board_note_percent) == (50, 50)


def test_members_and_viewers_see_confidential_decisions_only_by_reference(scene, world):
    figures = for_viewer(partnership_dashboard(scene.partnership), world.viewer)
    secret = next(d for d in figures.decisions.awaiting if d.reference == scene.secret.reference)
    assert (secret.shows_details, secret.title, secret.outstanding) == (False, "", [])
    assert figures.health.approved.without_evidence == 1  # the confidential one is left out, as in the register
    board_view = for_viewer(partnership_dashboard(scene.partnership), world.board)
    assert next(d for d in board_view.decisions.awaiting if d.reference == scene.secret.reference).title


def test_the_page_shows_the_figures_in_words(scene, world, client):
    response = client_for(client, world, "lead").get(URL)
    assert response.status_code == 200
    page = parse(response)
    card = " ".join(page.select_one("#card-overdue-actions").get_text(" ").split())
    assert card == "5 overdue actions"
    assert text(response, "#card-awaiting-signoff") == "2 decisions awaiting sign-off"
    assert text(response, "#card-above-appetite") == "2 risks above appetite"
    assert text(response, "#card-escalated") == "1 risk escalated to the board"
    assert text(response, "#card-engagement-gaps") == "1 engagement gap"
    assert text(response, "#card-feedback-awaiting") == "2 “you said” items awaiting a response"
    assert "1 of 2: Demo City Council" in text(response, "#awaiting-signoff-table")
    assert text(response, "#figure-made-approved") == "3 approved"
    assert text(response, "#figure-no-challenge") == "3 approved decisions"
    assert "(75% of the 4 approved" in text(response, "#decision-health-figures")
    assert text(response, "#figure-persistently-absent") == "1 person"
    assert f"{world.ned.display_name}, Demo City Council: present at 0 of 3 meetings" in text(response, "#absent-list")
    assert "Red Behind plan" in text(response, f"#workstream-{scene.diabetes.pk}")
    assert text(response, "#dashboard-cell-4-4 .risk-heat-map__count") == "1"


def test_a_viewer_reads_confidential_decisions_as_confidential(scene, world, client):
    response = client_for(client, world, "viewer").get(URL)
    table = text(response, "#awaiting-signoff-table")
    assert f"{scene.secret.reference} : Confidential decision" in table and "Secret land deal" not in table
    assert "Secret land deal" not in response.content.decode()


def test_the_api_gives_the_same_figures(scene, world, client):
    answer = client_for(client, world, "lead").get(API).json()
    assert answer["partnership"] == "QZZ" and answer["as_of"] == scene.today.isoformat()
    assert (answer["actions"]["open"], answer["actions"]["overdue"]) == (7, 5)
    assert [d["outstanding"] for d in answer["decisions"]["awaiting"]][0] == ["Demo City Council"]
    assert answer["risks"]["heat_map"]["by_band"] == {"low": 1, "moderate": 0, "high": 1, "extreme": 1}
    assert (answer["risks"]["above_appetite"], answer["risks"]["escalated"], answer["risks"]["reviews_overdue"]) == (
        2,
        1,
        1,
    )
    assert answer["engagement"]["awaiting_response"] == 2
    assert answer["health"]["approved"] == {
        "approved": 4,
        "without_challenge": 3,
        "without_challenge_percent": 75,
        "without_evidence": 2,
        "without_evidence_percent": 50,
    }
    assert [row["id"] for row in answer["health"]["persistently_absent"]] == [world.ned.pk]
    assert len(answer["trends"]["actions"]) == 12
    viewer = client_for(client, world, "viewer").get(API).json()
    secret = next(d for d in viewer["decisions"]["awaiting"] if d["reference"] == scene.secret.reference)
    assert (secret["title"], secret["shows_details"], secret["outstanding"]) == ("", False, [])
