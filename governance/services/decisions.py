"""Proposing and editing decisions, publishing them, and the partnership's decision settings.

Every service checks the actor's right to act, validates, writes in one transaction with its audit record, and
queues email for after the commit. Pages, the API, the demo data and background jobs all come through here.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean
from partnerships.access import Action, authorize
from partnerships.models import DecisionCategory, Membership, MembershipKind, Organisation, Partnership
from workstreams.models import Meeting, WorkStream, WorkStreamStatus

from ..access import authorize_change_publication, authorize_edit, can_mark_urgent
from ..models import Decision, DecisionSettings, ReferenceCounter, Visibility
from ._common import lock_decision, settings_update
from .evidence import EVIDENCE_FIELDS, check_evidence, evidence_snapshot, set_evidence

DECISION_FIELDS = [
    "title",
    "case",
    "options_considered",
    "reason_for_choice",
    "category",
    "value_pounds",
    "workstream",
    "meeting",
    "review_on",
    "is_urgent",
    "urgent_reason",
    "visibility",
    "confidential_reason",
    "confidential_review_on",
]
PUBLICATION_FIELDS = ["visibility", "confidential_reason", "confidential_review_on"]
SETTINGS_FIELDS = [
    "rule",
    "quorum_percentage",
    "majority_percentage",
    "hide_votes_until_closed",
    "signoff_days",
    "unconfirmed_delegations_count",
]


def _take_reference(partnership: Partnership, year: int) -> tuple[int, str]:
    """The next number in the partnership's year, under a row lock: no gaps (it rolls back with the decision)
    and no duplicates (a second proposer waits for the first to commit)."""
    counter, _ = ReferenceCounter.objects.get_or_create(partnership=partnership, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number, f"{partnership.code}-{year}-{counter.last_number:03d}"


def _check_links(decision: Decision, *, check_proposed: bool) -> None:
    """The work-stream and meeting must be the partnership's; a work-stream to establish must be a proposal."""
    errors = {}
    workstream: WorkStream | None = decision.workstream
    meeting: Meeting | None = decision.meeting
    if workstream is not None and workstream.partnership_id != decision.partnership_id:
        errors["workstream"] = "Choose a work-stream of this partnership."
    if meeting is not None and meeting.partnership_id != decision.partnership_id:
        errors["meeting"] = "Choose a meeting of this partnership."
    elif meeting is not None and meeting.workstream_id and workstream and meeting.workstream_id != workstream.pk:
        errors["meeting"] = f"That meeting belongs to {meeting.workstream}, not to {workstream}."
    if (
        not errors
        and decision.category == DecisionCategory.ESTABLISH_WORKSTREAM
        and workstream is not None
        and workstream.status != WorkStreamStatus.PROPOSED
        and check_proposed
    ):
        errors["workstream"] = (
            f"{workstream} is already {workstream.get_status_display().lower()}: "
            "only a proposed work-stream can be established."
        )
    if errors:
        raise ValidationError(errors)


def _check_publication(decision: Decision, actor, *, was_urgent: bool = False) -> None:
    """Confidentiality needs its reason and review date; only the lead marks a decision urgent. A decision the lead
    marked urgent stays open to its proposer's other changes."""
    if decision.visibility == Visibility.PUBLIC:
        decision.confidential_reason, decision.confidential_review_on = "", None
    else:
        errors = {}
        if not (decision.confidential_reason or "").strip():
            errors["confidential_reason"] = "Say why the decision is confidential."
        if decision.confidential_review_on is None:
            errors["confidential_review_on"] = "Enter when the reason for confidentiality will be reviewed."
        elif decision.confidential_review_on <= timezone.localdate():
            errors["confidential_review_on"] = "The review date must be in the future."
        if errors:
            raise ValidationError(errors)
    if decision.is_urgent and not was_urgent and not can_mark_urgent(actor, decision.partnership):
        raise ValidationError({"is_urgent": "Only the partnership lead can mark a decision urgent."})
    if not decision.is_urgent:
        decision.urgent_reason = ""


def _check_organisations(partnership: Partnership, organisations) -> list[Organisation]:
    organisations = list(organisations)
    if not organisations:
        raise ValidationError({"bound_organisations": "Choose at least one organisation the decision would bind."})
    members = set(
        Membership.objects.current()
        .filter(partnership=partnership, organisation__in=organisations)
        .values_list("organisation_id", flat=True)
    )
    outsiders = [str(organisation) for organisation in organisations if organisation.pk not in members]
    if outsiders:
        raise ValidationError(
            {"bound_organisations": f"Not current members of {partnership.name}: {', '.join(outsiders)}."}
        )
    return organisations


def full_members(partnership: Partnership):
    """The default for the organisations a decision would bind: every current full member."""
    return Organisation.objects.filter(
        pk__in=Membership.objects.current()
        .filter(partnership=partnership, kind=MembershipKind.FULL)
        .values("organisation_id")
    )


