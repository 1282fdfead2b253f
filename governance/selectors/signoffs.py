"""My sign-offs: the decisions in sign-off, across all my partnerships, that I may sign for my organisation."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from partnerships.models import Delegation, Organisation, PartnershipRole

from ..access import CONFIDENTIAL_ROLES
from ..models import Decision, DecisionDeclaration, Position, Ratification, SignOff, Visibility
from .validity import OrganisationState, counted_delegations, validity_for


@dataclass
class MySignOff:
    decision: Decision
    organisation: object
    vote: SignOff | None  # the organisation's current vote, by me or a colleague
    ratified: bool
    recused: bool

    @property
    def awaits_me(self) -> bool:
        return self.vote is None and not self.ratified and not self.recused


def _covering(delegations: list[Delegation], decision: Decision, bound: set, day) -> Delegation | None:
    return next(
        (
            d
            for d in delegations
            if (decision.pk, d.organisation_id) in bound
            and d.covers(category=decision.category, value=decision.value_pounds, day=day)
        ),
        None,
    )


def my_signoffs(user) -> list[MySignOff]:
    """Each open decision I may sign, with my organisation's standing on it. Nine queries at most, however many."""
    day = timezone.localdate()
    roles: dict[int, set[str]] = defaultdict(set)
    represents: dict[int, int | None] = {}  # the organisation I act for in each partnership (my affiliation)
    for partnership_id, codename, organisation_id in PartnershipRole.objects.filter(user=user).values_list(
        "content_object_id", "permission__codename", "organisation_id"
    ):
        roles[partnership_id].add(codename)
        represents[partnership_id] = organisation_id
    if not roles:
        return []
    for_my_organisation = Q(pk__in=[])
    for partnership_id, organisation_id in represents.items():
        if organisation_id is not None:
            for_my_organisation |= Q(partnership_id=partnership_id, organisation_id=organisation_id)
    delegations = [
        delegation
        for delegation in Delegation.objects.in_force(day)
        .filter(partnership_id__in=roles)
        .filter(Q(delegate=user) | (Q(delegate__isnull=True) & for_my_organisation))
        .select_related("organisation")
        if delegation.delegate_id == user.pk or delegation.delegate_role in roles[delegation.partnership_id]
    ]
    delegations = counted_delegations(delegations)  # confirmed first, so that I sign under one where I can
    if not delegations:
        return []
    possible = Q()
    for delegation in delegations:
        condition = Q(
            partnership_id=delegation.partnership_id,
            category__in=delegation.categories,
            bound_organisations=delegation.organisation_id,
        )
        if delegation.limit_pounds is not None:
            condition &= Q(value_pounds__isnull=True) | Q(value_pounds__lte=delegation.limit_pounds)
        possible |= condition
    decisions = list(
        Decision.objects.awaiting_signoff()
        .filter(possible)
        .distinct()
        .select_related("partnership", "current_round")
        .order_by("current_round__closes_at", "pk")
    )
    rounds = [decision.current_round_id for decision in decisions]
    bound = set(
        Decision.bound_organisations.through.objects.filter(
            decision_id__in=[decision.pk for decision in decisions],
            organisation_id__in={delegation.organisation_id for delegation in delegations},
        ).values_list("decision_id", "organisation_id")
    )
    votes = {
        (vote.round_id, vote.organisation_id): vote
        for vote in SignOff.objects.current().filter(round_id__in=rounds).select_related("signatory")
    }
    ratified = set(Ratification.objects.filter(round_id__in=rounds).values_list("round_id", "organisation_id"))
    conflicts = set(
        DecisionDeclaration.objects.filter(person=user, decision__in=decisions, position=Position.CONFLICT).values_list(
            "decision_id", flat=True
        )
    )
    by_partnership: dict[int, list[Delegation]] = defaultdict(list)
    for delegation in delegations:
        by_partnership[delegation.partnership_id].append(delegation)
    found = []
    for decision in decisions:
        if decision.visibility == Visibility.CONFIDENTIAL and not (
            roles[decision.partnership_id] & CONFIDENTIAL_ROLES or decision.proposer_id == user.pk
        ):
            continue
        delegation = _covering(by_partnership[decision.partnership_id], decision, bound, day)
        if delegation is None:
            continue
        key = (decision.current_round_id, delegation.organisation_id)
        found.append(
            MySignOff(
                decision=decision,
                organisation=delegation.organisation,
                vote=votes.get(key),
                ratified=key in ratified,
                recused=decision.pk in conflicts,
            )
        )
    return found


def declaration_of(decision: Decision, person) -> DecisionDeclaration | None:
    """What the person declared on the decision, if anything: the sign-off and declaration forms start from it."""
    return DecisionDeclaration.objects.filter(decision=decision, person=person).first()


def organisations_to_ratify(decision: Decision):
    """The bound organisations whose own board must ratify the decision (no delegate could sign, or none did), by
    name: the lead's choice when recording a ratification."""
    waiting = [
        row.organisation.pk
        for row in validity_for(decision).rows
        if row.state in (OrganisationState.AWAITING_BOARD, OrganisationState.DID_NOT_SIGN)
    ]
    return Organisation.objects.filter(pk__in=waiting).order_by("name")
