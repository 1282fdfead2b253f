"""One rule, one place: the governance pages offer a step exactly when its service would accept it.

For every role and every stage of a decision (and an open or closed risk), the page is read as that person — the
links it shows — and each step's service is called as them inside a savepoint that is rolled back. The two answers
must agree: the page asks `can_<step>` in `governance/access.py`, the service `authorize_<step>` built on it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import (
    Decision,
    DecisionDeclaration,
    DecisionStatus,
    Position,
    RatificationOutcome,
    Risk,
    Visibility,
    Vote,
)
from governance.services import risk_register, risk_reviews, risks
from partnerships.models import DecisionCategory
from tests.fixtures import PERSONAS, client_for
from tests.rules import accepts, disagreements, links_on

from .risk_support import domain, raise_risk, review, set_appetite
from .support import held_board_meeting, more_members, propose, sign, signatories

ROLES = [persona for persona in PERSONAS if persona != "anonymous"]
TODAY = timezone.localdate()


class Scene:
    """A decision at one stage of its life, with what its steps need: an organisation whose own board must ratify
    it, a challenge to answer, a later approved decision to supersede it, a past board meeting and a rising risk."""

    def __init__(self, world, status: str):
        self.world = world
        signatories(world)
        ((self.partner, _),) = more_members(world, 1, signed=False)  # no delegate: its own board ratifies
        self.meeting = held_board_meeting(world, days_from_now=-1)
        self.later = None
        self.challenge = None
        self.decision = self.at(status)
        self.withdrawal = self.conflicts() if self.decision.is_undecided else None

    def conflicts(self):
        """While declarations are open: the lead has declared a conflict, and ned asks for hers to be withdrawn."""
        conflict = {"position": Position.CONFLICT, "kind": "financial", "description": "Shares in a bidder."}
        services.decision_declare(actor=self.world.lead, decision=self.decision, **conflict)
        declaration = services.decision_declare(actor=self.world.ned, decision=self.decision, **conflict)
        return services.declaration_withdrawal_request(
            actor=self.world.ned, declaration=declaration, reason="I sold the shares last week."
        )

    def proposed(self, title: str) -> Decision:
        decision = propose(self.world, title=title)
        reason = "The contract lapses before the next board meeting."
        return services.decision_update(actor=self.world.lead, decision=decision, is_urgent=True, urgent_reason=reason)

    def challenged(self, title: str) -> Decision:
        decision = services.decision_open_for_challenge(actor=self.world.member, decision=self.proposed(title))
        if self.challenge is None:
            self.challenge = services.challenge_raise(actor=self.world.ned, decision=decision, text="Why now?")
        return decision

    def in_signoff(self, title: str) -> Decision:
        return services.decision_open_signoff(actor=self.world.lead, decision=self.challenged(title))

    def decided(self, title: str, vote: str = Vote.APPROVE) -> Decision:
        decision = self.in_signoff(title)
        sign(self.world.board, decision, vote)
        sign(self.world.council_director, decision)
        services.ratification_record(
            actor=self.world.lead,
            decision=decision,
            organisation=self.partner,
            body="Its trust board",
            ratified_on=TODAY,
            outcome=RatificationOutcome.RATIFIED,
        )
        Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - timedelta(days=5))
        return Decision.objects.get(pk=decision.pk)

    def at(self, status: str) -> Decision:
        title = "Shared community diabetes service"
        if status == DecisionStatus.DRAFT:
            return self.proposed(title)
        if status == DecisionStatus.OPEN_FOR_CHALLENGE:
            return self.challenged(title)
        if status == DecisionStatus.IN_SIGNOFF:
            return self.in_signoff(title)
        if status == DecisionStatus.DEFERRED:
            return services.decision_defer(actor=self.world.lead, decision=self.challenged(title), reason="Budget.")
        if status == DecisionStatus.WITHDRAWN:
            return services.decision_withdraw(actor=self.world.member, decision=self.challenged(title), reason="Done.")
        if status == DecisionStatus.REJECTED:
            return self.decided(title, Vote.REJECT)
        decision = self.decided(title)
        set_appetite(self.world, "Finance", tolerance=8)
        review(self.world, raise_risk(self.world, likelihood=2, consequence=3, decisions=[decision]), 3, 3)
        self.later = self.decided("A later, wider diabetes service")
        if status == DecisionStatus.SUPERSEDED:
            return services.decision_supersede(
                actor=self.world.lead, decision=decision, superseded_by=self.later, reason="Widened."
            )
        return decision


def steps(scene: Scene, actor, decision: Decision) -> dict[str, tuple[str, callable, dict]]:
    """Each step on a decision's page: the path its link leads to, its service, and a valid request to it."""
    reason = {"reason": "Circumstances have changed."}
    on = {"actor": actor, "decision": decision}
    respond = reverse("governance:challenge_respond", args=[scene.challenge.pk]) if scene.challenge else None
    own = DecisionDeclaration.objects.filter(decision=decision, person=actor).first()
    conflict = own is not None and own.is_conflict
    declare = {"position": Position.NO_INTEREST}
    if conflict:  # a conflict stays until the lead confirms its withdrawal: what they may change is what they said
        declare = {"position": Position.CONFLICT, "kind": "financial", "description": "Shares in a bidder, now 2%."}
    withdrawal = scene.withdrawal
    answer = {"actor": actor, "withdrawal": withdrawal, "reason": "The shares are sold."}
    asked_of = own if conflict else withdrawal and withdrawal.declaration  # no conflict on a decided decision

    def answer_path(name):
        return reverse(f"governance:{name}", args=[withdrawal.pk]) if withdrawal else None

    return {
        "edit": ("decision_update", services.decision_update, {**on, "title": "A clearer title"}),
        "open_for_challenge": ("decision_open_for_challenge", services.decision_open_for_challenge, on),
        "open_signoff": ("decision_open_signoff", services.decision_open_signoff, on),
        "sign": ("signoff_create", services.signoff_record, {**on, "vote": Vote.APPROVE, "declares_no_interest": True}),
        "declare": ("decision_declare", services.decision_declare, {**on, **declare}),
        "withdraw_conflict": (
            "declaration_withdrawal_request" if asked_of else None,
            services.declaration_withdrawal_request,
            {"actor": actor, "declaration": asked_of, "reason": "Sold."},
        ),
        "confirm_withdrawal": (
            answer_path("declaration_withdrawal_confirm"),
            services.declaration_withdrawal_confirm,
            answer,
        ),
        "decline_withdrawal": (
            answer_path("declaration_withdrawal_decline"),
            services.declaration_withdrawal_decline,
            answer,
        ),
        "challenge": ("challenge_create", services.challenge_raise, {**on, "text": "What will it cost?"}),
        "respond": (
            respond,
            services.challenge_respond,
            {"actor": actor, "challenge": scene.challenge, "response": "Less than now."},
        ),
        "ratify": (
            "ratification_create",
            services.ratification_record,
            {
                **on,
                "organisation": scene.partner,
                "body": "Its trust board",
                "ratified_on": TODAY,
                "outcome": RatificationOutcome.RATIFIED,
            },
        ),
        "reopen": ("decision_reopen", services.decision_reopen, {**on, **reason}),
        "supersede": (
            "decision_supersede",
            services.decision_supersede,
            {**on, **reason, "superseded_by": scene.later or decision},
        ),
        "defer": ("decision_defer", services.decision_defer, {**on, **reason}),
        "withdraw": ("decision_withdraw", services.decision_withdraw, {**on, **reason}),
        "extend": (
            "signoff_extend",
            services.signoff_extend,
            {**on, **reason, "closes_on": TODAY + timedelta(days=60)},
        ),
        "board_ratify": (
            "decision_ratify_at_board",
            services.decision_ratify_at_board,
            {**on, "meeting": scene.meeting},
        ),
        "publication": (
            "decision_publication",
            services.decision_publication_update,
            {
                **on,
                "visibility": Visibility.CONFIDENTIAL,
                "confidential_reason": "Commercial terms.",
                "confidential_review_on": TODAY + timedelta(days=90),
            },
        ),
        "dismiss_review": ("decision_review_dismiss", risk_reviews.decision_review_dismiss, {**on, **reason}),
    }