@transaction.atomic
def decision_propose(
    *,
    actor,
    partnership: Partnership,
    title: str,
    case: str,
    category: str,
    options_considered: str = "",
    reason_for_choice: str = "",
    value_pounds: Decimal | None = None,
    workstream: WorkStream | None = None,
    meeting: Meeting | None = None,
    bound_organisations=None,
    review_on: date | None = None,
    is_urgent: bool = False,
    urgent_reason: str = "",
    visibility: str = Visibility.PUBLIC,
    confidential_reason: str = "",
    confidential_review_on: date | None = None,
    engagement_activities=None,
    feedback_addressed=None,
) -> Decision:
    """Propose a decision to the board, as a draft with the next reference (members, board and lead), with the
    engagement activities that inform it and the "you said" items it answers, if any."""
    authorize(actor, partnership, Action.CONTRIBUTE)
    if meeting is not None and workstream is None and meeting.partnership_id == partnership.pk:
        workstream = meeting.workstream
    decision = Decision(
        partnership=partnership,
        proposer=actor,
        title=title,
        case=case,
        category=category,
        options_considered=options_considered,
        reason_for_choice=reason_for_choice,
        value_pounds=value_pounds,
        workstream=workstream,
        meeting=meeting,
        review_on=review_on,
        is_urgent=is_urgent,
        urgent_reason=urgent_reason,
        visibility=visibility,
        confidential_reason=confidential_reason,
        confidential_review_on=confidential_review_on,
    )
    _check_publication(decision, actor)
    organisations = _check_organisations(
        partnership, full_members(partnership) if bound_organisations is None else bound_organisations
    )
    decision.year, decision.number, decision.reference = timezone.localdate().year, 0, "pending"
    full_clean(decision, exclude=["reference", "year", "number"])
    _check_links(decision, check_proposed=True)
    evidence = check_evidence(
        partnership, engagement_activities=engagement_activities, feedback_addressed=feedback_addressed
    )
    DecisionSettings.objects.get_or_create(partnership=partnership)
    decision.number, decision.reference = _take_reference(partnership, decision.year)
    decision.save()
    decision.bound_organisations.set(organisations)
    linked = set_evidence(decision, evidence)
    audit_record(
        actor=actor,
        action="decision.proposed",
        target=decision,
        summary=f"{actor} proposed {decision.reference}: {decision.title}",
        changes=changes_between(
            {},
            {
                **snapshot(decision, DECISION_FIELDS),
                "bound_organisations": sorted(o.pk for o in organisations),
                **linked,
            },
        ),
        partnership_id=partnership.pk,
    )
    return decision


@transaction.atomic
def decision_update(
    *,
    actor,
    decision: Decision,
    bound_organisations=None,
    engagement_activities=None,
    feedback_addressed=None,
    **fields,
) -> Decision:
    """Change a decision before sign-off opens (the proposer or the lead); every change is in its history.
    The link fields left out (None) stay as they are; an empty list removes every link."""
    decision = lock_decision(decision)
    authorize_edit(actor, decision)
    before = {
        **snapshot(decision, DECISION_FIELDS),
        "bound_organisations": sorted(decision.bound_organisations.values_list("pk", flat=True)),
        **evidence_snapshot(decision),
    }
    assign_fields(decision, fields, allowed=DECISION_FIELDS)
    if "meeting" in fields and "workstream" not in fields and decision.meeting is not None:
        decision.workstream = decision.meeting.workstream or decision.workstream
    _check_publication(decision, actor, was_urgent=before["is_urgent"])
    full_clean(decision)
    _check_links(decision, check_proposed=decision.workstream_id != before["workstream"] or "category" in fields)
    evidence = check_evidence(
        decision.partnership, engagement_activities=engagement_activities, feedback_addressed=feedback_addressed
    )
    decision.save()
    decision.refresh_from_db(fields=["value_pounds"])  # as stored (250000.00), so the history compares like with like
    organisations = before["bound_organisations"]
    if bound_organisations is not None:
        chosen = _check_organisations(decision.partnership, bound_organisations)
        decision.bound_organisations.set(chosen)
        organisations = sorted(o.pk for o in chosen)
    linked = {name: before[name] for name in EVIDENCE_FIELDS} | set_evidence(decision, evidence)
    changes = changes_between(
        before, {**snapshot(decision, DECISION_FIELDS), "bound_organisations": organisations, **linked}
    )
    if changes:
        audit_record(
            actor=actor,
            action="decision.updated",
            target=decision,
            summary=f"{actor} changed {decision.reference}",
            changes=changes,
            partnership_id=decision.partnership_id,
        )
    return decision


@transaction.atomic
def decision_publication_update(
    *, actor, decision: Decision, visibility: str, confidential_reason: str = "", confidential_review_on=None
) -> Decision:
    """Make a decision public or confidential, saying why and when to review it (lead only, at any stage)."""
    authorize_change_publication(actor, decision)
    before = snapshot(decision, PUBLICATION_FIELDS)
    decision.visibility = visibility
    decision.confidential_reason = confidential_reason
    decision.confidential_review_on = confidential_review_on
    _check_publication(decision, actor, was_urgent=decision.is_urgent)
    full_clean(decision)
    decision.save(update_fields=[*PUBLICATION_FIELDS, "updated_at"])
    changes = changes_between(before, snapshot(decision, PUBLICATION_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="decision.publication_changed",
            target=decision,
            summary=f"{actor} made {decision.reference} {decision.get_visibility_display().lower()}",
            changes=changes,
            reason=decision.confidential_reason,
            partnership_id=decision.partnership_id,
        )
    return decision


@transaction.atomic
def decision_settings_update(*, actor, partnership: Partnership, **fields) -> DecisionSettings:
    """Set the partnership's decision rule (lead only). Rounds already open keep the rule they opened with."""
    return settings_update(
        DecisionSettings,
        actor=actor,
        partnership=partnership,
        fields=fields,
        allowed=SETTINGS_FIELDS,
        action="decision_settings.updated",
        summary=f"{actor} changed how {partnership.name} takes decisions",
    )
