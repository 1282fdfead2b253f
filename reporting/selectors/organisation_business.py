"""What one organisation must sign, ratify or act on, across every partnership that lists it: the view its
administrators (the board or company secretary, the governance team) work from.

Whom a decision waits for follows `governance.selectors.validity`: a delegation in force on the signing day covering
the decision's category and value (left out while unconfirmed where the partnership does not count such
delegations), held by a named person who still has a role in the partnership or by anyone representing the
organisation there in the delegated role; for a confidential decision only the board-level roles and the proposer;
a declared conflict recuses. Who a delegation lets sign is `validity.RoleHolders.may_sign`, the same code as the
decision page and the board digest. Everything is read in a fixed number of queries, whatever the number of
partnerships and decisions.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q

from governance.access import decisions_readable_by
from governance.models import (
    Decision,
    DecisionDeclaration,
    DecisionStatus,
    Position,
    Ratification,
    Risk,
    SignOff,
)
from governance.selectors.validity import RoleHolders, Signatory, counted_delegations, signing_day
from partnerships.access import partnerships_visible_to
from partnerships.models import Delegation, Organisation, PartnershipRole
from workstreams.models import Action


@dataclass
class DecisionToSign:
    """A decision in sign-off that would bind the organisation, and the people who may sign it for the organisation."""

    decision: Decision
    signatories: list[Signatory]


@dataclass
class OrganisationBusiness:
    organisation: Organisation
    to_sign: list[DecisionToSign] = field(default_factory=list)
    # Decisions no one may sign for the organisation under its delegations (or no one did before sign-off closed):
    # its own board must ratify them.
    to_ratify: list[Decision] = field(default_factory=list)
    delegations_to_confirm: list[Delegation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    # What the reader may open: decisions they may read in full (a confidential one's title is shown only then),
    # and the partnerships they have a role in (records elsewhere are listed without a link).
    readable_decisions: set[int] = field(default_factory=set)
    visible_partnerships: set[int] = field(default_factory=set)

    def shows_title(self, decision: Decision) -> bool:
        return not decision.is_confidential or decision.pk in self.readable_decisions

    def links_to(self, record) -> bool:
        return record.partnership_id in self.visible_partnerships


def organisation_business(user, organisation: Organisation) -> OrganisationBusiness:
    """Everything awaiting the organisation, for `user` (one of its administrators or a service administrator)."""
    business = OrganisationBusiness(organisation)
    decisions = _unanswered_decisions(organisation)
    _sort_decisions(business, organisation, decisions)
    ids = [decision.pk for decision in decisions]
    business.readable_decisions = set(decisions_readable_by(user).filter(pk__in=ids).values_list("pk", flat=True))
    business.visible_partnerships = set(partnerships_visible_to(user).values_list("pk", flat=True))
    business.delegations_to_confirm = list(
        Delegation.objects.filter(organisation=organisation)
        .unconfirmed()
        .not_ended()
        .select_related("partnership", "delegate", "recorded_by")
        .order_by("partnership__name", "valid_from", "pk")
    )
    business.actions = list(
        Action.objects.open()
        .filter(owner_organisation=organisation)
        .select_related("partnership", "workstream", "owner")
        .order_by("due_on", "pk")
    )
    business.risks = list(Risk.objects.open().filter(organisation=organisation).for_lists())
    return business


def _unanswered_decisions(organisation: Organisation) -> list[Decision]:
    """Decisions in sign-off or approved that would bind, or bind, the organisation, and for which it has neither
    signed nor had its board ratify in the current round."""
    signed = SignOff.objects.current().filter(round_id=OuterRef("current_round_id"), organisation=organisation)
    ratified = Ratification.objects.filter(round_id=OuterRef("current_round_id"), organisation=organisation)
    return list(
        Decision.objects.filter(
            bound_organisations=organisation, status__in=[DecisionStatus.IN_SIGNOFF, DecisionStatus.APPROVED]
        )
        .filter(~Exists(signed), ~Exists(ratified))
        .select_related("partnership", "current_round")
        .order_by(F("current_round__closes_at").asc(nulls_last=True), "pk")
    )


def _sort_decisions(business: OrganisationBusiness, organisation: Organisation, decisions: list[Decision]) -> None:
    """Put each decision where the organisation's answer is awaited: a signature, or its own board."""
    if not decisions:
        return
    partnership_ids = {decision.partnership_id for decision in decisions}
    delegations: dict[int, list[Delegation]] = defaultdict(list)
    for delegation in counted_delegations(  # as on the decision page: those the partnership counts, confirmed first
        Delegation.objects.filter(organisation=organisation, partnership_id__in=partnership_ids).order_by(
            "-valid_from", "pk"
        )
    ):
        delegations[delegation.partnership_id].append(delegation)
    holders = _holders(organisation, partnership_ids, delegations)
    conflicts: dict[int, set[int]] = defaultdict(set)
    for decision_id, person_id in DecisionDeclaration.objects.filter(
        decision_id__in=[decision.pk for decision in decisions], position=Position.CONFLICT
    ).values_list("decision_id", "person_id"):
        conflicts[decision_id].add(person_id)

    for decision in decisions:
        day = signing_day(decision, decision.current_round)
        found: dict[int, Signatory] = {}
        for delegation in delegations[decision.partnership_id]:
            if not delegation.covers(category=decision.category, value=decision.value_pounds, day=day):
                continue
            people, partnership_holders = holders[decision.partnership_id]
            for user_id in partnership_holders.may_sign(decision, delegation):
                found.setdefault(user_id, Signatory(people[user_id], delegation))
        able = [signatory for signatory in found.values() if signatory.user.pk not in conflicts[decision.pk]]
        if not found or (able and decision.status == DecisionStatus.APPROVED):
            business.to_ratify.append(decision)  # nobody may sign for it, or nobody did before sign-off closed
        elif able:
            able.sort(key=lambda s: (s.user.last_name, s.user.first_name, s.user.pk))
            business.to_sign.append(DecisionToSign(decision, able))
        # Everyone able to sign is recused: the organisation does not take part, so nothing is awaited from it.


def _holders(organisation: Organisation, partnership_ids, delegations) -> dict[int, tuple[dict, RoleHolders]]:
    """{partnership id: (people by id, who holds which role)}: the named delegates, and those representing the
    organisation in a delegated role, in each partnership."""
    named = {d.delegate_id for found in delegations.values() for d in found if d.delegate_id}
    roles = {d.delegate_role for found in delegations.values() for d in found if d.delegate_role}
    grants = PartnershipRole.objects.filter(content_object_id__in=partnership_ids).filter(
        Q(user_id__in=named) | Q(permission__codename__in=roles, organisation=organisation)
    )
    holders: dict[int, tuple[dict, RoleHolders]] = defaultdict(lambda: ({}, RoleHolders()))
    for grant in grants.select_related("user", "permission"):
        people, partnership_holders = holders[grant.content_object_id]
        people[grant.user_id] = grant.user
        partnership_holders.add(grant.user_id, grant.permission.codename, grant.organisation_id)
    return holders
