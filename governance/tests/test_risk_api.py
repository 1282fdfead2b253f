"""The risk API: the same permissions, services and messages as the pages."""

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent
from governance.models import (
    Decision,
    ReviewSuggestion,
    Risk,
    RiskAppetite,
    RiskDomain,
    RiskReview,
    RiskScoreChange,
    RiskSettings,
)
from governance.selectors.risks import with_review_suggestion
from partnerships.tests.api_client import api_as
from tests.fixtures import PERSONAS

from .risk_support import domain, raise_risk, review, set_appetite
from .support import approved

CONTRIBUTORS = {"member", "ned", "board", "lead"}
STEWARDS = {"member", "lead"}


def counts():
    models = (Risk, RiskReview, RiskScoreChange, RiskAppetite, RiskDomain, RiskSettings, AuditEvent)
    return [model.objects.count() for model in models] + [ReviewSuggestion.objects.in_force().count()]


@pytest.fixture
def things(world):
    appetite = set_appetite(world, "Finance", tolerance=8)
    decision = approved(world, title="Approved decision")
    risk = raise_risk(world, likelihood=2, consequence=3, decisions=[decision])
    flagged = raise_risk(world, likelihood=2, consequence=2, title="Flags its decision", decisions=[decision])
    review(world, flagged, 3, 3)  # above the tolerance of 8
    return {
        "risk": risk,
        "review": RiskReview.objects.get(risk=flagged),
        "change": RiskScoreChange.objects.filter(risk=risk).get(),
        "appetite": appetite,
        "decision": decision,
        "domain": domain("Quality"),
    }


