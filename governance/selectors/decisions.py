"""Reads for the decision pages: the register, one decision with everything on its tabs, and its history.
Each comes in a fixed number of queries, whatever the number of decisions, organisations, votes or challenges."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.audit import history_for
from core.history import present_history
from core.models import AuditEvent
from partnerships.models import Membership
from partnerships.selectors.people import person_prefetch
from workstreams.access import MINUTES_STATUSES as HELD_STATUSES  # a meeting held, whatever its minutes' stage
from workstreams.models import Meeting, WorkStream

from ..access import can_see_details
from ..models import (
    Challenge,
    Decision,
    DecisionDeclaration,
    DecisionSettings,
    DeclarationWithdrawal,
    InterestDeclaration,
    Ratification,
    RatificationOutcome,
    SignOff,
    SignOffRound,
    Vote,
)
from .evidence import with_engagement_flag
from .risks import review_suggestion_for, with_review_suggestion
from .validity import Validity, validity_for


def _count(queryset: QuerySet, outer: str) -> Coalesce:
    """A correlated COUNT(*) subquery, so counts on a list never multiply rows or add a query per row."""
    counted = queryset.order_by().values(outer).annotate(total=Count("*")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_register_columns(queryset: QuerySet[Decision]) -> QuerySet[Decision]:
    """The register's columns: who proposed, the work-stream, challenge, how many organisations are bound (and how
    many of those under a delegation their organisation has not confirmed), and whether it went to sign-off
    lacking engagement evidence."""
    bound_organisations = Decision.bound_organisations.through.objects.filter(decision_id=OuterRef("pk"))
    approvals = SignOff.objects.current().filter(round_id=OuterRef("current_round_id"), vote=Vote.APPROVE)
    # The rule of `validity.OrganisationRow.under_unconfirmed_delegation` for a vote: its delegation, as it is now.
    unconfirmed = approvals.filter(delegation__isnull=False, delegation__confirmed_at__isnull=True)
    ratified = Ratification.objects.filter(round_id=OuterRef("current_round_id"), outcome=RatificationOutcome.RATIFIED)
    return (
        with_engagement_flag(queryset)
        .select_related("workstream", "partnership", "current_round", "superseded_by")
        .prefetch_related(person_prefetch("proposer"))
        .with_challenge()
        .annotate(
            organisation_count=_count(bound_organisations, "decision_id"),
            approval_count=_count(approvals, "round_id"),
            unconfirmed_approval_count=_count(unconfirmed, "round_id"),
            ratified_count=_count(ratified, "round_id"),
        )
    )


def register(partnership) -> QuerySet[Decision]:
    """The partnership's decisions with the register's columns and any review a linked risk suggests, newest first:
    what the register's page and export list, narrowed by `governance.api.filters.DecisionFilter`."""
    decisions = with_review_suggestion(with_register_columns(Decision.objects.filter(partnership=partnership)))
    return decisions.order_by("-year", "-number")


# What the register's page never shows: a decision's long texts (person_prefetch leaves out password hashes).
LONG_TEXTS = ["case", "options_considered", "reason_for_choice", "urgent_reason", "confidential_reason"]
NOT_LISTED = [*LONG_TEXTS, *(f"superseded_by__{name}" for name in LONG_TEXTS)]


def register_listing(partnership) -> QuerySet[Decision]:
    """`register` without the columns the register's page never shows, so a page of 25 rows does not carry 25
    decisions' cases from the database (issue 18)."""
    return register(partnership).defer(*NOT_LISTED)


def redact(decisions, user) -> list[Decision]:
    """Mark each decision the user may read in full (`shows_details`); templates and exports show the rest as
    'Confidential decision'. Roles are looked up once per partnership."""
    decisions = list(decisions)
    for decision in decisions:
        decision.shows_details = can_see_details(user, decision)
    return decisions


@dataclass
class RoundRecord:
    """One sign-off round as the page shows it, with every vote cast in it, changed votes included."""

    round: SignOffRound
    votes: list[SignOff] = field(default_factory=list)
    ratifications: list[Ratification] = field(default_factory=list)


@dataclass
class DecisionPage:
    decision: Decision
    validity: Validity
    settings: DecisionSettings
    rounds: list[RoundRecord]
    challenges: list[Challenge]
    declarations: list[DecisionDeclaration]
    my_declaration: DecisionDeclaration | None
    my_open_interests: list[InterestDeclaration]
    history: list[AuditEvent]
    next_board_meeting: Meeting | None
    supersedes: list[Decision]

    @property
    def conflicts(self) -> list[DecisionDeclaration]:
        return [declaration for declaration in self.declarations if declaration.is_conflict]

    @property
    def earlier_rounds(self) -> list[RoundRecord]:
        current = self.decision.current_round_id
        return [record for record in self.rounds if record.round.pk != current]

    @property
    def current_round_record(self) -> RoundRecord | None:
        return next((record for record in self.rounds if record.round.pk == self.decision.current_round_id), None)


