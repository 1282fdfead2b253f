"""Whom a partnership's decisions are waiting for, for the board digest: for every decision in sign-off at once, the
organisations that have neither signed nor had their board ratify, each either awaiting a signature (someone may sign
for it) or awaiting its own board (nobody may); and, for decisions approved in the last RATIFY_WINDOW_DAYS, the
organisations whose own board has still to ratify them.

The rule is that of `selectors.validity` — a delegation in force today covering the decision's category and value,
held by a named person who still has a role in the partnership or by anyone from the organisation holding the
delegated role; for a confidential decision only the board-level roles and the proposer; a declared conflict
recuses; an unconfirmed delegation only where the partnership counts them — applied to all the partnership's
decisions in seven queries (eight when some delegation is unconfirmed), rather than five for each decision. Who a
delegation lets sign is `validity.RoleHolders.may_sign`, the same code for one decision and for many.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from governance.models import Decision, DecisionDeclaration, DecisionStatus, Position, Ratification, SignOff
from governance.selectors.validity import RoleHolders, counted_delegations
from partnerships.models import Delegation, Organisation, Partnership, PartnershipRole

# Partners' boards usually ratify within a quarter; older approvals are the register's business, not the digest's.
RATIFY_WINDOW_DAYS = 90


@dataclass
class Outstanding:
    """One decision and the organisations it waits for."""

    decision: Decision
    awaiting_signoff: list[Organisation] = field(default_factory=list)
    awaiting_board: list[Organisation] = field(default_factory=list)
    # {organisation id: ids of the people who may sign for it}, for the organisations awaiting a signature.
    signatories: dict[int, set[int]] = field(default_factory=dict)


def outstanding_signoffs(partnership: Partnership, day: date) -> list[Outstanding]:
    """Decisions in sign-off (soonest to close first), then recently approved ones awaiting a partner's board."""
    decisions = list(
        Decision.objects.filter(partnership=partnership)
        .filter(
            Q(status=DecisionStatus.IN_SIGNOFF)
            | Q(status=DecisionStatus.APPROVED, decided_at__date__gte=day - timedelta(days=RATIFY_WINDOW_DAYS))
        )
        .select_related("current_round")
        .order_by("-status", "current_round__closes_at", "pk")  # in_signoff sorts before approved
    )
    if not decisions:
        return []
    ids = [decision.pk for decision in decisions]
    rounds = [decision.current_round_id for decision in decisions]
    bound: dict[int, list[Organisation]] = defaultdict(list)
    for row in (
        Decision.bound_organisations.through.objects.filter(decision_id__in=ids)
        .select_related("organisation")
        .order_by("organisation__name")
    ):
        bound[row.decision_id].append(row.organisation)
    answered = set(
        SignOff.objects.current().filter(round_id__in=rounds).values_list("round_id", "organisation_id")
    ) | set(Ratification.objects.filter(round_id__in=rounds).values_list("round_id", "organisation_id"))
    delegations: dict[int, list[Delegation]] = defaultdict(list)
    for delegation in counted_delegations(Delegation.objects.in_force(day).filter(partnership=partnership).order_by()):
        delegations[delegation.organisation_id].append(delegation)
    holders = _holders(partnership)
    conflicts: dict[int, set[int]] = defaultdict(set)
    for decision_id, person_id in DecisionDeclaration.objects.filter(
        decision_id__in=ids, position=Position.CONFLICT
    ).values_list("decision_id", "person_id"):
        conflicts[decision_id].add(person_id)

    found = []
    for decision in decisions:
        outstanding = Outstanding(decision)
        for organisation in bound[decision.pk]:
            if (decision.current_round_id, organisation.pk) in answered:
                continue
            people = _signatories(decision, delegations[organisation.pk], holders, day)
            if not people:
                outstanding.awaiting_board.append(organisation)
            elif people - conflicts[decision.pk] and decision.status == DecisionStatus.IN_SIGNOFF:
                outstanding.awaiting_signoff.append(organisation)
                outstanding.signatories[organisation.pk] = people - conflicts[decision.pk]
            # Everyone able to sign is recused: the organisation does not take part, so nothing is awaited from it.
        if outstanding.awaiting_signoff or outstanding.awaiting_board:
            found.append(outstanding)
    return found


def _holders(partnership: Partnership) -> RoleHolders:
    holders = RoleHolders()
    for user_id, codename, organisation_id in PartnershipRole.objects.filter(content_object=partnership).values_list(
        "user_id", "permission__codename", "organisation_id"
    ):
        holders.add(user_id, codename, organisation_id)
    return holders


def _signatories(decision: Decision, delegations: list[Delegation], holders: RoleHolders, day: date) -> set[int]:
    """The ids of the people who may sign `decision` under one organisation's `delegations`."""
    people: set[int] = set()
    for delegation in delegations:
        if delegation.covers(category=decision.category, value=decision.value_pounds, day=day):
            people |= holders.may_sign(decision, delegation)
    return people
