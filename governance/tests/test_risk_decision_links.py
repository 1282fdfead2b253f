"""Linking a risk to a decision lets the risk flag the decision "review suggested" when it rises above tolerance, so
it takes the right to change the risk and the right to read the decision; and the flag names who linked them. The
pages and the API answer the same: a decision the user may not read is one that does not exist."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from governance.models import RiskDecisionLink, Visibility
from partnerships.tests.api_client import api_as
from tests.fixtures import PERSONAS, client_for
from tests.html import error_summary, parse, text

from .risk_support import domain, raise_risk, review, set_appetite
from .support import approved

SECRET_TITLE = "Sale of the Riverside site to Acme Health"


@pytest.fixture
def decisions(world):
    """An approved public decision and an approved confidential one proposed by a board member, and a finance risk
    the member owns (tolerance 8, scoring 6), linked to neither."""
    set_appetite(world, "Finance", tolerance=8)
    public = approved(world, actor=world.board, title="Community diabetes hub")
    secret = approved(
        world,
        actor=world.board,
        title=SECRET_TITLE,
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Commercial negotiation under way.",
        confidential_review_on=timezone.localdate() + timedelta(days=90),
    )
    risk = raise_risk(world, likelihood=2, consequence=3)
    return {"public": public, "secret": secret, "risk": risk}


def edit_form(world, risk, *decisions) -> dict:
    return {
        "title": risk.title,
        "cause": risk.cause,
        "event": risk.event,
        "effect": risk.effect,
        "objective": risk.objective,
        "domain": risk.domain_id,
        "source": risk.source,
        "tier": risk.tier,
        "owner": risk.owner_id,
        "overseen_by": risk.overseen_by,
        "target_likelihood": risk.target_likelihood,
        "target_consequence": risk.target_consequence,
        "review_every": risk.review_every,
        "next_review_on": risk.next_review_on.isoformat(),
        "decisions": [decision.pk for decision in decisions],
        "reason": "Linked",
    }


def writes() -> tuple[int, int]:
    return RiskDecisionLink.objects.count(), AuditEvent.objects.count()


def test_a_member_cannot_link_their_risk_to_a_confidential_decision_they_cannot_read_on_the_page(
    world, client, decisions
):
    risk, secret = decisions["risk"], decisions["secret"]
    client = client_for(client, world, "member")
    form = parse(client.get(f"/risks/{risk.pk}/edit/"))
    assert form.select_one(f'input[name="decisions"][value="{secret.pk}"]') is None
    assert form.select_one(f'input[name="decisions"][value="{decisions["public"].pk}"]') is not None
    before = writes()
    response = client.post(f"/risks/{risk.pk}/edit/", edit_form(world, risk, secret))
    assert response.status_code == 400
    assert "Choose decisions from the list" in [message for message, _link in error_summary(response)]
    assert SECRET_TITLE not in text(response)
    assert writes() == before


def test_a_member_cannot_link_their_risk_to_a_confidential_decision_through_the_api(world, decisions):
    risk, secret = decisions["risk"], decisions["secret"]
    client = api_as(world, "member")
    before = writes()
    response = client.patch(f"/api/v1/risks/{risk.pk}/", {"decisions": [secret.pk]}, format="json")
    missing = client.patch(f"/api/v1/risks/{risk.pk}/", {"decisions": [999999]}, format="json")
    assert (response.status_code, missing.status_code) == (400, 400)
    assert response.json()["decisions"] == [f'There is no record with id "{secret.pk}" that you can use here.']
    assert missing.json()["decisions"] == ['There is no record with id "999999" that you can use here.']
    assert writes() == before
    raised = client.post(
        "/api/v1/risks/",
        {
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
            "consequence": 3,
            "target_likelihood": 1,
            "target_consequence": 1,
            "decisions": [secret.pk],
        },
        format="json",
    )
    assert raised.status_code == 400 and "decisions" in raised.json()
    assert writes() == before


def test_raising_a_risk_for_someone_else_links_no_decision(world, decisions):
    """A member may raise a risk another person owns, but not link it: linking takes the right to change the risk."""
    client = api_as(world, "member")
    before = writes()
    response = client.post(
        "/api/v1/risks/",
        {
            "partnership": "QZZ",
            "title": "Estates backlog",
            "cause": "Old buildings.",
            "event": "A ward closes.",
            "effect": "Fewer beds.",
            "objective": "Safe buildings",
            "domain": domain("Safety").pk,
            "owner": world.ned.pk,
            "overseen_by": "Partnership board",
            "likelihood": 3,
            "consequence": 3,
            "target_likelihood": 1,
            "target_consequence": 1,
            "decisions": [decisions["public"].pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["decisions"] == [
        "Only the risk's owner, its work-stream's group and the partnership lead can link it to decisions."
    ]
    assert writes() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_linking_a_risk_to_a_decision_answers_each_persona_as_the_access_model_says(world, client, decisions, persona):
    """The risk is the member's: the member and the lead link it; every other role may not change it."""
    risk, public = decisions["risk"], decisions["public"]
    before = writes()
    response = client_for(client, world, persona).post(f"/risks/{risk.pk}/edit/", edit_form(world, risk, public))
    wanted = {"anonymous": 302, "outsider": 404, "member": 302, "lead": 302}.get(persona, 403)
    assert response.status_code == wanted
    linked = RiskDecisionLink.objects.filter(risk=risk, decision=public).first()
    if persona in ("member", "lead"):
        assert linked is not None and linked.linked_by == getattr(world, persona)
    else:
        assert linked is None and writes() == before


def test_a_decision_a_linked_risk_flags_names_who_linked_it(world, client, decisions):
    risk, public = decisions["risk"], decisions["public"]
    response = client_for(client, world, "member").post(f"/risks/{risk.pk}/edit/", edit_form(world, risk, public))
    assert response.status_code == 302
    review(world, risk, 3, 3, actor=world.member, note="Vacancies up.")  # 9, above the tolerance of 8
    page = client_for(client, world, "viewer").get(public.get_absolute_url())
    flag = text(page, "#review-suggested")
    assert f"Review suggested by {world.member.display_name}, who linked {risk.reference} to this decision." in flag
    assert parse(page).select_one("#review-suggested-by a")["href"] == risk.get_absolute_url()


def test_a_member_keeps_a_confidential_link_the_lead_made_when_changing_their_risk(world, client, decisions):
    """Only a decision newly linked must be readable: the member's change keeps the lead's link, unread."""
    risk, public, secret = decisions["risk"], decisions["public"], decisions["secret"]
    api_as(world, "lead").patch(f"/api/v1/risks/{risk.pk}/", {"decisions": [secret.pk]}, format="json")
    response = api_as(world, "member").patch(
        f"/api/v1/risks/{risk.pk}/", {"decisions": [secret.pk, public.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    links = {link.decision_id: link.linked_by for link in RiskDecisionLink.objects.filter(risk=risk)}
    assert links == {secret.pk: world.lead, public.pk: world.member}
