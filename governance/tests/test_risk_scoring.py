"""Scores, bands, appetite, escalation, overdue reviews and the trend, at every edge, as the register shows them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from governance.models import Risk, RiskBand, RiskSettings
from governance.selectors import risks as selectors
from tests.fixtures import client_for
from tests.html import text

from .risk_support import backdate, raise_risk, review, set_appetite, set_matrix

# (likelihood, consequence) for each score on either side of the default band edges: 3|4, 6|8, 12|15.
AT = {1: (1, 1), 3: (1, 3), 4: (1, 4), 5: (1, 5), 6: (2, 3), 8: (2, 4), 9: (3, 3), 12: (3, 4), 15: (3, 5), 16: (4, 4)}
AT.update({20: (4, 5), 25: (5, 5), 10: (2, 5)})


def risk_scoring(world, score: int, **fields) -> Risk:
    likelihood, consequence = AT[score]
    return raise_risk(world, likelihood=likelihood, consequence=consequence, title=f"Scores {score}", **fields)


def register_titles(client, query: str) -> list[str]:
    response = client.get(f"/partnerships/QZZ/risks/?{query}")
    assert response.status_code == 200
    return sorted(link.get_text().split(": ", 1)[1] for link in response_soup(response).select("#risks td a"))


def response_soup(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "low"),
        (3, "low"),
        (4, "moderate"),
        (6, "moderate"),
        (8, "high"),
        (12, "high"),
        (15, "extreme"),
        (25, "extreme"),
    ],
)
def test_the_default_bands_split_the_matrix_at_3_and_4_6_and_8_12_and_15(world, client, score, band):
    risk = risk_scoring(world, score)
    assert RiskSettings(partnership=world.partnership).band_for(score) == band
    assert Risk.objects.scored().get(pk=risk.pk).band == band
    client = client_for(client, world, "viewer")
    assert register_titles(client, f"band={band}") == [f"Scores {score}"]
    label = RiskBand(band).label
    assert f"{score} {label}" in text(client.get(risk.get_absolute_url()), "#risk-status")


def test_custom_bands_move_the_edges_and_the_register_follows_at_once(world, client):
    for score in (4, 5, 8, 9, 16, 20):
        risk_scoring(world, score)
    set_matrix(world, low_max=4, moderate_max=8, high_max=16)
    client = client_for(client, world, "member")
    assert register_titles(client, "band=low") == ["Scores 4"]
    assert register_titles(client, "band=moderate") == ["Scores 5", "Scores 8"]
    assert register_titles(client, "band=high") == ["Scores 16", "Scores 9"]
    assert register_titles(client, "band=extreme") == ["Scores 20"]
    page = client.get("/partnerships/QZZ/risk-appetite/")
    assert [item.get_text(" ", strip=True) for item in response_soup(page).select("#band-list li")] == [
        "Low scores 1 to 4",
        "Moderate scores 5 to 8",
        "High scores 9 to 16",
        "Extreme scores 20 to 25",
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"low_max": 6, "moderate_max": 6, "high_max": 12}, "moderate_max", "must end above the low band"),
        ({"low_max": 3, "moderate_max": 12, "high_max": 10}, "high_max", "must end above the moderate band"),
        ({"low_max": 3, "moderate_max": 6, "high_max": 25}, "high_max", "so that 25 is extreme"),
        ({"low_max": 6, "moderate_max": 7, "high_max": 12}, "moderate_max", "No risk can score from 7 to 7"),
        ({"low_max": 3, "moderate_max": 6, "high_max": 14}, "high_max", ""),  # 7 to 14 holds 8 to 12: allowed
        ({"low_max": 0, "moderate_max": 6, "high_max": 12}, "low_max", "must be 1 or more"),
        ({"escalation_score": 26}, "escalation_score", "must be 25 or less"),
        ({"escalation_score": "high"}, "escalation_score", "as a whole number"),
    ],
)
def test_the_lead_cannot_save_bands_with_gaps_overlaps_or_empty_bands(world, client, fields, field, message):
    client = client_for(client, world, "lead")
    data = {"low_max": 3, "moderate_max": 6, "high_max": 12, "escalation_score": 15, **fields}
    response = client.post("/partnerships/QZZ/risk-settings/", data)
    if not message:
        assert response.status_code == 302
        assert RiskSettings.objects.get(partnership=world.partnership).high_max == 14
        return
    assert response.status_code == 400
    assert message in text(response, f"#{'id_' + field}-error") or message in text(response, ".nhsuk-error-summary")
    assert not RiskSettings.objects.filter(partnership=world.partnership).exists()


def test_a_risk_is_above_appetite_only_when_it_scores_more_than_the_tolerance(world, client):
    set_appetite(world, "Finance", tolerance=8)
    at_tolerance = risk_scoring(world, 8)
    above = risk_scoring(world, 9)
    no_appetite = risk_scoring(world, 25, domain_name="Reputation")
    flags = {risk.pk: risk.above_appetite for risk in Risk.objects.scored()}
    assert flags == {at_tolerance.pk: False, above.pk: True, no_appetite.pk: False}
    assert list(selectors.risks_above_appetite(world.partnership)) == [above]
    client = client_for(client, world, "viewer")
    assert register_titles(client, "above_appetite=yes") == ["Scores 9"]
    assert "above it" in text(client.get(above.get_absolute_url()), "#risk-summary")
    assert "within it" in text(client.get(at_tolerance.get_absolute_url()), "#risk-summary")
    assert "has not set its appetite" in text(client.get(no_appetite.get_absolute_url()), "#risk-summary")


def test_a_risk_is_escalated_to_the_board_at_exactly_the_escalation_score(world, client):
    below, at = risk_scoring(world, 12), risk_scoring(world, 15)
    assert list(selectors.escalated_risks(world.partnership)) == [at]
    client = client_for(client, world, "board")
    page = client.get("/partnerships/QZZ/risks/escalated/")
    assert "1 risk is escalated" in text(page, "#escalated-count")
    assert "Scores 15" in text(page, "#escalated-risks") and "Scores 12" not in text(page, "#escalated-risks")

    set_matrix(world, escalation_score=12)
    assert set(selectors.escalated_risks(world.partnership)) == {below, at}
    assert "2 risks are escalated" in text(client.get("/partnerships/QZZ/risks/escalated/"), "#escalated-count")


def test_a_closed_risk_leaves_the_board_list_and_the_heat_map(world):
    from governance.services.risks import risk_close

    risk = risk_scoring(world, 20)
    assert selectors.heat_map(world.partnership).cell(4, 5).count == 1
    risk_close(actor=world.lead, risk=risk, reason="Transferred to the trust's own register.")
    assert list(selectors.escalated_risks(world.partnership)) == []
    assert selectors.heat_map(world.partnership).cell(4, 5).count == 0


@pytest.mark.parametrize(("days", "overdue"), [(-1, True), (0, False), (1, False)])
def test_a_review_is_overdue_only_once_its_date_has_passed(world, client, days, overdue):
    risk = risk_scoring(world, 9)
    Risk.objects.filter(pk=risk.pk).update(next_review_on=timezone.localdate() + timedelta(days=days))
    assert list(selectors.reviews_overdue(world.partnership)) == ([risk] if overdue else [])
    assert Risk.objects.scored().get(pk=risk.pk).review_overdue is overdue
    client = client_for(client, world, "viewer")
    assert register_titles(client, "review_overdue=yes") == (["Scores 9"] if overdue else [])
    assert ("Review overdue" in text(client.get(risk.get_absolute_url()), "#risk-status")) is overdue


def test_reviews_overdue_takes_the_day_to_judge_by(world):
    risk = risk_scoring(world, 9)
    due = risk.next_review_on
    assert list(selectors.reviews_overdue(world.partnership, due)) == []
    assert list(selectors.reviews_overdue(world.partnership, due + timedelta(days=1))) == [risk]


def test_the_trend_compares_the_score_now_with_the_score_90_days_ago(world, client):
    today = timezone.localdate()
    rising = backdate(raise_risk(world, likelihood=2, consequence=3, title="Rising"), 200)
    review(world, rising, 3, 4, reviewed_on=today - timedelta(days=120))  # 12, in force 90 days ago
    review(world, rising, 4, 4, reviewed_on=today - timedelta(days=30))  # 16 now
    falling = backdate(raise_risk(world, likelihood=4, consequence=4, title="Falling"), 100)
    review(world, falling, 3, 3, reviewed_on=today - timedelta(days=10))
    steady = backdate(raise_risk(world, likelihood=3, consequence=3, title="Steady"), 150)
    review(world, steady, 4, 4, reviewed_on=today - timedelta(days=60))  # went up and came back within 90 days
    review(world, steady, 3, 3, reviewed_on=today - timedelta(days=5))
    young = raise_risk(world, likelihood=2, consequence=2, title="Young")
    review(world, young, 3, 2)  # younger than 90 days: compared with the score it was raised at

    trends = {risk.title: (risk.trend, risk.score_then) for risk in Risk.objects.scored()}
    assert trends == {
        "Rising": ("rising", 12),
        "Falling": ("falling", 16),
        "Steady": ("steady", 9),
        "Young": ("rising", 4),
    }
    client = client_for(client, world, "viewer")
    assert "Rising: up from 12 to 16 over the last 90 days" in text(
        client.get(rising.get_absolute_url()), "#risk-summary"
    )
    assert "↓ Falling" in text(client.get("/partnerships/QZZ/risks/?search=Falling"), "#risks")
    assert "Steady: 9 now, as 90 days ago" in text(client.get(steady.get_absolute_url()), "#risk-summary")


def test_every_risk_record_has_an_address(world):
    from governance.models import RiskAppetite, RiskDomain, RiskReview, RiskScoreChange

    from .risk_support import domain

    risk = raise_risk(world)
    review(world, risk, 4, 4)
    own = RiskDomain.objects.create(partnership=world.partnership, name="Climate")
    appetite = set_appetite(world, "Finance", tolerance=8)
    assert risk.get_absolute_url() == f"/risks/{risk.pk}/"
    assert RiskReview.objects.get().get_absolute_url() == f"/risks/{risk.pk}/#review-{RiskReview.objects.get().pk}"
    assert RiskScoreChange.objects.first().get_absolute_url() == f"/risks/{risk.pk}/#score-history"
    assert own.get_absolute_url() == f"/partnerships/QZZ/risk-appetite/#domain-{own.pk}"
    assert domain("Safety").get_absolute_url() == f"/api/v1/risk-domains/{domain('Safety').pk}/"
    assert appetite.get_absolute_url().startswith("/partnerships/QZZ/risk-appetite/#domain-")
    assert RiskSettings.objects.get().get_absolute_url() == "/partnerships/QZZ/risk-settings/"
    assert str(RiskAppetite.objects.get()) == "Finance: cautious, tolerance 8"
