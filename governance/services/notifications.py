"""Decision emails: sign-off opened, a reminder before the deadline, and the outcome. Sent by Celery tasks, each
email at most once (`core.emails.send_once`, under the key `<kind>:<round>:<person>`)."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from core.emails import Email, send_each
from partnerships.models import PartnershipRole, Role

from ..access import CONFIDENTIAL_ROLES
from ..models import Decision, DecisionStatus, DeclarationWithdrawal, SignOffRound, Visibility
from ..selectors.rule import evaluate
from ..selectors.validity import OrganisationState, validity_for

# The hourly task reminds signatories whose organisation has not signed this long before sign-off closes.
REMINDER_HOURS = 48


def _link(decision: Decision) -> str:
    return f"{settings.SITE_URL}{decision.get_absolute_url()}"


def _render(template: str, **context) -> str:
    return render_to_string(f"governance/email/{template}.txt", context)


def _load_round(round_id: int) -> SignOffRound | None:
    return (
        SignOffRound.objects.select_related("decision__partnership", "decision__current_round", "opened_by")
        .filter(pk=round_id)
        .first()
    )


def _readers(decision: Decision) -> set[int]:
    """Who may read the decision in full (see access.py): everyone with a role if it is public; the board-level
    roles and the proposer if it is confidential."""
    return {user.pk for user in outcome_recipients(decision)}


def _email_awaiting_signatories(round_: SignOffRound, *, kind: str, subject: str) -> int:
    """Email each signatory who may read the decision, of each organisation that has not signed in this round, once
    per person per round (the key `<kind>:<round>:<person>`); the text is `governance/email/<kind>.txt`. A signatory
    for two organisations hears about the first."""
    decision = round_.decision
    readers = _readers(decision)
    organisations = {}  # each signatory's organisation, in the order of the validity table
    for row in validity_for(decision, round_).rows:
        if row.state == OrganisationState.AWAITING_SIGNOFF:
            for signatory in row.signatories:
                if signatory.user.pk in readers:
                    organisations.setdefault(signatory.user, row.organisation)

    def compose(recipient) -> Email:
        body = _render(
            kind,
            recipient=recipient,
            decision=decision,
            round=round_,
            organisation=organisations[recipient],
            link=_link(decision),
        )
        return Email(subject, body)

    return send_each(organisations, key=f"{kind}:{round_.pk}", compose=compose)


def send_signoff_opened(round_id: int) -> int:
    """Ask every signatory of every organisation to sign. Returns how many emails this run sent."""
    round_ = _load_round(round_id)
    if round_ is None or round_.decision.current_round_id != round_.pk or round_.closed_at is not None:
        return 0
    subject = f"Sign-off needed: {round_.decision.reference} {round_.decision.title}"
    return _email_awaiting_signatories(round_, kind="signoff_opened", subject=subject)


def send_reminders_for(round_: SignOffRound) -> int:
    """Remind the signatories of organisations that have not signed yet; once per person per round."""
    subject = f"Reminder: sign-off closes soon on {round_.decision.reference}"
    return _email_awaiting_signatories(round_, kind="signoff_reminder", subject=subject)


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
    subject = f"{decision.reference} {round_.get_outcome_display().lower()}: {decision.title}"

    def compose(recipient) -> Email:
        body = _render(
            "outcome",
            recipient=recipient,
            decision=decision,
            validity=validity,
            outcome=round_.get_outcome_display(),
            explanation=explanation,
            link=_link(decision),
        )
        return Email(subject, body)

    return send_each(outcome_recipients(decision), key=f"outcome:{round_.pk}", compose=compose)


def _load_withdrawal(withdrawal_id: int) -> DeclarationWithdrawal | None:
    return (
        DeclarationWithdrawal.objects.select_related("declaration__person", "declaration__decision", "decided_by")
        .filter(pk=withdrawal_id)
        .first()
    )


def send_withdrawal_requested(withdrawal_id: int) -> int:
    """Ask the partnership's leads (but not the person asking) to confirm or decline a request to withdraw a
    declared conflict: until one of them answers, the person stays recused."""
    withdrawal = _load_withdrawal(withdrawal_id)
    if withdrawal is None:
        return 0
    declaration = withdrawal.declaration
    decision = declaration.decision
    leads = (
        grant.user
        for grant in PartnershipRole.objects.filter(
            content_object_id=decision.partnership_id, permission__codename=Role.LEAD, user__is_active=True
        )
        .exclude(user=declaration.person)
        .select_related("user")
        .order_by("user_id")
    )
    subject = f"Conflict withdrawal to confirm: {decision.reference}"

    def compose(recipient) -> Email:
        body = _render(
            "withdrawal_requested",
            recipient=recipient,
            withdrawal=withdrawal,
            decision=decision,
            link=f"{_link(decision)}#interests",
        )
        return Email(subject, body)

    return send_each(leads, key=f"withdrawal-requested:{withdrawal.pk}", compose=compose)


def send_withdrawal_answered(withdrawal_id: int) -> int:
    """Tell the person who asked whether the lead confirmed or declined the withdrawal of their conflict."""
    withdrawal = _load_withdrawal(withdrawal_id)
    if withdrawal is None or withdrawal.decided_by_id is None:
        return 0
    decision = withdrawal.declaration.decision
    subject = f"Your conflict on {decision.reference}: withdrawal {withdrawal.get_status_display().lower()}"

    def compose(recipient) -> Email:
        body = _render(
            "withdrawal_answered", recipient=recipient, withdrawal=withdrawal, decision=decision, link=_link(decision)
        )
        return Email(subject, body)

    return send_each([withdrawal.declaration.person], key=f"withdrawal-answered:{withdrawal.pk}", compose=compose)
