"""Decision emails and sign-off deadlines. Emails are sent once each, however often a task is retried
(`core.emails.send_once`)."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from core.audit import SYSTEM

from .models import Decision, DecisionStatus
from .services import notifications

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": 30, "retry_jitter": True, "max_retries": 8}


@shared_task(**RETRY)
def notify_signoff_opened(round_id: int) -> int:
    """Ask each signatory to sign; queued when sign-off opens or a decision is reopened."""
    return notifications.send_signoff_opened(round_id)


@shared_task(**RETRY)
def notify_decision_outcome(round_id: int) -> int:
    """Tell everyone who may read the decision how its sign-off ended."""
    return notifications.send_outcome(round_id)


@shared_task(**RETRY)
def notify_withdrawal_requested(withdrawal_id: int) -> int:
    """Ask the partnership's leads to confirm or decline a request to withdraw a declared conflict."""
    return notifications.send_withdrawal_requested(withdrawal_id)


@shared_task(**RETRY)
def notify_withdrawal_answered(withdrawal_id: int) -> int:
    """Tell the person who asked how the lead answered their request to withdraw a conflict."""
    return notifications.send_withdrawal_answered(withdrawal_id)


@shared_task(**RETRY)
def send_signoff_reminders() -> int:
    """Hourly (beat): remind signatories whose organisation has not signed, shortly before sign-off closes."""
    return sum(notifications.send_reminders_for(round_) for round_ in notifications.rounds_due_a_reminder())


@shared_task
def close_overdue_signoffs() -> int:
    """Hourly (beat): apply the rule to rounds whose deadline has passed. One decision's failure does not stop
    the others; the next run tries it again."""
    from .services import signoff_close_at_deadline

    overdue = Decision.objects.filter(
        status=DecisionStatus.IN_SIGNOFF, current_round__closes_at__lt=timezone.now()
    ).values_list("pk", flat=True)
    closed = 0
    for decision in Decision.objects.filter(pk__in=list(overdue)):
        try:
            closed += signoff_close_at_deadline(actor=SYSTEM, decision=decision) is not None
        except Exception:
            logger.exception("Could not close sign-off on decision %s", decision.pk)
    return closed