READS = [
    lambda t: "/api/v1/risks/",
    lambda t: "/api/v1/risks/?partnership=QZZ&band=high&above_appetite=true&is_escalated=false&likelihood=3",
    lambda t: f"/api/v1/risks/{t['risk'].pk}/",
    lambda t: "/api/v1/risk-reviews/",
    lambda t: f"/api/v1/risk-reviews/{t['review'].pk}/",
    lambda t: "/api/v1/risk-score-changes/?risk=1",
    lambda t: f"/api/v1/risk-score-changes/{t['change'].pk}/",
    lambda t: "/api/v1/risk-appetites/",
    lambda t: f"/api/v1/risk-appetites/{t['appetite'].pk}/",
    lambda t: "/api/v1/risk-domains/?partnership=QZZ",
    lambda t: "/api/v1/risk-settings/",
    lambda t: "/api/v1/risk-settings/QZZ/",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_risk_read_answers_each_persona_as_the_access_model_says(world, things, persona):
    client = api_as(world, persona)
    failures = []
    for path in READS:
        url = path(things)
        response = client.get(url)
        is_detail = url.rstrip("/").split("/")[-1].isdigit() or url.endswith("/QZZ/")
        wanted = 401 if persona == "anonymous" else 404 if persona == "outsider" and is_detail else 200
        if response.status_code != wanted:
            failures.append(f"{url}: {response.status_code}, wanted {wanted}")
    assert failures == []


def test_an_outsider_lists_nothing_of_another_partnership(world, things):
    client = api_as(world, "outsider")
    assert client.get("/api/v1/risks/").json()["count"] == 0
    assert client.get("/api/v1/risk-reviews/").json()["count"] == 0
    assert [row["partnership"] for row in client.get("/api/v1/risk-settings/").json()["results"]] == ["QYY"]
    assert {row["partnership"] for row in client.get("/api/v1/risk-domains/").json()["results"]} == {None}


def _raise_body(world, t):
    return {
        "partnership": "QZZ",
        "title": "Estates backlog",
        "cause": "Old buildings.",
        "event": "A ward closes.",
        "effect": "Fewer beds.",
        "objective": "Safe buildings",
        "domain": domain("Safety").pk,
        "owner": world.member.pk,
        "overseen_by": "Partnership board",
        "likelihood": 3,
        "consequence": 4,
        "target_likelihood": 2,
        "target_consequence": 2,
    }


WRITES = [
    ("post", lambda t: "/api/v1/risks/", _raise_body, CONTRIBUTORS),
    ("patch", lambda t: f"/api/v1/risks/{t['risk'].pk}/", lambda w, t: {"title": "Renamed"}, STEWARDS),
    ("post", lambda t: f"/api/v1/risks/{t['risk'].pk}/close/", lambda w, t: {"reason": "Gone"}, STEWARDS),
    (
        "post",
        lambda t: "/api/v1/risk-reviews/",
        lambda w, t: {"risk": t["risk"].pk, "likelihood": 4, "consequence": 4, "note": "Worse"},
        STEWARDS,
    ),
    (
        "post",
        lambda t: "/api/v1/risk-appetites/",
        lambda w, t: {"partnership": "QZZ", "domain": t["domain"].pk, "level": "minimal", "tolerance": 8},
        {"lead"},
    ),
    ("patch", lambda t: f"/api/v1/risk-appetites/{t['appetite'].pk}/", lambda w, t: {"tolerance": 12}, {"lead"}),
    ("post", lambda t: "/api/v1/risk-domains/", lambda w, t: {"partnership": "QZZ", "name": "Climate"}, {"lead"}),
    ("patch", lambda t: "/api/v1/risk-settings/QZZ/", lambda w, t: {"escalation_score": 12}, {"lead"}),
    (
        "post",
        lambda t: f"/api/v1/decisions/{t['decision'].pk}/dismiss-review/",
        lambda w, t: {"reason": "It stands."},
        {"lead"},
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_risk_write_is_made_only_by_the_roles_allowed_to_make_it(world, things, persona):
    client = api_as(world, persona)
    failures = []
    for method, path, body, allowed in WRITES:
        url = path(things)
        with transaction.atomic():
            before = counts()
            response = getattr(client, method)(url, body(world, things), format="json")
            if response.status_code >= 400 and counts() != before:
                failures.append(f"{method} {url}: refused with {response.status_code} but wrote rows")
            if response.status_code < 400 and counts() == before:
                failures.append(f"{method} {url}: answered {response.status_code} but wrote nothing")
            transaction.set_rollback(True)
        if persona == "anonymous":
            wanted = {401}
        elif persona == "outsider":
            wanted = {404, 400}  # 404 for what it names in the path; an id in the body it cannot see is refused
        elif persona in allowed:
            wanted = {200, 201}
        else:
            wanted = {403}
        if response.status_code not in wanted:
            failures.append(f"{method} {url}: {response.status_code} {response.content[:200]}")
    assert failures == []


def test_a_risk_raised_through_the_api_has_its_reference_scores_and_history(world, things):
    response = api_as(world, "ned").post("/api/v1/risks/", _raise_body(world, things), format="json")
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["reference"] == "QZZ-R-003" and answer["current_score"] == 12 and answer["band"] == "high"
    assert answer["trend"] == "steady" and answer["is_escalated"] is False and answer["owner"]["id"] == world.member.pk
    assert RiskScoreChange.objects.filter(risk_id=answer["id"]).count() == 1


def test_a_review_through_the_api_rescores_the_risk_and_flags_its_decision(world, things):
    decision = things["decision"]
    ReviewSuggestion.objects.filter(decision=decision).delete()
    client = api_as(world, "member")
    body = {"risk": things["risk"].pk, "likelihood": 5, "consequence": 3, "note": "Contractor failed."}
    response = client.post("/api/v1/risk-reviews/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["score"] == 15 and response.json()["previous_score"] == 6
    risk = client.get(f"/api/v1/risks/{things['risk'].pk}/").json()
    assert risk["current_score"] == 15 and risk["band"] == "extreme" and risk["is_escalated"] is True
    assert risk["above_appetite"] is True and risk["tolerance"] == 8 and risk["trend"] == "rising"
    decision = with_review_suggestion(Decision.objects.filter(pk=decision.pk)).get()
    assert decision.is_review_suggested and "rose from 6 to 15" in decision.review_suggested_reason
    escalated = client.get("/api/v1/risks/?is_escalated=true").json()
    assert [row["reference"] for row in escalated["results"]] == [things["risk"].reference]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"likelihood": 0}, "likelihood", "from 1 (rare) to 5 (almost certain)"),
        ({"likelihood": 6}, "likelihood", "from 1 (rare) to 5 (almost certain)"),
        ({"likelihood": "three"}, "likelihood", "from 1 (rare) to 5 (almost certain)"),
        ({"likelihood": 2.5}, "likelihood", "from 1 (rare) to 5 (almost certain)"),
        ({"likelihood": None}, "likelihood", "from 1 (rare) to 5 (almost certain)"),
        ({"likelihood": "missing"}, "likelihood", "from 1 (rare) to 5 (almost certain)"),
        ({"consequence": 0}, "consequence", "from 1 (negligible) to 5 (catastrophic)"),
        ({"consequence": 6}, "consequence", "from 1 (negligible) to 5 (catastrophic)"),
        ({"consequence": "major"}, "consequence", "from 1 (negligible) to 5 (catastrophic)"),
        ({"consequence": "missing"}, "consequence", "from 1 (negligible) to 5 (catastrophic)"),
        ({"target_likelihood": 9}, "target_likelihood", "target likelihood must be a whole number"),
        ({"target_likelihood": 5, "target_consequence": 5}, "target_likelihood", "cannot be higher than the score now"),
        ({"title": "<script>alert(1)</script>"}, "title", ""),
        ({"title": "x" * 201}, "title", "200 characters"),
        ({"domain": 999999}, "domain", "There is no record with id"),
        ({"owner": "me"}, "owner", "Enter an id"),
        ({"tier": "workstream"}, "workstream", "Choose the work-stream whose risk it is."),
        ({"colour": "red"}, "colour", "This field cannot be set here."),
    ],
)
def test_a_bad_risk_through_the_api_gets_a_400_naming_the_field_and_writes_nothing(
    world, things, change, field, message
):
    body = _raise_body(world, things)
    body.update(change)
    body = {name: value for name, value in body.items() if value != "missing"}
    before = counts()
    response = api_as(world, "member").post("/api/v1/risks/", body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"likelihood": 0}, "likelihood", "from 1 (rare) to 5 (almost certain)"),
        ({"likelihood": 6}, "likelihood", "from 1 (rare) to 5 (almost certain)"),
        ({"likelihood": "three"}, "likelihood", "from 1 (rare) to 5 (almost certain)"),
        ({"likelihood": "missing"}, "likelihood", "from 1 (rare) to 5 (almost certain)"),
        ({"consequence": 6}, "consequence", "from 1 (negligible) to 5 (catastrophic)"),
        ({"note": ""}, "note", "Say what the review found."),
        ({"reviewed_on": "2999-01-01"}, "reviewed_on", "cannot be in the future"),
        ({"reviewed_on": "2001-01-01"}, "reviewed_on", "cannot be before"),
        ({"next_review_on": "2001-01-01"}, "next_review_on", "must be after this one"),
        ({"risk": 999999}, "risk", "There is no record with id"),
    ],
)
def test_a_bad_review_through_the_api_gets_a_400_and_writes_nothing(world, things, change, field, message):
    body = {"risk": things["risk"].pk, "likelihood": 4, "consequence": 4, "note": "Worse", **change}
    body = {name: value for name, value in body.items() if value != "missing"}
    before = counts()
    response = api_as(world, "member").post("/api/v1/risk-reviews/", body, format="json")
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field]), response.json()
    assert counts() == before


