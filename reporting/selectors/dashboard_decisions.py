"""The dashboard's decisions: those awaiting sign-off with the organisations still to sign or ratify and the days
they have waited, those made in the last 30 days, those a rising risk has flagged for review, and urgent ones the
board has still to ratify; and how many delegations await their organisation's confirmation. Five queries,
whatever the size of the register: the lists are bounded by their nature."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from core.dates import start_of_day
from governance.models import DECIDED_STATUSES, Decision, DecisionStatus, Ratification, SignOff, Visibility
from governance.selectors.risks import with_review_suggestion
from partnerships.models import Partnership

from .delegations import delegations_awaiting_confirmation

RECENT_DAYS = 30  # "decisions made in the last 30 days"


@dataclass(kw_only=True)
class DecisionItem:
    id: int
    reference: str
    title: str
    status: str
    status_label: str
    is_confidential: bool
    proposer_id: int
    decided_on: date | None
    shows_details: bool = True  # False: the viewer sees its reference, status and dates only


@dataclass(kw_only=True)
class AwaitingDecision(DecisionItem):
    opened_on: date
    closes_on: date
    days_waiting: int
    bound: int  # organisations it would bind
    outstanding: list[str] = field(default_factory=list)  # those with no vote or ratification in this round


@dataclass(kw_only=True)
class FlaggedDecision(DecisionItem):
    flagged_on: date
    reason: str


@dataclass
class DecisionFigures:
    recent_since: date
    awaiting: list[AwaitingDecision]
    made_recently: list[DecisionItem]
    review_suggested: list[FlaggedDecision]
    awaiting_ratification: list[DecisionItem]
    delegations_awaiting_confirmation: int = 0  # the partnership's, in force or starting later

    def made_recently_with(self, status: str) -> int:
        return sum(1 for decision in self.made_recently if decision.status == status)


def _item(decision: Decision, kind=DecisionItem, **extra):
    return kind(
        id=decision.pk,
        reference=decision.reference,
        title=decision.title,
        status=decision.status,
        status_label=decision.get_status_display(),
        is_confidential=decision.visibility == Visibility.CONFIDENTIAL,
        proposer_id=decision.proposer_id,
        decided_on=timezone.localdate(decision.decided_at) if decision.decided_at else None,
        **extra,
    )


def _organisations_in_signoff(decisions: list[Decision]) -> dict[int, list[tuple[str, bool]]]:
    """{decision id: [(organisation, has voted or ratified in the current round)]} for the decisions in sign-off.

    Three lookups by key (the decisions' bound organisations, then the votes and the ratifications of their current
    rounds), each through its foreign key's index, rather than one query whose correlated EXISTS on the votes the
    planner may turn into a scan of every vote in the country (issue 18)."""
    rounds = {decision.current_round_id: decision.pk for decision in decisions}
    answered = {
        (rounds[round_id], organisation_id)
        for model in (SignOff.objects.current(), Ratification.objects.all())
        for round_id, organisation_id in model.filter(round_id__in=rounds).values_list("round_id", "organisation_id")
    }
    bound = (
        Decision.bound_organisations.through.objects.filter(decision_id__in=rounds.values())
        .values_list("decision_id", "organisation_id", "organisation__name")
        .order_by("organisation__name")
    )
    found: dict[int, list[tuple[str, bool]]] = {}
    for decision_id, organisation_id, name in bound:
        found.setdefault(decision_id, []).append((name, (decision_id, organisation_id) in answered))
    return found


def decision_figures(partnership: Partnership, today: date) -> DecisionFigures:
    """Decisions awaiting sign-off (with who is outstanding), made in the last 30 days, flagged for review, and
    urgent ones awaiting ratification, and how many delegations their organisation has still to confirm (a decision
    may bind an organisation under one): one query for the decisions, three for the organisations in sign-off, one
    for the delegations."""
    since = today - timedelta(days=RECENT_DAYS)
    ours = with_review_suggestion(Decision.objects.filter(partnership=partnership))
    decisions = (
        (
            ours.awaiting_signoff()
            | ours.decided_since(start_of_day(since))
            | ours.filter(is_review_suggested=True)
            | ours.awaiting_board_ratification()
        )
        .select_related("current_round")
        .order_by("-year", "-number")
    )
    decisions = list(decisions)
    in_signoff = [d for d in decisions if d.status == DecisionStatus.IN_SIGNOFF and d.current_round_id is not None]
    organisations = _organisations_in_signoff(in_signoff)
    awaiting = []
    for decision in decisions:
        if decision.status != DecisionStatus.IN_SIGNOFF or decision.current_round is None:
            continue
        bound = organisations.get(decision.pk, [])
        opened_on = timezone.localdate(decision.current_round.opened_at)
        awaiting.append(
            _item(
                decision,
                AwaitingDecision,
                opened_on=opened_on,
                closes_on=timezone.localdate(decision.current_round.closes_at),
                days_waiting=(today - opened_on).days,
                bound=len(bound),
                outstanding=[name for name, answered in bound if not answered],
            )
        )
    return DecisionFigures(
        recent_since=since,
        awaiting=sorted(awaiting, key=lambda item: (-item.days_waiting, item.reference)),
        made_recently=sorted(
            (_item(d) for d in decisions if d.status in DECIDED_STATUSES and timezone.localdate(d.decided_at) >= since),
            key=lambda item: (item.decided_on, item.reference),
            reverse=True,
        ),
        review_suggested=[
            _item(
                d,
                FlaggedDecision,
                flagged_on=timezone.localdate(d.review_suggested_at),
                reason=d.review_suggested_reason,
            )
            for d in decisions
            if d.is_review_suggested
        ],
        awaiting_ratification=[_item(d) for d in decisions if d.needs_board_ratification],
        delegations_awaiting_confirmation=delegations_awaiting_confirmation(partnership, today).count(),
    )


def hide_confidential(decisions: DecisionFigures, user) -> None:
    """Blank the titles (and sign-off standing) of confidential decisions the user did not propose: for those who
    may not read confidential decisions in full, as the register does."""
    every = [*decisions.awaiting, *decisions.made_recently, *decisions.review_suggested]
    for item in [*every, *decisions.awaiting_ratification]:
        if item.is_confidential and item.proposer_id != user.pk:
            item.shows_details, item.title = False, ""
            if isinstance(item, AwaitingDecision):
                item.outstanding = []