def decision_page(decision: Decision, user) -> DecisionPage:
    """Everything the decision's tabs show, in a fixed number of queries. The decision is given what a register's
    decisions have from their annotations and the flags on its page read: whether a challenge is recorded
    (`has_challenge`), and the review a linked risk suggests, if any (`is_review_suggested`,
    `review_suggested_reason`, `review_suggested_at`)."""
    challenges = list(
        decision.challenges.select_related("raised_by", "raised_by_organisation", "responded_by").order_by(
            "raised_at", "pk"
        )
    )
    decision.has_challenge = bool(challenges)
    suggestion = review_suggestion_for(decision)
    decision.is_review_suggested = suggestion is not None
    decision.review_suggested_reason = suggestion.reason if suggestion else ""
    decision.review_suggested_at = suggestion.suggested_at if suggestion else None
    decision.review_suggestion = suggestion  # its risk and who linked it, named in the page's callout
    rounds = {round_.pk: RoundRecord(round_) for round_ in decision.rounds.order_by("number")}
    for vote in SignOff.objects.filter(decision=decision).select_related("signatory", "organisation", "delegation"):
        rounds[vote.round_id].votes.append(vote)
    for ratification in Ratification.objects.filter(decision=decision).select_related("organisation", "recorded_by"):
        rounds[ratification.round_id].ratifications.append(ratification)
    declarations = list(
        DecisionDeclaration.objects.filter(decision=decision)
        .select_related("person", "organisation", "register_entry")
        .prefetch_related(Prefetch("withdrawals", DeclarationWithdrawal.objects.select_related("decided_by")))
        .order_by("person__last_name", "person__first_name")
    )
    for declaration in declarations:
        declaration.decision = decision  # the rules on withdrawing a conflict read the decision: no query per row
    return DecisionPage(
        decision=decision,
        validity=validity_for(decision),
        settings=DecisionSettings.for_partnership(decision.partnership),
        rounds=list(rounds.values()),
        challenges=challenges,
        declarations=declarations,
        my_declaration=next((d for d in declarations if d.person_id == user.pk), None),
        my_open_interests=list(
            InterestDeclaration.objects.open_on().filter(partnership_id=decision.partnership_id, person=user)
        ),
        history=present_history(history_of(decision), reader=user, partnership_id=decision.partnership_id),
        next_board_meeting=next_board_meeting(decision) if decision.needs_board_ratification else None,
        supersedes=list(decision.supersedes.only("pk", "reference", "title")),
    )


def history_of(decision: Decision) -> QuerySet[AuditEvent]:
    """The audit events of the decision and of its sign-offs, ratifications, challenges and declarations,
    newest first, in one query."""
    content_type = ContentType.objects.get_for_model
    children = Q()
    for model in (SignOff, Ratification, Challenge, DecisionDeclaration):
        children |= Q(
            target_type=content_type(model),
            target_id__in=model.objects.filter(decision_id=decision.pk).values("pk"),
        )
    return (history_for(decision) | AuditEvent.objects.filter(children)).select_related("actor").order_by("-at", "-id")


def board_meetings_since_approval(decision: Decision) -> QuerySet[Meeting]:
    """The partnership board's meetings that have started since the decision was approved, earliest first: where
    an urgent decision is ratified, once one is held and quorate (`why_meeting_cannot_ratify`)."""
    now = timezone.now()
    return (
        Meeting.objects.board()
        .filter(partnership_id=decision.partnership_id, starts_at__lte=now)
        .filter(starts_at__gte=decision.decided_at or now)
        .order_by("starts_at")
    )


def why_meeting_cannot_ratify(decision: Decision, meeting: Meeting) -> str:
    """Why `meeting` cannot ratify the urgent decision, or "" if it can: only a meeting of the partnership's board,
    held since the decision was approved, whose recorded attendance shows it was quorate."""
    if meeting.partnership_id != decision.partnership_id or meeting.workstream_id is not None:
        return "Choose a meeting of this partnership's board."
    if decision.decided_at and meeting.starts_at < decision.decided_at:
        return "Choose a board meeting held after the decision was approved."
    if meeting.starts_at > timezone.now():
        return f"{meeting} has not taken place yet. Choose a board meeting that has been held."
    if meeting.status not in HELD_STATUSES:
        return (
            f"{meeting} is {meeting.get_status_display().lower()}, not held. Only a board meeting that was held, "
            "with its attendance recorded, can ratify the decision."
        )
    if meeting.quorate is None:
        return (
            f"The attendance at {meeting} is not recorded, so it does not show that the board was quorate. Record "
            "the attendance first."
        )
    if not meeting.quorate:
        return f"{meeting} was not quorate, so it cannot ratify the decision. {meeting.quorum_explanation}".strip()
    return ""


def board_meetings_to_ratify_at(decision: Decision) -> tuple[QuerySet[Meeting], list[tuple[Meeting, str]]]:
    """The board meetings since approval that can ratify the urgent decision (a queryset, for a form's choices),
    and those that cannot, each with why not."""
    since = list(board_meetings_since_approval(decision))
    refused = [(meeting, why_meeting_cannot_ratify(decision, meeting)) for meeting in since]
    able = [meeting.pk for meeting, why in refused if not why]
    return Meeting.objects.filter(pk__in=able).order_by("starts_at"), [pair for pair in refused if pair[1]]


def next_board_meeting(decision: Decision) -> Meeting | None:
    """The partnership board's next meeting that is not cancelled, if one is scheduled."""
    return (
        Meeting.objects.board().filter(partnership_id=decision.partnership_id).upcoming().order_by("starts_at").first()
    )


def public_members(partnership) -> QuerySet[Membership]:
    """The partnership's current members, by name, for its public page."""
    return (
        Membership.objects.current()
        .filter(partnership=partnership)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def public_workstreams(partnership) -> QuerySet[WorkStream]:
    """The partnership's live work-streams, by name, for its public page."""
    return WorkStream.objects.live().filter(partnership=partnership).order_by("name")


def public_decisions(partnership) -> QuerySet[Decision]:
    """Approved public decisions, newest first: all the public page and the feed ever show."""
    return (
        Decision.objects.published()
        .filter(partnership=partnership)
        .select_related("workstream", "partnership")
        .order_by("-decided_at", "-number")
    )