def test_another_partnerships_action_or_decision_cannot_be_linked(world, things):
    from tests.factories import UserFactory, grant
    from workstreams.models import Action, WorkStream

    elsewhere = WorkStream.objects.create(partnership=world.other_partnership, name="Other", purpose="Other")
    stranger_action = Action.objects.create(
        partnership=world.other_partnership,
        workstream=elsewhere,
        description="Theirs",
        owner=world.outsider,
        due_on=timezone.localdate(),
    )
    both = UserFactory(username="both")
    grant(both, world.partnership, "member")
    grant(both, world.other_partnership, "member")
    client = api_as(world, "member")
    client.force_authenticate(both)
    before = counts()
    response = client.patch(f"/api/v1/risks/{things['risk'].pk}/", {"actions": [stranger_action.pk]}, format="json")
    assert response.status_code == 403  # `both` may see the action, but does not own the risk
    response = api_as(world, "member").patch(
        f"/api/v1/risks/{things['risk'].pk}/", {"actions": [stranger_action.pk]}, format="json"
    )
    assert response.status_code == 400 and "There is no record with id" in response.json()["actions"][0]
    grant(world.member, world.other_partnership, "viewer")  # now member can see it: the service refuses it
    response = api_as(world, "member").patch(
        f"/api/v1/risks/{things['risk'].pk}/", {"actions": [stranger_action.pk]}, format="json"
    )
    assert response.status_code == 400 and "this partnership" in response.json()["actions"][0]
    assert counts() == before


