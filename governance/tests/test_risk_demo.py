"""The demo risk register and the benchmark data: realistic, consistent with the rules, and never added twice."""

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from governance.models import Decision, Risk, RiskReview, RiskScoreChange, RiskSettings
from governance.seed import scale_risks
from governance.selectors import risks as selectors
from partnerships.models import Partnership
from tests.fixtures import client_for

from .support import more_members, signatories


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return Partnership.objects.get(code="QZZ")


def test_the_demo_register_has_risks_at_every_tier_and_band_with_a_year_of_history(demo):
    risks = Risk.objects.filter(partnership=demo).scored()
    assert risks.count() >= 20
    assert set(risks.values_list("tier", flat=True)) == {"partnership", "workstream", "organisation"}
    assert set(risks.values_list("band", flat=True)) == {"low", "moderate", "high", "extreme"}
    assert set(risks.values_list("trend", flat=True)) == {"rising", "steady", "falling"}
    assert risks.filter(above_appetite=True).exists() and risks.filter(is_escalated=True).exists()
    assert selectors.reviews_overdue(demo).count() >= 3
    oldest = RiskScoreChange.objects.filter(risk__partnership=demo).order_by("changed_on").first()
    assert (RiskScoreChange.objects.order_by("-changed_on").first().changed_on - oldest.changed_on).days > 330
    assert RiskReview.objects.filter(risk__partnership=demo).count() >= 35


def test_the_demo_diagnostic_centre_decision_shows_review_suggested(demo, client):
    decision = selectors.with_review_suggestion(Decision.objects.filter(partnership=demo)).get(
        title="Community diagnostic centre at Dales Valley"
    )
    assert decision.is_review_suggested and "above the board's tolerance of 12" in decision.review_suggested_reason
    client.force_login(decision.proposer)
    assert b"Review suggested" in client.get(decision.get_absolute_url()).content


def test_running_the_demo_again_adds_no_risks(demo):
    before = sorted(Risk.objects.values_list("reference", "current_score"))
    call_command("seed_demo", stdout=io.StringIO())
    assert sorted(Risk.objects.values_list("reference", "current_score")) == before


def quiet_progress(total, description):
    return SimpleNamespace(update=lambda count: None, close=lambda: None)


def test_scale_builds_a_register_with_history_in_every_partnership_once(world, client):
    signatories(world)
    more_members(world, 3)
    scale_risks.seed(scale=0.1, random_seed=7, progress=quiet_progress, stdout=io.StringIO())
    risks = Risk.objects.filter(partnership=world.partnership)
    assert risks.count() == 50 and Risk.objects.filter(partnership=world.other_partnership).count() == 50
    assert RiskSettings.objects.get(partnership=world.partnership).last_number == 50
    assert sorted(risks.values_list("number", flat=True)) == list(range(1, 51))
    for risk in risks.prefetch_related("score_changes"):
        changes = sorted(risk.score_changes.all(), key=lambda change: (change.changed_on, change.pk))
        assert changes[0].score == risk.initial_score and changes[-1].score == risk.current_score
        assert changes[0].previous_score is None
    assert RiskReview.objects.filter(risk__partnership=world.partnership).exists()

    scale_risks.seed(scale=0.1, random_seed=7, progress=quiet_progress, stdout=io.StringIO())
    assert Risk.objects.count() == 100

    client = client_for(client, world, "board")
    assert client.get("/partnerships/QZZ/risks/?page=2").status_code == 200
    assert client.get("/partnerships/QZZ/risks/heat-map/").status_code == 200
    assert client.get(risks.order_by("?").first().get_absolute_url()).status_code == 200
