"""Decision emails: sign-off opened, a reminder before the deadline, and the outcome. Sent by Celery tasks, each
email at most once (`core.emails.send_once`, under the key `<kind>:<round>:<person>`)."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from core.emails import send_once
from partnerships.models import PartnershipRole

from ..access import CONFIDENTIAL_ROLES
from ..models import Decision, DecisionStatus, SignOffRound, Visibility
from ..selectors.validity import OrganisationState, evaluate, validity_for

# The hourly task reminds signatories whose organisation has not signed this long before sign-off closes.
REMINDER_HOURS = 48


def _link(decision: Decision) -> str:
    return f"{settings.SITE_URL}{decision.get_absolute_url()}"


def _render(template: str, **context) -> str:
    return render_to_string(f"governance/email/{template}.txt", context)


def _load_round(round_id: int) -> SignOffRound | None:
    return (
        SignOffRound.objects.select_related("decision__partnership", "decision__current_round")
        .filter(pk=round_id)
        .first()
    )


def _readers(decision: Decision) -> set[int]:
    """Who may read the decision in full (see access.py): everyone with a role if it is public; the board-level
    roles and the proposer if it is confidential."""
    return {user.pk for user in outcome_recipients(decision)}


def send_signoff_opened(round_id: int) -> int:
    """Ask every signatory of every organisation to sign. Returns how many emails this run sent."""
    round_ = _load_round(round_id)
    if round_ is None or round_.decision.current_round_id != round_.pk or round_.closed_at is not None:
        return 0
    decision = round_.decision
    readers, sent = _readers(decision), 0
    for row in validity_for(decision, round_).rows:
        if row.state != OrganisationState.AWAITING_SIGNOFF:
            continue
        for signatory in (s for s in row.signatories if s.user.pk in readers):
            sent += send_once(
                key=f"signoff_opened:{round_.pk}:{signatory.user.pk}",
                recipient=signatory.user,
                subject=f"Sign-off needed: {decision.reference} {decision.title}",
                body=_render(
                    "signoff_opened",
                    recipient=signatory.user,
                    decision=decision,
                    round=round_,
                    organisation=row.organisation,
                    link=_link(decision),
                ),
            )
    return sent


def send_reminders_for(round_: SignOffRound) -> int:
    """Remind the signatories of organisations that have not signed yet; once per person per round."""
    decision = round_.decision
    readers, sent = _readers(decision), 0
    for row in validity_for(decision, round_).rows:
        if row.state != OrganisationState.AWAITING_SIGNOFF:
            continue
        for signatory in (s for s in row.signatories if s.user.pk in readers):
            sent += send_once(
                key=f"signoff_reminder:{round_.pk}:{signatory.user.pk}",
                recipient=signatory.user,
                subject=f"Reminder: sign-off closes soon on {decision.reference}",
                body=_render(
                    "signoff_reminder",
                    recipient=signatory.user,
                    decision=decision,
                    round=round_,
                    organisation=row.organisation,
                    link=_link(decision),
                ),
            )
    return sent


def rounds_due_a_reminder(now=None):
    """Open rounds whose deadline falls within the next REMINDER_HOURS."""
    now = now or timezone.now()
    return SignOffRound.objects.filter(
        closed_at__isnull=True,
        decision__status=DecisionStatus.IN_SIGNOFF,
        closes_at__gt=now,
        closes_at__lte=now + timedelta(hours=REMINDER_HOURS),
    ).select_related("decision__partnership", "decision__current_round")


def outcome_recipients(decision: Decision) -> list:
    """Everyone in the partnership who may read the decision: all roles if it is public; the board-level roles
    and the proposer if it is confidential."""
    grants = PartnershipRole.objects.filter(content_object_id=decision.partnership_id).select_related(
        "user", "permission"
    )
    roles: dict[int, set[str]] = defaultdict(set)
    people = {}
    for grant in grants:
        roles[grant.user_id].add(grant.permission.codename)
        people[grant.user_id] = grant.user
    return [
        user
        for user_id, user in sorted(people.items())
        if user.is_active
        and (
            decision.visibility == Visibility.PUBLIC
            or roles[user_id] & CONFIDENTIAL_ROLES
            or user_id == decision.proposer_id
        )
    ]


def send_outcome(round_id: int) -> int:
    """Tell everyone who may read the decision how sign-off ended."""
    round_ = _load_round(round_id)
    if round_ is None or not round_.outcome:
        return 0
    decision = round_.decision
    validity = validity_for(decision, round_)
    explanation = evaluate(round_, validity.tally, at_deadline=True).explanation
    sent = 0
    for recipient in outcome_recipients(decision):
        sent += send_once(
            key=f"outcome:{round_.pk}:{recipient.pk}",
            recipient=recipient,
            subject=f"{decision.reference} {round_.get_outcome_display().lower()}: {decision.title}",
            body=_render(
                "outcome",
                recipient=recipient,
                decision=decision,
                validity=validity,
                outcome=round_.get_outcome_display(),
                explanation=explanation,
                link=_link(decision),
            ),
        )
    return sent
