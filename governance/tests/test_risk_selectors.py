"""The figures the dashboard and the board digest take from the register, checked against hand-counted risks, and
the heat map page that shows the first of them."""

from datetime import timedelta

from django.utils import timezone

from governance.selectors import risks as selectors
from governance.services.risks import risk_close
from tests.fixtures import client_for
from tests.html import parse, text

from .risk_support import backdate, raise_risk, review, set_appetite


def test_the_heat_map_counts_open_risks_in_each_cell_and_band(world, client):
    for likelihood, consequence in [(4, 4), (4, 4), (1, 3), (5, 5), (2, 3)]:
        raise_risk(world, likelihood=likelihood, consequence=consequence)
    risk_close(actor=world.lead, risk=raise_risk(world, likelihood=4, consequence=4), reason="Gone.")
    heat_map = selectors.heat_map(world.partnership)
    assert heat_map.cell(4, 4).count == 2 and heat_map.cell(4, 4).band == "extreme"
    assert heat_map.cell(1, 3).count == 1 and heat_map.cell(1, 3).band == "low"
    assert heat_map.band_counts == {"low": 1, "moderate": 1, "high": 0, "extreme": 3}
    assert heat_map.total == 5 and sum(cell.count for cell in heat_map.cells) == 5

    page = client_for(client, world, "viewer").get("/partnerships/QZZ/risks/heat-map/")
    cell = parse(page).select_one("#cell-4-4")
    assert " ".join(cell.get_text(" ").split()) == "2 risks, likelihood likely, consequence major: Extreme 16"
    assert cell.a["href"] == "/partnerships/QZZ/risks/?likelihood=4&consequence=4"
    assert "2 risks scoring 4 × 4" in text(page, "#heat-map-list")
    assert "Extreme 15 to 25 3" in text(page, "#bands")


def test_a_heat_map_cell_links_to_exactly_its_risks(world, client):
    raise_risk(world, likelihood=4, consequence=4, title="In the cell")
    raise_risk(world, likelihood=4, consequence=5, title="Next door")
    page = client_for(client, world, "viewer").get("/partnerships/QZZ/risks/?likelihood=4&consequence=4")
    assert "In the cell" in text(page, "#risks") and "Next door" not in text(page, "#risks")


def test_new_and_escalated_since_a_date_for_the_digest(world):
    today = timezone.localdate()
    since = today - timedelta(days=7)
    old_quiet = backdate(raise_risk(world, likelihood=2, consequence=2, title="Old and quiet"), 60)
    old_escalated = backdate(raise_risk(world, likelihood=3, consequence=4, title="Old, escalated this week"), 60)
    review(world, old_escalated, 4, 4, reviewed_on=today - timedelta(days=2))
    escalated_before = backdate(raise_risk(world, likelihood=3, consequence=4, title="Escalated last month"), 60)
    review(world, escalated_before, 4, 4, reviewed_on=today - timedelta(days=30))
    review(world, escalated_before, 5, 4, reviewed_on=today - timedelta(days=1))  # already escalated: not news
    new_low = raise_risk(world, likelihood=1, consequence=2, title="New and low")
    new_extreme = raise_risk(world, likelihood=5, consequence=4, title="New and extreme")
    dropped = backdate(raise_risk(world, likelihood=3, consequence=4, title="Up then down"), 60)
    review(world, dropped, 4, 4, reviewed_on=today - timedelta(days=3))
    review(world, dropped, 3, 3, reviewed_on=today - timedelta(days=1))

    changes = selectors.new_and_escalated_since(world.partnership, since)
    assert list(changes.raised) == [new_low, new_extreme]
    assert list(changes.escalated) == [new_extreme, old_escalated]
    assert old_quiet not in changes.raised
    moment = timezone.now() - timedelta(hours=1)
    assert list(selectors.new_and_escalated_since(world.partnership, moment).raised) == [new_low, new_extreme]


def test_decisions_review_suggested_lists_the_flagged_decisions(world):
    from .support import approved

    set_appetite(world, tolerance=6)
    flagged, quiet = approved(world, title="Flagged"), approved(world, title="Quiet")
    review(world, raise_risk(world, likelihood=2, consequence=3, decisions=[flagged]), 3, 3)
    review(world, raise_risk(world, likelihood=2, consequence=3, decisions=[quiet], title="Other"), 2, 2)
    assert list(selectors.decisions_review_suggested(world.partnership)) == [flagged]


def test_the_csv_export_has_every_column_and_is_safe_to_open_in_a_spreadsheet(world, client):
    import csv
    import io

    from .support import approved

    set_appetite(world, tolerance=8)
    decision = approved(world, title="Linked")
    raise_risk(world, likelihood=3, consequence=4, title="=HYPERLINK(evil)", decisions=[decision])
    raise_risk(world, likelihood=1, consequence=1, title="Quiet")
    response = client_for(client, world, "viewer").get("/partnerships/QZZ/risks/export.csv?above_appetite=yes")
    assert response["Content-Disposition"] == 'attachment; filename="risks-QZZ.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["Title"] == "'=HYPERLINK(evil)"
    assert (row["Current score"], row["Current band"], row["Tolerance"], row["Above appetite"]) == (
        "12",
        "High",
        "8",
        "Yes",
    )
    assert row["Linked decisions"] == decision.reference and row["Trend over 90 days"] == "Steady"
