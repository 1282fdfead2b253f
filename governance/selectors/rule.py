"""A partnership's decision rule applied to the organisations of a round: unanimous, or a majority with a quorum.
Separate from `validity` (who may sign, and each organisation's state) so that each stays short."""

from dataclasses import dataclass

from ..models import DecisionRule, DecisionStatus, SignOffRound


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
            return RuleResult(DecisionStatus.REJECTED, f"{organisations_text(tally.reject)} rejected it.")
        return RuleResult(DecisionStatus.REJECTED, "Every organisation abstained, so nobody approved it.")
    if at_deadline:
        if tally.reject:
            return RuleResult(DecisionStatus.REJECTED, f"{organisations_text(tally.reject)} rejected it.")
        return RuleResult(
            DecisionStatus.DEFERRED, f"{organisations_text(tally.outstanding)} had not signed by the deadline."
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


def organisations_text(count: int) -> str:
    """ "1 organisation", "3 organisations"."""
    return f"{count} organisation" if count == 1 else f"{count} organisations"
