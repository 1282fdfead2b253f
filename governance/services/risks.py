"""Raising, changing and closing risks; reviews are in `risk_reviews`.

Every service checks the actor's right to act, validates, writes in one transaction with its audit record, and
keeps the score history: a row when the risk is raised and one for every review. Pages, the API and the demo data
all come through here.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean, person, require_text
from partnerships.access import Action, authorize, can
from partnerships.models import Membership, Organisation, Partnership
from workstreams.models import Action as WorkStreamAction
from workstreams.models import WorkStream

from ..access import authorize_change_risk, authorize_link_decisions
from ..models import (
    Decision,
    ReviewFrequency,
    Risk,
    RiskDomain,
    RiskScoreChange,
    RiskSettings,
    RiskStatus,
    RiskTier,
    add_months,
)

# What `risk_update` may change. The current score changes only by a review, so each change has its reviewer.
RISK_FIELDS = [
    "title",
    "cause",
    "event",
    "effect",
    "domain",
    "source",
    "tier",
    "workstream",
    "organisation",
    "owner",
    "overseen_by",
    "objective",
    "controls",
    "assurances",
    "control_gaps",
    "assurance_gaps",
    "target_likelihood",
    "target_consequence",
    "target_on",
    "review_every",
    "next_review_on",
]
SCORE_LIMITS = {
    "likelihood": "a whole number from 1 (rare) to 5 (almost certain)",
    "consequence": "a whole number from 1 (negligible) to 5 (catastrophic)",
}


def check_scores(**scores) -> None:
    """Each likelihood and consequence must be a whole number from 1 to 5, named as the caller named it."""
    errors = {}
    for name, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            kind = "consequence" if name.endswith("consequence") else "likelihood"
            errors[name] = f"The {name.replace('_', ' ')} must be {SCORE_LIMITS[kind]}."
    if errors:
        raise ValidationError(errors)


def _check_links(risk: Risk) -> None:
    """The domain, work-stream, organisation and owner must belong to the risk's partnership."""
    partnership = risk.partnership
    errors = {}
    domain: RiskDomain | None = risk.domain
    if domain is not None and domain.partnership_id not in (None, partnership.pk):
        errors["domain"] = "Choose a risk domain of this partnership."
    workstream: WorkStream | None = risk.workstream
    if risk.tier == RiskTier.WORKSTREAM and workstream is None:
        errors["workstream"] = "Choose the work-stream whose risk it is."
    elif workstream is not None and workstream.partnership_id != partnership.pk:
        errors["workstream"] = "Choose a work-stream of this partnership."
    organisation: Organisation | None = risk.organisation
    if risk.tier == RiskTier.ORGANISATION and organisation is None:
        errors["organisation"] = "Choose the organisation whose risk it is."
    elif (
        organisation is not None
        and not Membership.objects.current().filter(partnership=partnership, organisation=organisation).exists()
    ):
        errors["organisation"] = f"{organisation} is not a current member of {partnership.name}."
    if risk.owner_id is not None and not can(risk.owner, partnership, Action.CONTRIBUTE):
        errors["owner"] = (
            "Choose an owner who is a member, board member, non-executive or the lead of this partnership."
        )
    if errors:
        raise ValidationError(errors)
    # A risk names only what its tier needs: a partnership risk no work-stream, a work-stream risk no organisation.
    if risk.tier != RiskTier.WORKSTREAM:
        risk.workstream = None
    if risk.tier != RiskTier.ORGANISATION:
        risk.organisation = None


def _check_target(risk: Risk) -> None:
    current = risk.current_likelihood * risk.current_consequence
    target = risk.target_likelihood * risk.target_consequence
    if target > current:
        raise ValidationError(
            {"target_likelihood": f"The target score ({target}) cannot be higher than the score now ({current})."}
        )


def _check_actions(partnership: Partnership, actions) -> list[WorkStreamAction]:
    actions = list(actions)
    strangers = [action for action in actions if action.partnership_id != partnership.pk]
    if strangers:
        raise ValidationError({"actions": "Choose actions of this partnership's work-streams or board."})
    return actions


