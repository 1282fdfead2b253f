"""Emails to organisations' administrators and to the leads who propose corrections. Each is sent once, however often
a task is retried (`core.emails.send_once`)."""

from smtplib import SMTPException

from celery import shared_task

from .services import notifications

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": 30, "retry_jitter": True, "max_retries": 8}


@shared_task(**RETRY)
def notify_organisation_listed(membership_id: int) -> int:
    """Tell an organisation's administrators that a partnership now lists their organisation."""
    return notifications.send_organisation_listed(membership_id)


@shared_task(**RETRY)
def notify_delegation_to_confirm(delegation_id: int) -> int:
    """Ask an organisation's administrators to confirm a delegation a partnership lead recorded for it."""
    return notifications.send_delegation_to_confirm(delegation_id)


@shared_task(**RETRY)
def notify_affiliation_to_confirm(partnership_id: int, user_id: int) -> int:
    """Ask an organisation's administrators to confirm that a person represents it in a partnership."""
    return notifications.send_affiliation_to_confirm(partnership_id, user_id)


@shared_task(**RETRY)
def notify_correction_proposed(correction_id: int) -> int:
    """Ask an organisation's administrators to accept or decline a correction to its record."""
    return notifications.send_correction_proposed(correction_id)


@shared_task(**RETRY)
def notify_correction_answered(correction_id: int) -> int:
    """Tell the lead who proposed a correction how the organisation answered it."""
    return notifications.send_correction_answered(correction_id)
