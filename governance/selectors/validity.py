"""Who must sign a decision, whom it binds, and whether the partnership's rule is met.

A partnership has no legal status: a decision binds an organisation only through that organisation's own
delegated authority. For each organisation a decision would bind, the signatories are the people whose delegation
covers the decision's category and value on the day — a named delegate, or anyone from the organisation holding
the delegated partnership role. An organisation with none must take the decision to its own board.

A delegation the partnership lead recorded may not yet be confirmed by the organisation's administrators. The
partnership's setting `DecisionSettings.unconfirmed_delegations_count` says whether it counts meanwhile; either
way the validity says which organisations are bound, or would be, under such a delegation
(`OrganisationRow.under_unconfirmed_delegation`).

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
    DecisionSettings,
    DecisionStatus,
    Position,
    Ratification,
    RatificationOutcome,
    SignOff,
    SignOffRound,
    Visibility,
    Vote,
)
from .rule import RuleResult, Tally, evaluate, organisations_text

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


def counted_delegations(delegations) -> list[Delegation]:
    """The delegations their partnership counts, confirmed ones first (someone covered by several signs under a
    confirmed one): every confirmed delegation, and the unconfirmed ones of partnerships whose setting counts them
    (the default). For delegations of one partnership or many; a query only when some are unconfirmed."""
    delegations = list(delegations)
    unconfirmed_in = {delegation.partnership_id for delegation in delegations if not delegation.is_confirmed}
    not_counting = (
        set(
            DecisionSettings.objects.filter(
                partnership_id__in=unconfirmed_in, unconfirmed_delegations_count=False
            ).values_list("partnership_id", flat=True)
        )
        if unconfirmed_in
        else set()
    )
    return sorted(
        (d for d in delegations if d.is_confirmed or d.partnership_id not in not_counting),
        key=lambda delegation: not delegation.is_confirmed,
    )


def signatories_by_organisation(decision: Decision, day: date, organisation_ids=None) -> dict[int, list[Signatory]]:
    """{organisation id: the people who may sign for it on `day`}, for the organisations the decision would bind.
    Unconfirmed delegations are left out where the partnership does not count them."""
    counted, _ = _signatories_split(decision, day, organisation_ids)
    return counted


def _signatories_split(decision: Decision, day: date, organisation_ids=None):
    """The signatories the partnership counts, and those left out because their only cover is a delegation the
    organisation has not confirmed (empty unless the partnership's setting leaves such delegations out)."""
    everyone = _all_signatories(decision, day, organisation_ids)
    delegations = {signatory.delegation for signatories in everyone.values() for signatory in signatories}
    counting = set(counted_delegations(delegations))
    if counting == delegations:
        return everyone, {}
    counted, left_out = {}, {}
    for organisation_id, signatories in everyone.items():
        for signatory in signatories:
            side = counted if signatory.delegation in counting else left_out
            side.setdefault(organisation_id, []).append(signatory)
    return counted, left_out


def _all_signatories(decision: Decision, day: date, organisation_ids=None) -> dict[int, list[Signatory]]:
    """Everyone a delegation lets sign, confirmed or not. Someone covered by several delegations signs under a
    confirmed one if there is one (confirmed first in the order below)."""
    if organisation_ids is None:
        organisation_ids = list(decision.bound_organisations.values_list("pk", flat=True))
    delegations = [
        delegation
        for delegation in Delegation.objects.in_force(day)
        .filter(partnership_id=decision.partnership_id, organisation_id__in=organisation_ids)
        .order_by("organisation_id", "-valid_from", "pk")
        if delegation.covers(category=decision.category, value=decision.value_pounds, day=day)
    ]
    delegations.sort(key=lambda delegation: not delegation.is_confirmed)  # stable: confirmed first, else as ordered
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
    # People who would sign but for the partnership's setting: their only cover is an unconfirmed delegation.
    left_out: list[Signatory] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def under_unconfirmed_delegation(self) -> bool:
        """Whether the organisation is bound, or would be, under a delegation it has not confirmed — the one rule.

        Once it has voted, the vote's delegation decides (as confirmed now: confirming later clears the flag). A
        ratification by its own board is under no delegation. Before either, it is flagged when anyone who may sign
        for it (or would, were unconfirmed delegations counted) has only an unconfirmed delegation to sign under:
        their vote would bind the organisation on the strength of the lead's record alone.
        """
        if self.vote is not None:
            return self.vote.delegation is not None and not self.vote.delegation.is_confirmed
        if self.ratification is not None:
            return False
        return any(not signatory.delegation.is_confirmed for signatory in self.signatories + self.left_out)

    @property
    def needs_board(self) -> bool:
        return not self.signatories and not self.recused

    @property
    def votes(self) -> bool:
        return self.state in {OrganisationState.APPROVED, OrganisationState.REJECTED, OrganisationState.ABSTAINED}


def binding_summary(bound: int, total: int, unconfirmed: int = 0) -> str:
    """'Binding on 7 of 9 organisations; 2 of the 7 under delegations their organisation has not confirmed': the
    wording wherever a decision says whom it binds (the decision page, its history, the board digest)."""
    text = f"Binding on {bound} of {organisations_text(total)}"
    if unconfirmed == 1:
        return f"{text}; 1 of the {bound} under a delegation its organisation has not confirmed"
    if unconfirmed:
        return f"{text}; {unconfirmed} of the {bound} under delegations their organisation has not confirmed"
    return text


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
        approved = f"{self.count(OrganisationState.APPROVED)} of {organisations_text(len(self.rows))}"
        if status == DecisionStatus.APPROVED:
            head = binding_summary(self.count(OrganisationState.APPROVED), len(self.rows), self.bound_unconfirmed)
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
    def bound_unconfirmed(self) -> int:
        """How many of the organisations that approved did so under a delegation they have not confirmed."""
        return sum(
            1 for row in self.rows if row.state == OrganisationState.APPROVED and row.under_unconfirmed_delegation
        )

    @property
    def signed_summary(self) -> str:
        """The summary without the votes, while the partnership hides them until sign-off closes."""
        signed = sum(1 for row in self.rows if row.votes)
        parts = [f"{signed} of {organisations_text(len(self.rows))} {'has' if len(self.rows) == 1 else 'have'} signed"]
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

    def left_out_row(self, user) -> OrganisationRow | None:
        """The organisation `user` would sign for, were its unconfirmed delegation counted."""
        return next((row for row in self.rows if any(s.user.pk == user.pk for s in row.left_out)), None)


def validity_for(decision: Decision, round_: SignOffRound | None = None, *, day: date | None = None) -> Validity:
    """Each bound organisation's sign-off state in `round_` (the current round by default)."""
    round_ = round_ if round_ is not None else decision.current_round
    organisations = list(decision.bound_organisations.order_by("name"))
    is_current = round_ is None or round_.pk == decision.current_round_id
    validity = Validity(round=round_, standing=decision.status if is_current else "")
    if not organisations:
        return validity
    day = day or signing_day(decision, round_)
    signatories, left_out = _signatories_split(decision, day, [organisation.pk for organisation in organisations])
    conflicted = set(
        DecisionDeclaration.objects.filter(decision=decision, position=Position.CONFLICT).values_list(
            "person_id", flat=True
        )
    )
    votes, ratifications = {}, {}
    if round_ is not None:
        votes = {
            vote.organisation_id: vote
            for vote in SignOff.objects.current().filter(round=round_).select_related("signatory", "delegation")
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
                left_out=left_out.get(organisation.pk, []),
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