@pytest.mark.parametrize("status", DecisionStatus.values)
def test_the_decision_page_offers_each_step_exactly_when_its_service_would_accept(world, client, status):
    scene = Scene(world, status)
    assert scene.decision.status == status
    found = []
    for persona in ROLES:  # one scene for every role: each service call is rolled back
        actor = getattr(world, persona)
        shown = links_on(client_for(client, world, persona).get(scene.decision.get_absolute_url()))
        offered, accepted = {}, {}
        for step, (link, service, arguments) in steps(scene, actor, scene.decision).items():
            if link is None:  # a draft has no challenge to answer
                continue
            path = link if link.startswith("/") else reverse(f"governance:{link}", args=[scene.decision.pk])
            offered[step] = path in shown
            if "decision" in arguments:  # each service gets its own copy: some change the object they are given
                arguments = {**arguments, "decision": Decision.objects.get(pk=scene.decision.pk)}
            accepted[step] = accepts(service, **arguments)
        found += [f"{persona}, {line}" for line in disagreements(offered, accepted)]
    assert found == []


def test_the_rules_test_sees_a_step_the_page_offers_and_its_service_accepts(world, client):
    """The check above can fail: in sign-off, the lead is offered sign-off's extension and the service takes it."""
    scene = Scene(world, DecisionStatus.IN_SIGNOFF)
    shown = links_on(client_for(client, world, "lead").get(scene.decision.get_absolute_url()))
    link, service, arguments = steps(scene, world.lead, scene.decision)["extend"]
    assert reverse(f"governance:{link}", args=[scene.decision.pk]) in shown
    assert accepts(service, **arguments)
    assert not accepts(service, **{**arguments, "actor": world.board})


