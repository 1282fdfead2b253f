"""The permission matrix of every risk page: anonymous → sign-in, outsider → 404, a role that may not act → 403,
the roles that may → 200 (pages) or 302 (a change made, and nothing written when refused)."""

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent
from governance.models import Risk, RiskAppetite, RiskDomain, RiskReview, RiskSettings
from governance.services.risks import risk_raise
from tests.fixtures import PERSONAS, client_for

from .risk_support import domain, raise_risk, review, set_appetite, workstream_with_lead
from .support import approved

ALL = [persona for persona in PERSONAS if persona not in ("anonymous", "outsider")]
CONTRIBUTORS = {"member", "ned", "board", "lead"}
STEWARDS = {"member", "lead"}  # `member` owns the risk; the lead may change any
LEAD = {"lead"}


@pytest.fixture
def things(world):
    set_appetite(world, "Finance", tolerance=8)
    decision = approved(world, title="Approved decision")
    risk = raise_risk(world, likelihood=2, consequence=3, decisions=[decision])
    review(world, risk, 3, 3)  # 9, above the tolerance of 8: the decision's review is suggested
    return {"risk": risk, "decision": decision, "domain": domain("Quality")}


PAGES = [
    (lambda t: "/partnerships/QZZ/risks/", ALL),
    (lambda t: "/partnerships/QZZ/risks/?band=high&above_appetite=yes&tier=partnership&status=all&page=2", ALL),
    (lambda t: "/partnerships/QZZ/risks/export.csv", ALL),
    (lambda t: "/partnerships/QZZ/risks/heat-map/", ALL),
    (lambda t: "/partnerships/QZZ/risks/escalated/", ALL),
    (lambda t: "/partnerships/QZZ/risks/new/", CONTRIBUTORS),
    (lambda t: f"/risks/{t['risk'].pk}/", ALL),
    (lambda t: f"/risks/{t['risk'].pk}/edit/", STEWARDS),
    (lambda t: f"/risks/{t['risk'].pk}/review/", STEWARDS),
    (lambda t: f"/risks/{t['risk'].pk}/close/", STEWARDS),
    (lambda t: "/partnerships/QZZ/risk-appetite/", ALL),
    (lambda t: f"/partnerships/QZZ/risk-appetite/{t['domain'].pk}/", LEAD),
    (lambda t: "/partnerships/QZZ/risk-domains/new/", LEAD),
    (lambda t: "/partnerships/QZZ/risk-settings/", LEAD),
    (lambda t: f"/decisions/{t['decision'].pk}/dismiss-review/", LEAD),
]


def expected_status(persona: str, allowed, *, success: int) -> int:
    if persona == "anonymous":
        return 302
    if persona == "outsider":
        return 404
    return success if persona in allowed else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_risk_page_answers_each_persona_as_the_access_model_says(world, things, client, persona):
    client = client_for(client, world, persona)
    failures = []
    for path, allowed in PAGES:
        url = path(things)
        response = client.get(url)
        wanted = expected_status(persona, allowed, success=200)
        if response.status_code != wanted:
            failures.append(f"{url}: {response.status_code}, wanted {wanted}")
        elif persona == "anonymous" and not response["Location"].startswith("/sign-in/"):
            failures.append(f"{url}: redirected to {response['Location']}")
    assert failures == []