def _check_decisions(actor, risk: Risk, decisions, *, linked: frozenset[int] = frozenset()) -> list[Decision]:
    """The decisions to link: the partnership's, and those not `linked` already must be the actor's to link."""
    decisions = list(decisions)
    strangers = [decision for decision in decisions if decision.partnership_id != risk.partnership_id]
    if strangers:
        raise ValidationError({"decisions": "Choose decisions of this partnership."})
    authorize_link_decisions(actor, risk, [decision for decision in decisions if decision.pk not in linked])
    return decisions


def _take_reference(partnership: Partnership) -> tuple[int, str]:
    """The register's next number, under a lock on the partnership's risk settings: like decision references,
    no gaps (it rolls back with the risk) and no duplicates (a second person raising a risk waits)."""
    RiskSettings.objects.get_or_create(partnership=partnership)
    settings = RiskSettings.objects.select_for_update().get(partnership=partnership)
    settings.last_number += 1
    settings.save(update_fields=["last_number"])
    return settings.last_number, f"{partnership.code}-R-{settings.last_number:03d}"


def lock_risk(risk: Risk) -> Risk:
    """The risk row, locked until the transaction ends and read again: two reviews at once are serialised."""
    return (
        Risk.objects.select_for_update(of=("self",))
        .select_related("partnership", "domain", "workstream", "organisation", "owner")
        .get(pk=risk.pk)
    )


def _links_snapshot(risk: Risk) -> dict:
    return {
        "actions": sorted(risk.actions.values_list("pk", flat=True)),
        "decisions": sorted(risk.decisions.values_list("pk", flat=True)),
    }


@transaction.atomic
def risk_raise(
    *,
    actor,
    partnership: Partnership,
    title: str,
    cause: str,
    event: str,
    effect: str,
    domain: RiskDomain,
    owner,
    overseen_by: str,
    objective: str,
    likelihood: int,
    consequence: int,
    target_likelihood: int,
    target_consequence: int,
    tier: str = RiskTier.PARTNERSHIP,
    source: str = "internal",
    workstream: WorkStream | None = None,
    organisation: Organisation | None = None,
    controls: str = "",
    assurances: str = "",
    control_gaps: str = "",
    assurance_gaps: str = "",
    target_on: date | None = None,
    review_every: int = ReviewFrequency.QUARTERLY,
    next_review_on: date | None = None,
    actions=(),
    decisions=(),
) -> Risk:
    """Raise a risk on the register (members, non-executives, board members and the lead), with the next reference
    and its first assessment in the score history."""
    authorize(actor, partnership, Action.CONTRIBUTE)
    check_scores(
        likelihood=likelihood,
        consequence=consequence,
        target_likelihood=target_likelihood,
        target_consequence=target_consequence,
    )
    today = timezone.localdate()
    risk = Risk(
        partnership=partnership,
        title=title,
        cause=cause,
        event=event,
        effect=effect,
        domain=domain,
        source=source,
        tier=tier,
        workstream=workstream,
        organisation=organisation,
        owner=owner,
        overseen_by=overseen_by,
        objective=objective,
        controls=controls,
        assurances=assurances,
        control_gaps=control_gaps,
        assurance_gaps=assurance_gaps,
        initial_likelihood=likelihood,
        initial_consequence=consequence,
        current_likelihood=likelihood,
        current_consequence=consequence,
        target_likelihood=target_likelihood,
        target_consequence=target_consequence,
        target_on=target_on,
        review_every=review_every,
        raised_by=person(actor),
    )
    _check_links(risk)
    _check_target(risk)
    risk.next_review_on = next_review_on or today  # until the frequency is checked
    risk.number, risk.reference = 0, "pending"
    full_clean(risk, exclude=["number", "reference"])
    if next_review_on is None:
        risk.next_review_on = add_months(today, risk.review_every)
    elif next_review_on < today:
        raise ValidationError({"next_review_on": "The next review date must be today or later."})
    actions = _check_actions(partnership, actions)
    decisions = _check_decisions(actor, risk, decisions)
    risk.number, risk.reference = _take_reference(partnership)
    risk.save()
    risk.refresh_from_db(fields=["initial_score", "current_score", "target_score"])
    risk.actions.set(actions)
    risk.decisions.set(decisions, through_defaults={"linked_by": person(actor)})
    RiskScoreChange.objects.create(
        risk=risk,
        changed_on=today,
        changed_by=person(actor),
        likelihood=likelihood,
        consequence=consequence,
        reason="Raised: the first assessment.",
    )
    audit_record(
        actor=actor,
        action="risk.raised",
        target=risk,
        summary=f"{actor} raised {risk.reference}: {risk.title}, scoring {risk.current_score}",
        changes=changes_between({}, {**snapshot(risk, RISK_FIELDS), **_links_snapshot(risk)}),
        partnership_id=partnership.pk,
    )
    return risk


