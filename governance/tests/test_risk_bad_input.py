"""Bad input on the risk forms gets a 400 with a clear message on the field, and nothing is written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from governance.models import Risk, RiskDomain, RiskReview, RiskScoreChange
from tests.fixtures import client_for
from tests.html import error_summary
from workstreams.models import WorkStream

from .risk_support import domain, raise_risk


def counts():
    return [model.objects.count() for model in (Risk, RiskReview, RiskScoreChange, RiskDomain, AuditEvent)]


def messages(response) -> str:
    return " ".join(message for message, _ in error_summary(response))


def raise_form(world, **change) -> dict:
    data = {
        "title": "Estates backlog",
        "cause": "Old buildings.",
        "event": "A ward closes.",
        "effect": "Fewer beds.",
        "objective": "Safe buildings",
        "domain": domain("Safety").pk,
        "source": "internal",
        "tier": "partnership",
        "owner": world.member.pk,
        "overseen_by": "Partnership board",
        "likelihood": 3,
        "consequence": 4,
        "target_likelihood": 2,
        "target_consequence": 2,
        "review_every": 3,
    }
    data.update(change)
    return {name: value for name, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"likelihood": 0}, "Choose the likelihood now, from 1 to 5"),
        ({"likelihood": 6}, "Choose the likelihood now, from 1 to 5"),
        ({"likelihood": "three"}, "Choose the likelihood now, from 1 to 5"),
        ({"likelihood": None}, "Choose the likelihood now"),
        ({"consequence": 0}, "Choose the consequence now, from 1 to 5"),
        ({"consequence": 6}, "Choose the consequence now, from 1 to 5"),
        ({"consequence": None}, "Choose the consequence now"),
        ({"target_likelihood": 5, "target_consequence": 5}, "cannot be higher than the score now (12)"),
        ({"title": ""}, "Enter a title for the risk"),
        ({"title": "x" * 201}, "Title must be 200 characters or fewer"),
        ({"cause": "<script>alert(1)</script>"}, "HTML"),
        ({"domain": 999999}, "Choose a domain from the list"),
        ({"owner": ""}, "Choose the risk's owner"),
        ({"tier": "workstream"}, "Choose the work-stream whose risk it is"),
        ({"tier": "organisation"}, "Choose the organisation whose risk it is"),
        ({"next_review_on": "2001-01-01"}, "The next review date must be today or later."),
        ({"next_review_on": "31/02/2027"}, "Enter a real date, like 27 3 2027"),
        ({"review_every": 5}, "Choose a frequency"),
    ],
)
def test_a_bad_risk_gets_a_400_with_a_clear_message_and_is_not_raised(world, client, change, message):
    client = client_for(client, world, "member")
    before = counts()
    response = client.post("/partnerships/QZZ/risks/new/", raise_form(world, **change))
    assert response.status_code == 400
    assert message in messages(response), messages(response)
    assert counts() == before


def test_another_partnerships_work_stream_viewer_owner_or_domain_cannot_be_chosen(world, client):
    elsewhere = WorkStream.objects.create(partnership=world.other_partnership, name="Theirs", purpose="Theirs")
    their_domain = RiskDomain.objects.create(partnership=world.other_partnership, name="Theirs only")
    client = client_for(client, world, "member")
    before = counts()
    for change, message in [
        ({"tier": "workstream", "workstream": elsewhere.pk}, "Choose a work-stream of this partnership"),
        ({"owner": world.outsider.pk}, "Choose a person in this partnership"),
        ({"owner": world.viewer.pk}, "Choose a person in this partnership"),
        ({"domain": their_domain.pk}, "Choose a domain from the list"),
    ]:
        response = client.post("/partnerships/QZZ/risks/new/", raise_form(world, **change))
        assert response.status_code == 400 and message in messages(response), messages(response)
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"likelihood": 0}, "Choose the likelihood, from 1 to 5"),
        ({"likelihood": 6}, "Choose the likelihood, from 1 to 5"),
        ({"likelihood": "three"}, "Choose the likelihood, from 1 to 5"),
        ({"likelihood": None}, "Choose the likelihood"),
        ({"consequence": "6"}, "Choose the consequence, from 1 to 5"),
        ({"note": ""}, "Say what the review found"),
        ({"note": "<b>bold</b>"}, "HTML"),
        ({"reviewed_on": ""}, "Enter the date of the review"),
        ({"reviewed_on": "tomorrow"}, "Enter a real date, like 27 3 2027"),
        ("future", "The review date cannot be in the future."),
        ("before_raised", "The review date cannot be before"),
        ("next_before", "The next review must be after this one."),
    ],
)
def test_a_bad_review_gets_a_400_with_a_clear_message_and_changes_nothing(world, client, change, message):
    risk = raise_risk(world)
    today = timezone.localdate()
    named = {
        "future": {"reviewed_on": (today + timedelta(days=1)).isoformat()},
        "before_raised": {"reviewed_on": (today - timedelta(days=1)).isoformat()},
        "next_before": {"next_review_on": today.isoformat()},
    }
    change = named.get(change, change) if isinstance(change, str) else change
    data = {"reviewed_on": today.isoformat(), "likelihood": 4, "consequence": 4, "note": "Worse.", **change}
    data = {name: value for name, value in data.items() if value is not None}
    client = client_for(client, world, "member")
    before = counts()
    response = client.post(f"/risks/{risk.pk}/review/", data)
    assert response.status_code == 400
    assert message in messages(response), messages(response)
    assert counts() == before
    risk.refresh_from_db()
    assert risk.current_score == 9


def test_a_closed_risk_cannot_be_reviewed_or_changed(world, client):
    from governance.services.risks import risk_close

    risk = raise_risk(world)
    risk_close(actor=world.lead, risk=risk, reason="Done.")
    client = client_for(client, world, "lead")
    before = counts()
    data = {"reviewed_on": timezone.localdate().isoformat(), "likelihood": 4, "consequence": 4, "note": "Worse."}
    response = client.post(f"/risks/{risk.pk}/review/", data)
    assert response.status_code == 400 and "A closed risk cannot be reviewed." in messages(response)
    response = client.post(f"/risks/{risk.pk}/close/", {"reason": "Again"})
    assert response.status_code == 400 and "already closed" in messages(response)
    assert counts() == before


def test_a_domain_name_already_used_is_refused(world, client):
    client = client_for(client, world, "lead")
    before = counts()
    response = client.post("/partnerships/QZZ/risk-domains/new/", {"name": "finance"})
    assert response.status_code == 400 and "There is already a risk domain called finance" in messages(response)
    response = client.post("/partnerships/QZZ/risk-domains/new/", {"name": ""})
    assert response.status_code == 400 and "Enter the name of the risk domain" in messages(response)
    assert counts() == before


def test_an_appetite_tolerance_the_matrix_cannot_give_is_refused(world, client):
    client = client_for(client, world, "lead")
    before = counts()
    for tolerance in (7, 0, 26, "high", ""):
        response = client.post(
            f"/partnerships/QZZ/risk-appetite/{domain('Quality').pk}/", {"level": "open", "tolerance": tolerance}
        )
        assert response.status_code == 400
        assert "Choose a score the matrix can give" in messages(response) or "Choose the tolerance" in messages(
            response
        )
    response = client.post(f"/partnerships/QZZ/risk-appetite/{domain('Quality').pk}/", {"level": "reckless"})
    assert response.status_code == 400 and "Choose an appetite from the list" in messages(response)
    assert counts() == before