# --- The registers: no state, one rule per role -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ROLES)
def test_the_registers_offer_each_change_exactly_when_its_service_would_accept(world, client, persona):
    actor, partnership = getattr(world, persona), world.partnership
    others = services.interest_declare(
        actor=world.ned, partnership=partnership, kind="financial", description="Shares", valid_from=TODAY
    )
    client = client_for(client, world, persona)
    pages = {
        "decisions": links_on(client.get(reverse("governance:decision_list", args=["QZZ"]))),
        "interests": links_on(client.get(reverse("governance:interest_list", args=["QZZ"]))),
        "risks": links_on(client.get(reverse("governance:risk_list", args=["QZZ"]))),
        "appetite": links_on(client.get(reverse("governance:risk_appetite", args=["QZZ"]))),
    }
    finance = domain("Finance")
    changes = {
        "propose": (
            "decisions",
            reverse("governance:decision_create", args=["QZZ"]),
            services.decision_propose,
            {
                "partnership": partnership,
                "title": "Shared records",
                "case": "One record for each person.",
                "category": DecisionCategory.SERVICE_CHANGE,
            },
        ),
        "decision rule": (
            "decisions",
            reverse("governance:settings_update", args=["QZZ"]),
            services.decision_settings_update,
            {"partnership": partnership, "signoff_days": 21},
        ),
        "declare an interest": (
            "interests",
            reverse("governance:interest_create", args=["QZZ"]),
            services.interest_declare,
            {"partnership": partnership, "kind": "financial", "description": "Shares", "valid_from": TODAY},
        ),
        "change another's interest": (
            "interests",
            reverse("governance:interest_update", args=[others.pk]),
            services.interest_update,
            {"entry": others, "description": "Shares, sold in March"},
        ),
        "raise a risk": (
            "risks",
            reverse("governance:risk_create", args=["QZZ"]),
            lambda **kwargs: raise_risk(world, **kwargs),
            {"actor": actor, "owner": actor if persona in ("member", "ned", "board", "lead") else world.member},
        ),
        "set an appetite": (
            "appetite",
            reverse("governance:risk_appetite_update", args=["QZZ", finance.pk]),
            risk_register.risk_appetite_set,
            {"partnership": partnership, "domain": finance, "level": "cautious", "tolerance": 10},
        ),
        "add a domain": (
            "appetite",
            reverse("governance:risk_domain_create", args=["QZZ"]),
            risk_register.risk_domain_create,
            {"partnership": partnership, "name": "Estates"},
        ),
        "change the bands": (
            "appetite",
            reverse("governance:risk_settings_update", args=["QZZ"]),
            risk_register.risk_settings_update,
            {"partnership": partnership, "escalation_score": 16},
        ),
    }
    offered = {name: path in pages[page] for name, (page, path, _, _) in changes.items()}
    accepted = {
        name: accepts(service, **({"actor": actor} | arguments)) for name, (_, _, service, arguments) in changes.items()
    }
    assert disagreements(offered, accepted) == []


# --- A risk: open or closed -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("is_open", [True, False], ids=["open", "closed"])
def test_the_risk_page_offers_review_change_and_close_exactly_when_the_services_would_accept(world, client, is_open):
    risk = raise_risk(world, likelihood=3, consequence=3)  # owned by `member`
    if not is_open:
        risk = risks.risk_close(actor=world.lead, risk=risk, reason="Passed.")
    changes = {
        "review": ("risk_review", risk_reviews.risk_review, {"likelihood": 2, "consequence": 3, "note": "Better."}),
        "change": ("risk_update", risks.risk_update, {"title": "Community nursing and therapy vacancies"}),
        "close": ("risk_close", risks.risk_close, {"reason": "Managed by the trust now."}),
    }
    found = []
    for persona in ROLES:
        shown = links_on(client_for(client, world, persona).get(risk.get_absolute_url()))
        offered = {
            name: reverse(f"governance:{link}", args=[risk.pk]) in shown for name, (link, _, _) in changes.items()
        }
        accepted = {
            name: accepts(service, actor=getattr(world, persona), risk=Risk.objects.get(pk=risk.pk), **arguments)
            for name, (_, service, arguments) in changes.items()
        }
        found += [f"{persona}, {line}" for line in disagreements(offered, accepted)]
    assert found == []
