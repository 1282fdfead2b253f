"""Board digests in the background: every quarter of an hour beat asks which digests are due and queues them; each
is built by one service call and emailed once to each board member. Every task takes ids and is safe to run twice.
"""

import logging
from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from core.audit import SYSTEM
from partnerships.models import Partnership

from .selectors import digest_delivery
from .services import emails

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": 30, "retry_jitter": True, "max_retries": 8}


@shared_task
def queue_due_digests() -> int:
    """Every 15 minutes (beat): queue the digests whose time has passed with none built — including those missed
    while no worker ran — and again any queued build or email whose task was lost. Returns how many it queued."""
    now = timezone.now()
    queued = 0
    for partnership_id, period_end in digest_delivery.digests_due(now) + digest_delivery.digests_to_build_again(now):
        build_digest.delay(partnership_id, period_end.isoformat())
        queued += 1
    for digest_id in digest_delivery.digests_to_email_again(now):
        email_digest.delay(digest_id)
        queued += 1
    return queued


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def build_digest(partnership_id: int, period_end_iso: str) -> int | None:
    """Build one partnership's digest for a period (the service queues its emails). Returns the digest's id."""
    from .services.digests import digest_build

    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None:  # deleted since it was queued
        return None
    return digest_build(actor=SYSTEM, partnership=partnership, period_end=date.fromisoformat(period_end_iso)).pk


@shared_task(**RETRY)
def email_digest(digest_id: int) -> int:
    """Email each board member their copy of the digest, once each however often this runs."""
    return emails.send_digest(digest_id)


@shared_task
def build_export(export_id: int) -> int | None:
    """Build the archive of a partnership's complete record that its lead asked for, storing progress as it goes."""
    from .services.exports import export_build

    export = export_build(export_id)
    return export.pk if export else None


@shared_task(**RETRY)
def email_export_ready(export_id: int) -> bool:
    """Tell the lead who asked for it that the archive is ready, with the link to download it; once."""
    return emails.send_export_ready(export_id)


@shared_task
def expire_exports() -> int:
    """Hourly (beat): delete the archives whose days are up."""
    from .services.exports import exports_expire

    return exports_expire()