def test_appetite_is_created_then_changed_through_the_api(world, things):
    client = api_as(world, "lead")
    body = {"partnership": "QZZ", "domain": things["domain"].pk, "level": "minimal", "tolerance": 8}
    assert client.post("/api/v1/risk-appetites/", body, format="json").status_code == 201
    response = client.post("/api/v1/risk-appetites/", {**body, "tolerance": 6}, format="json")
    assert response.status_code == 200 and response.json()["tolerance"] == 6
    assert RiskAppetite.objects.filter(partnership=world.partnership, domain=things["domain"]).count() == 1
    for tolerance in (0, 26, "high"):
        response = client.post("/api/v1/risk-appetites/", {**body, "tolerance": tolerance}, format="json")
        assert response.status_code == 400 and "from 1 to 25" in response.json()["tolerance"][0]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"moderate_max": 3}, "moderate_max", "must end above the low band"),
        ({"high_max": 25}, "high_max", "so that 25 is extreme"),
        ({"low_max": 6, "moderate_max": 7}, "moderate_max", "No risk can score from 7 to 7"),
        ({"escalation_score": 30}, "escalation_score", "less than or equal to 25"),
    ],
)
def test_bad_bands_through_the_api_get_a_400_and_change_nothing(world, things, body, field, message):
    response = api_as(world, "lead").patch("/api/v1/risk-settings/QZZ/", body, format="json")
    assert response.status_code == 400 and message in " ".join(response.json()[field]), response.json()
    settings = RiskSettings.objects.get(partnership=world.partnership)
    assert (settings.low_max, settings.moderate_max, settings.high_max, settings.escalation_score) == (3, 6, 12, 15)


def test_the_settings_answer_gives_the_bands_as_scores_the_matrix_can_give(world, things):
    api_as(world, "lead").patch("/api/v1/risk-settings/QZZ/", {"low_max": 4, "high_max": 14}, format="json")
    answer = api_as(world, "viewer").get("/api/v1/risk-settings/QZZ/").json()
    assert answer["bands"] == [
        {"band": "low", "lowest": 1, "highest": 4},
        {"band": "moderate", "lowest": 5, "highest": 6},
        {"band": "high", "lowest": 8, "highest": 12},
        {"band": "extreme", "lowest": 15, "highest": 25},
    ]


def test_the_lead_dismisses_a_suggested_review_through_the_api(world, things):
    decision = things["decision"]
    client = api_as(world, "lead")
    response = client.post(f"/api/v1/decisions/{decision.pk}/dismiss-review/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "Say why" in response.json()["reason"][0]
    response = client.post(
        f"/api/v1/decisions/{decision.pk}/dismiss-review/", {"reason": "It stands", "extra": 1}, format="json"
    )
    assert response.status_code == 400 and "extra" in response.json()
    response = client.post(f"/api/v1/decisions/{decision.pk}/dismiss-review/", {"reason": "It stands"}, format="json")
    assert response.status_code == 200 and response.json()["review_suggested"] is False
    assert (response.json()["review_suggested_at"], response.json()["review_suggested_reason"]) == (None, "")


def test_the_decisions_api_shows_a_suggested_review_and_its_reason_until_it_is_dismissed(world, things):
    decision = things["decision"]
    shown = api_as(world, "viewer").get(f"/api/v1/decisions/{decision.pk}/").json()
    assert shown["is_review_suggested"] is True
    assert "Flags its decision" in shown["review_suggested_reason"]
    api_as(world, "lead").post(
        f"/api/v1/decisions/{decision.pk}/dismiss-review/", {"reason": "It stands"}, format="json"
    )
    assert api_as(world, "viewer").get(f"/api/v1/decisions/{decision.pk}/").json()["is_review_suggested"] is False
