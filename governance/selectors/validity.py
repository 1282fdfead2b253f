"""Who must sign a decision, whom it binds, and whether the partnership's rule is met.

A partnership has no legal status: a decision binds an organisation only through that organisation's own
delegated authority. For each organisation a decision would bind, the signatories are the people whose delegation
covers the decision's category and value on the day — a named delegate, or anyone from the organisation holding
the delegated partnership role. An organisation with none must take the decision to its own board.

Everything here is computed in a fixed number of queries, whatever the number of organisations.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from partnerships.models import Delegation, Organisation, PartnershipRole

from ..access import CONFIDENTIAL_ROLES
from ..models import (
    Decision,
    DecisionDeclaration,
    DecisionRule,
    DecisionStatus,
    Position,
    Ratification,
    RatificationOutcome,
    SignOff,
    SignOffRound,
    Visibility,
    Vote,
)

User = get_user_model()


@dataclass(frozen=True)
class Signatory:
    user: object
    delegation: Delegation


@dataclass
class RoleHolders:
    """People with a role in the partnership: the roles each holds, and who holds each role at each organisation.
    The one place that says who a delegation lets sign, for one decision (below) or many (the board digest)."""

    roles: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_organisation_and_role: dict[tuple[int | None, str], set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, user_id: int, codename: str, organisation_id: int | None) -> None:
        self.roles[user_id].add(codename)
        self.by_organisation_and_role[(organisation_id, codename)].add(user_id)

    def may_sign(self, decision: Decision, delegation: Delegation) -> set[int]:
        """The ids of the people `delegation` lets sign `decision` (its cover is checked by the caller)."""
        if delegation.delegate_id:  # a named delegate must still hold a role in the partnership
            candidates = {delegation.delegate_id} & self.roles.keys()
        else:  # a role-holder must represent the organisation in this partnership (their role's affiliation)
            key = (delegation.organisation_id, delegation.delegate_role)
            candidates = set(self.by_organisation_and_role.get(key, ()))
        if decision.visibility == Visibility.CONFIDENTIAL:
            # Only those who may read a confidential decision can sign it (see access.py).
            candidates = {
                user_id
                for user_id in candidates
                if self.roles[user_id] & CONFIDENTIAL_ROLES or user_id == decision.proposer_id
            }
        return candidates


def signatories_by_organisation(decision: Decision, day: date, organisation_ids=None) -> dict[int, list[Signatory]]:
    """{organisation id: the people who may sign for it on `day`}, for the organisations the decision would bind."""
    if organisation_ids is None:
        organisation_ids = list(decision.bound_organisations.values_list("pk", flat=True))
    delegations = [
        delegation
        for delegation in Delegation.objects.in_force(day)
        .filter(partnership_id=decision.partnership_id, organisation_id__in=organisation_ids)
        .order_by("organisation_id", "-valid_from", "pk")
        if delegation.covers(category=decision.category, value=decision.value_pounds, day=day)
    ]
    if not delegations:
        return {}
    named = {delegation.delegate_id for delegation in delegations if delegation.delegate_id}
    roles = {delegation.delegate_role for delegation in delegations if delegation.delegate_role}
    grants = PartnershipRole.objects.filter(content_object_id=decision.partnership_id).filter(
        Q(user_id__in=named) | Q(permission__codename__in=roles, organisation_id__in=organisation_ids)
    )
    people: dict[int, object] = {}
    holders = RoleHolders()
    for grant in grants.select_related("user", "permission"):
        people[grant.user_id] = grant.user
        holders.add(grant.user_id, grant.permission.codename, grant.organisation_id)

    found: dict[int, dict[int, Signatory]] = defaultdict(dict)
    for delegation in delegations:
        for user_id in sorted(holders.may_sign(decision, delegation)):
            found[delegation.organisation_id].setdefault(user_id, Signatory(people[user_id], delegation))
    return {
        organisation_id: sorted(signatories.values(), key=lambda s: (s.user.last_name, s.user.first_name, s.user.pk))
        for organisation_id, signatories in found.items()
    }


def signing_day(decision: Decision, round_: SignOffRound | None) -> date:
    """Delegations are read on the day: today while sign-off is open, the day it closed afterwards."""
    if round_ is not None and round_.closed_at is not None:
        return timezone.localdate(round_.closed_at)
    return timezone.localdate()


class OrganisationState:
    APPROVED = "approved"
    REJECTED = "rejected"
    ABSTAINED = "abstained"
    AWAITING_SIGNOFF = "awaiting_signoff"
    AWAITING_BOARD = "awaiting_board"
    RECUSED = "recused"
    DID_NOT_SIGN = "did_not_sign"


STATE_LABELS = {
    OrganisationState.APPROVED: "Approved",
    OrganisationState.REJECTED: "Rejected",
    OrganisationState.ABSTAINED: "Abstained",
    OrganisationState.AWAITING_SIGNOFF: "Awaiting sign-off",
    OrganisationState.AWAITING_BOARD: "Awaiting its own board",
    OrganisationState.RECUSED: "Recused: conflict of interest",
    OrganisationState.DID_NOT_SIGN: "Did not sign",
}


@dataclass
class OrganisationRow:
    organisation: Organisation
    signatories: list[Signatory]
    recused: list[object]
    vote: SignOff | None
    ratification: Ratification | None
    state: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def needs_board(self) -> bool:
        return not self.signatories and not self.recused

    @property
    def votes(self) -> bool:
        return self.state in {OrganisationState.APPROVED, OrganisationState.REJECTED, OrganisationState.ABSTAINED}


@dataclass(frozen=True)
class Tally:
    """The organisations of a round: how many take part (are not recused) and how they stand."""

    taking_part: int
    approve: int
    reject: int
    abstain: int

    @property
    def voted(self) -> int:
        return self.approve + self.reject + self.abstain

    @property
    def outstanding(self) -> int:
        return self.taking_part - self.voted


@dataclass(frozen=True)
class RuleResult:
    outcome: str | None  # DecisionStatus.APPROVED, REJECTED, DEFERRED, or None while undecided
    explanation: str


def evaluate(round_: SignOffRound, tally: Tally, *, at_deadline: bool = False) -> RuleResult:
    """Whether the round's rule is met. Before the deadline a result is given only once no outstanding vote
    could change it; at the deadline, organisations that did not sign are counted as not voting."""
    if tally.taking_part == 0:
        return RuleResult(None, "Every organisation is recused, so there is nobody to decide.")
    if round_.rule == DecisionRule.UNANIMOUS:
        return _unanimous(tally, at_deadline)
    return _majority(round_, tally, at_deadline)


def _unanimous(tally: Tally, at_deadline: bool) -> RuleResult:
    if tally.outstanding == 0:
        if tally.reject == 0 and tally.approve > 0:
            return RuleResult(DecisionStatus.APPROVED, "Every organisation taking part approved or abstained.")
        if tally.reject:
            return RuleResult(DecisionStatus.REJECTED, f"{_organisations(tally.reject)} rejected it.")
        return RuleResult(DecisionStatus.REJECTED, "Every organisation abstained, so nobody approved it.")
    if at_deadline:
        if tally.reject:
            return RuleResult(DecisionStatus.REJECTED, f"{_organisations(tally.reject)} rejected it.")
        return RuleResult(
            DecisionStatus.DEFERRED, f"{_organisations(tally.outstanding)} had not signed by the deadline."
        )
    return RuleResult(None, f"Needs every organisation taking part: {tally.outstanding} still to sign.")


def _majority(round_: SignOffRound, tally: Tally, at_deadline: bool) -> RuleResult:
    needed = round_.quorum_needed(tally.taking_part)
    share = round_.majority_percentage
    quorum_text = f"quorum {needed} of {tally.taking_part} organisations taking part"
    # Integer arithmetic: approvals must be more than `share`% of approvals and rejections.
    if at_deadline or tally.outstanding == 0:
        if tally.voted < needed:
            return RuleResult(DecisionStatus.DEFERRED, f"Not quorate: {tally.voted} voted, {quorum_text}.")
        if tally.approve * 100 > share * (tally.approve + tally.reject):
            return RuleResult(
                DecisionStatus.APPROVED, f"{tally.approve} approved, {tally.reject} rejected; {quorum_text}."
            )
        return RuleResult(DecisionStatus.REJECTED, f"{tally.approve} approved, {tally.reject} rejected; {quorum_text}.")
    most_against = tally.approve + tally.reject + tally.outstanding
    if tally.voted >= needed and tally.approve * 100 > share * most_against:
        return RuleResult(
            DecisionStatus.APPROVED,
            f"{tally.approve} approved: a majority even if every organisation still to sign rejected; {quorum_text}.",
        )
    if (tally.approve + tally.outstanding) * 100 <= share * most_against:
        return RuleResult(
            DecisionStatus.REJECTED,
            f"{tally.reject} rejected: no majority even if every organisation still to sign approved.",
        )
    return RuleResult(None, f"Needs more than {share}% of votes for or against, and a {quorum_text}.")


def _organisations(count: int) -> str:
    return f"{count} organisation" if count == 1 else f"{count} organisations"


@dataclass
class Validity:
    """The sign-off panel: each organisation's state, the counts, and the rule's verdict."""

    round: SignOffRound | None
    rows: list[OrganisationRow] = field(default_factory=list)
    result: RuleResult | None = None
    # The decision's status as it stands for this round: only an approved decision binds anyone. An earlier round
    # (the decision was reopened since) has none.
    standing: str = ""

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def tally(self) -> Tally:
        return Tally(
            taking_part=len(self.rows) - self.count(OrganisationState.RECUSED),
            approve=self.count(OrganisationState.APPROVED),
            reject=self.count(OrganisationState.REJECTED),
            abstain=self.count(OrganisationState.ABSTAINED),
        )

    @property
    def summary(self) -> str:
        """'Binding on 27 of 32 organisations; 3 awaiting their board' for an approved decision; otherwise how many
        approved, since a decision binds nobody until it is approved, nor once superseded."""
        return self.summary_as(self.standing)

    def summary_as(self, status: str) -> str:
        """The summary for a decision whose status (for this round) is `status`: what a result's history records."""
        approved = f"{self.count(OrganisationState.APPROVED)} of {_organisations(len(self.rows))}"
        if status == DecisionStatus.APPROVED:
            head = f"Binding on {approved}"
        elif status == DecisionStatus.SUPERSEDED:
            head = f"No longer binding, as it is superseded; {approved} approved"
        elif status == DecisionStatus.IN_SIGNOFF:
            head = f"{approved} approved so far"
        else:
            head = f"{approved} approved"
        parts = [head]
        for state, text in [
            (OrganisationState.AWAITING_SIGNOFF, "awaiting sign-off"),
            (OrganisationState.AWAITING_BOARD, "awaiting their board"),
            (OrganisationState.REJECTED, "rejected"),
            (OrganisationState.ABSTAINED, "abstained"),
            (OrganisationState.RECUSED, "recused"),
            (OrganisationState.DID_NOT_SIGN, "did not sign"),
        ]:
            if self.count(state):
                parts.append(f"{self.count(state)} {text}")
        return "; ".join(parts)

    @property
    def signed_summary(self) -> str:
        """The summary without the votes, while the partnership hides them until sign-off closes."""
        signed = sum(1 for row in self.rows if row.votes)
        parts = [f"{signed} of {_organisations(len(self.rows))} {'has' if len(self.rows) == 1 else 'have'} signed"]
        for state, text in [
            (OrganisationState.AWAITING_SIGNOFF, "awaiting sign-off"),
            (OrganisationState.AWAITING_BOARD, "awaiting their board"),
            (OrganisationState.RECUSED, "recused"),
        ]:
            if self.count(state):
                parts.append(f"{self.count(state)} {text}")
        return "; ".join(parts)

    @property
    def votes_hidden(self) -> bool:
        return self.round is not None and self.round.votes_hidden

    def row_for(self, organisation_id: int) -> OrganisationRow | None:
        return next((row for row in self.rows if row.organisation.pk == organisation_id), None)

    def signatory_row(self, user) -> OrganisationRow | None:
        """The organisation `user` may sign for, if any."""
        return next((row for row in self.rows if any(s.user.pk == user.pk for s in row.signatories)), None)

    def recused_row(self, user) -> OrganisationRow | None:
        return next((row for row in self.rows if any(person.pk == user.pk for person in row.recused)), None)


