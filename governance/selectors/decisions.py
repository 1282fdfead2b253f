"""Reads for the decision pages: the register, one decision with everything on its tabs, and its history.
Each comes in a fixed number of queries, whatever the number of decisions, organisations, votes or challenges."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from core.audit import history_for
from core.models import AuditEvent
from workstreams.models import Meeting

from ..access import can_see_details, sees_confidential
from ..models import (
    Challenge,
    Decision,
    DecisionDeclaration,
    DecisionSettings,
    InterestDeclaration,
    Ratification,
    RatificationOutcome,
    SignOff,
    SignOffRound,
    Visibility,
    Vote,
)
from .evidence import lacking_engagement_evidence, with_engagement_flag
from .validity import Validity, validity_for


def _count(queryset: QuerySet, outer: str) -> Coalesce:
    """A correlated COUNT(*) subquery, so counts on a list never multiply rows or add a query per row."""
    counted = queryset.order_by().values(outer).annotate(total=Count("*")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_register_columns(queryset: QuerySet[Decision]) -> QuerySet[Decision]:
    """The register's columns: who proposed, the work-stream, challenge, how many organisations are bound, and
    whether it went to sign-off lacking engagement evidence."""
    bound_organisations = Decision.bound_organisations.through.objects.filter(decision_id=OuterRef("pk"))
    approvals = SignOff.objects.current().filter(round_id=OuterRef("current_round_id"), vote=Vote.APPROVE)
    ratified = Ratification.objects.filter(round_id=OuterRef("current_round_id"), outcome=RatificationOutcome.RATIFIED)
    return (
        with_engagement_flag(queryset)
        .select_related(
            "proposer__profile__organisation", "workstream", "partnership", "current_round", "superseded_by"
        )
        .with_challenge()
        .annotate(
            organisation_count=_count(bound_organisations, "decision_id"),
            approval_count=_count(approvals, "round_id"),
            ratified_count=_count(ratified, "round_id"),
        )
    )


@dataclass
class RegisterFilters:
    status: str = ""
    category: str = ""
    workstream: int | None = None
    urgent: bool = False
    no_challenge: bool = False
    no_engagement_evidence: bool = False
    proposed_from: date | None = None
    proposed_to: date | None = None
    search: str = ""
    decided_from: date | None = None
    decided_to: date | None = None
    awaiting_ratification: bool = False


def register(partnership, user, filters: RegisterFilters) -> QuerySet[Decision]:
    """The partnership's decisions, filtered and searched. Someone who may not read confidential decisions finds
    them only by reference, category, status and date: never by their title or work-stream."""
    decisions = Decision.objects.filter(partnership=partnership)
    readable = Q()
    if not sees_confidential(user, partnership):
        readable = Q(visibility=Visibility.PUBLIC) | Q(proposer_id=user.pk)
    if filters.status:
        decisions = decisions.filter(status=filters.status)
    if filters.category:
        decisions = decisions.filter(category=filters.category)
    if filters.workstream:
        decisions = decisions.filter(Q(workstream_id=filters.workstream) & readable)
    if filters.urgent:
        decisions = decisions.filter(is_urgent=True)
    if filters.no_challenge:
        decisions = decisions.approved_without_challenge()
    if filters.no_engagement_evidence:
        decisions = lacking_engagement_evidence(decisions).filter(readable)  # it tells of the work-stream
    if filters.proposed_from:
        decisions = decisions.filter(created_at__date__gte=filters.proposed_from)
    if filters.proposed_to:
        decisions = decisions.filter(created_at__date__lte=filters.proposed_to)
    if filters.decided_from:
        decisions = decisions.filter(decided_at__date__gte=filters.decided_from)
    if filters.decided_to:
        decisions = decisions.filter(decided_at__date__lte=filters.decided_to)
    if filters.awaiting_ratification:
        decisions = decisions.awaiting_board_ratification()
    if filters.search:
        decisions = decisions.filter(
            Q(reference__icontains=filters.search) | (Q(title__icontains=filters.search) & readable)
        )
    return with_register_columns(decisions).order_by("-year", "-number")


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
    rounds = {round_.pk: RoundRecord(round_) for round_ in decision.rounds.order_by("number")}
    for vote in SignOff.objects.filter(decision=decision).select_related("signatory", "organisation", "delegation"):
        rounds[vote.round_id].votes.append(vote)
    for ratification in Ratification.objects.filter(decision=decision).select_related("organisation", "recorded_by"):
        rounds[ratification.round_id].ratifications.append(ratification)
    declarations = list(
        DecisionDeclaration.objects.filter(decision=decision)
        .select_related("person", "organisation", "register_entry")
        .order_by("person__last_name", "person__first_name")
    )
    next_board_meeting = None
    if decision.needs_board_ratification:
        next_board_meeting = (
            Meeting.objects.board()
            .filter(partnership_id=decision.partnership_id)
            .upcoming()
            .order_by("starts_at")
            .first()
        )
    return DecisionPage(
        decision=decision,
        validity=validity_for(decision),
        settings=DecisionSettings.for_partnership(decision.partnership),
        rounds=list(rounds.values()),
        challenges=list(
            decision.challenges.select_related("raised_by", "raised_by_organisation", "responded_by").order_by(
                "raised_at", "pk"
            )
        ),
        declarations=declarations,
        my_declaration=next((d for d in declarations if d.person_id == user.pk), None),
        my_open_interests=list(
            InterestDeclaration.objects.open_on().filter(partnership_id=decision.partnership_id, person=user)
        ),
        history=list(history_of(decision)),
        next_board_meeting=next_board_meeting,
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


def public_decisions(partnership) -> QuerySet[Decision]:
    """Approved public decisions, newest first: all the public page and the feed ever show."""
    return (
        Decision.objects.published()
        .filter(partnership=partnership)
        .select_related("workstream", "partnership")
        .order_by("-decided_at", "-number")
    )