@transaction.atomic
def risk_update(*, actor, risk: Risk, actions=None, decisions=None, reason: str = "", **fields) -> Risk:
    """Change what a risk says, who owns it, its target or its review plan (its owner, its work-stream's group or
    the lead). The current score changes only by a review."""
    risk = lock_risk(risk)
    authorize_change_risk(
        actor, risk, when_closed="A closed risk cannot be changed. Raise a new risk if it has come back."
    )
    before = {**snapshot(risk, RISK_FIELDS), **_links_snapshot(risk)}
    if decisions is not None:  # asked of the risk as it was, which the actor may change: a new owner comes after
        decisions = _check_decisions(actor, risk, decisions, linked=frozenset(before["decisions"]))
    assign_fields(risk, fields, allowed=RISK_FIELDS)
    if "next_review_on" in fields and fields["next_review_on"] is None:
        raise ValidationError({"next_review_on": "Enter the next review date."})
    targets = {name: fields[name] for name in ("target_likelihood", "target_consequence") if name in fields}
    check_scores(**targets)
    _check_links(risk)
    if targets:
        _check_target(risk)
    full_clean(risk)
    if "next_review_on" in fields and risk.next_review_on < timezone.localdate():
        raise ValidationError({"next_review_on": "The next review date must be today or later."})
    if actions is not None:
        actions = _check_actions(risk.partnership, actions)
    risk.save()
    risk.refresh_from_db(fields=["target_score"])
    if actions is not None:
        risk.actions.set(actions)
    if decisions is not None:
        risk.decisions.set(decisions, through_defaults={"linked_by": person(actor)})
    changes = changes_between(before, {**snapshot(risk, RISK_FIELDS), **_links_snapshot(risk)})
    if changes:
        audit_record(
            actor=actor,
            action="risk.updated",
            target=risk,
            summary=f"{actor} changed {risk.reference}",
            changes=changes,
            reason=(reason or "").strip(),
            partnership_id=risk.partnership_id,
        )
    return risk


@transaction.atomic
def risk_close(*, actor, risk: Risk, reason: str) -> Risk:
    """Close a risk that has passed or is now managed elsewhere (its owner, its work-stream's group or the lead).
    It leaves the open register, heat map and board list; its record and history stay."""
    risk = lock_risk(risk)
    authorize_change_risk(actor, risk, when_closed="This risk is already closed.")
    reason = require_text(reason, field="reason", message="Say why the risk is closed.")
    risk.status, risk.closed_on, risk.closed_reason = RiskStatus.CLOSED, timezone.localdate(), reason
    full_clean(risk)
    risk.save(update_fields=["status", "closed_on", "closed_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="risk.closed",
        target=risk,
        summary=f"{actor} closed {risk.reference}",
        changes={"status": [RiskStatus.OPEN, RiskStatus.CLOSED]},
        reason=reason,
        partnership_id=risk.partnership_id,
    )
    return risk