def validity_for(decision: Decision, round_: SignOffRound | None = None, *, day: date | None = None) -> Validity:
    """Each bound organisation's sign-off state in `round_` (the current round by default)."""
    round_ = round_ if round_ is not None else decision.current_round
    organisations = list(decision.bound_organisations.order_by("name"))
    is_current = round_ is None or round_.pk == decision.current_round_id
    validity = Validity(round=round_, standing=decision.status if is_current else "")
    if not organisations:
        return validity
    day = day or signing_day(decision, round_)
    signatories = signatories_by_organisation(decision, day, [organisation.pk for organisation in organisations])
    conflicted = set(
        DecisionDeclaration.objects.filter(decision=decision, position=Position.CONFLICT).values_list(
            "person_id", flat=True
        )
    )
    votes, ratifications = {}, {}
    if round_ is not None:
        votes = {
            vote.organisation_id: vote
            for vote in SignOff.objects.current().filter(round=round_).select_related("signatory")
        }
        ratifications = {ratification.organisation_id: ratification for ratification in round_.ratifications.all()}
    open_round = round_ is not None and round_.closed_at is None and decision.status == DecisionStatus.IN_SIGNOFF
    for organisation in organisations:
        everyone = signatories.get(organisation.pk, [])
        able = [s for s in everyone if s.user.pk not in conflicted]
        recused = [s.user for s in everyone if s.user.pk in conflicted]
        vote, ratification = votes.get(organisation.pk), ratifications.get(organisation.pk)
        validity.rows.append(
            OrganisationRow(
                organisation=organisation,
                signatories=able,
                recused=recused,
                vote=vote,
                ratification=ratification,
                state=_state(able, recused, vote, ratification, open_round, round_ is not None),
            )
        )
    if round_ is not None:
        validity.result = evaluate(round_, validity.tally)
    return validity


def _state(able, recused, vote, ratification, open_round: bool, has_round: bool) -> str:
    if vote is not None:
        return {
            Vote.APPROVE: OrganisationState.APPROVED,
            Vote.REJECT: OrganisationState.REJECTED,
            Vote.ABSTAIN: OrganisationState.ABSTAINED,
        }[vote.vote]
    if ratification is not None:
        if ratification.outcome == RatificationOutcome.RATIFIED:
            return OrganisationState.APPROVED
        return OrganisationState.REJECTED
    if recused and not able:
        return OrganisationState.RECUSED
    if not able:
        return OrganisationState.AWAITING_BOARD
    if open_round or not has_round:
        return OrganisationState.AWAITING_SIGNOFF
    return OrganisationState.DID_NOT_SIGN