def _raise(world, t):
    return {
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


def _edit(world, t):
    return {
        **_raise(world, t),
        "title": "Changed title",
        "next_review_on": t["risk"].next_review_on.isoformat(),
        "reason": "Clearer",
    }


WRITES = [
    (lambda t: "/partnerships/QZZ/risks/new/", _raise, CONTRIBUTORS),
    (lambda t: f"/risks/{t['risk'].pk}/edit/", _edit, STEWARDS),
    (
        lambda t: f"/risks/{t['risk'].pk}/review/",
        lambda w, t: {
            "reviewed_on": timezone.localdate().isoformat(),
            "likelihood": 4,
            "consequence": 4,
            "note": "Worse.",
        },
        STEWARDS,
    ),
    (lambda t: f"/risks/{t['risk'].pk}/close/", lambda w, t: {"reason": "Gone."}, STEWARDS),
    (
        lambda t: f"/partnerships/QZZ/risk-appetite/{t['domain'].pk}/",
        lambda w, t: {"level": "minimal", "tolerance": 8, "statement": "Little."},
        LEAD,
    ),
    (lambda t: "/partnerships/QZZ/risk-domains/new/", lambda w, t: {"name": "Climate"}, LEAD),
    (
        lambda t: "/partnerships/QZZ/risk-settings/",
        lambda w, t: {"low_max": 4, "moderate_max": 8, "high_max": 16, "escalation_score": 16},
        LEAD,
    ),
    (lambda t: f"/decisions/{t['decision'].pk}/dismiss-review/", lambda w, t: {"reason": "It stands."}, LEAD),
]


def counts():
    return [m.objects.count() for m in (Risk, RiskReview, RiskAppetite, RiskDomain, RiskSettings, AuditEvent)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_risk_form_makes_its_change_only_for_the_roles_allowed(world, things, client, persona):
    client = client_for(client, world, persona)
    failures = []
    for path, data, allowed in WRITES:
        url = path(things)
        with transaction.atomic():
            before = counts()
            response = client.post(url, data(world, things))
            wanted = expected_status(persona, allowed, success=302)
            if response.status_code != wanted:
                failures.append(f"POST {url}: {response.status_code}, wanted {wanted}")
            made = persona in allowed
            if not made and counts() != before:
                failures.append(f"POST {url}: refused but wrote rows")
            if made and counts() == before:
                failures.append(f"POST {url}: accepted but wrote nothing")
            transaction.set_rollback(True)
    assert failures == []


def test_the_work_stream_group_reviews_its_own_risks_and_no_one_elses(world, client):
    workstream, group_lead = workstream_with_lead(world)
    risk = risk_raise(
        actor=world.ned,
        partnership=world.partnership,
        title="Podiatry waits",
        cause="Too few podiatrists.",
        event="Foot ulcers are not seen in time.",
        effect="Amputations.",
        domain=domain("Safety"),
        owner=world.ned,
        overseen_by="Diabetes group",
        objective="Fewer amputations",
        likelihood=3,
        consequence=4,
        target_likelihood=2,
        target_consequence=2,
        tier="workstream",
        workstream=workstream,
    )
    partnership_risk = raise_risk(world, owner=world.ned, actor=world.ned, title="Not the group's")
    client.force_login(group_lead)
    assert client.get(f"/risks/{risk.pk}/review/").status_code == 200
    assert client.get(f"/risks/{partnership_risk.pk}/review/").status_code == 403
    data = {"reviewed_on": timezone.localdate().isoformat(), "likelihood": 4, "consequence": 4, "note": "Waits up."}
    assert client.post(f"/risks/{risk.pk}/review/", data).status_code == 302
    assert RiskReview.objects.get(risk=risk).reviewer == group_lead
    for persona in ("member", "board", "viewer"):
        client.force_login(getattr(world, persona))
        assert client.post(f"/risks/{risk.pk}/review/", data).status_code == 403, persona
    assert RiskReview.objects.filter(risk=risk).count() == 1


def test_the_partnership_overview_links_to_the_register_and_the_heat_map(world, client):
    from tests.html import parse

    page = client_for(client, world, "viewer").get("/partnerships/QZZ/")
    links = {a.get_text(strip=True): a["href"] for a in parse(page).select("nav[aria-labelledby=partnership-work] a")}
    assert links["Risk register"] == "/partnerships/QZZ/risks/"
    assert links["Risk heat map"] == "/partnerships/QZZ/risks/heat-map/"
