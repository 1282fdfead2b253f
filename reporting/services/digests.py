"""Board digests: building one, asking the background worker to build one, and the lead's schedule.

One digest per partnership and period, held by the database's unique constraint: whoever comes first (the
schedule's task, a retry after a crash, a second worker, the lead's "build now", the management command) creates
the row; everyone else finds it, waits for its lock, and sees it built. Building a built digest changes nothing and
queues no email, so nothing is sent twice.
"""

from datetime import date
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.broker import broker_status
from core.services import full_clean, person, queue_after_commit
from partnerships.models import Partnership

from ..access import authorize_manage_digests
from ..models import Digest, DigestSchedule, DigestStatus, period_for
from ..selectors.digests import digest_content

SCHEDULE_FIELDS = ["frequency", "weekday", "hour"]


def _checked_period_end(period_end: date | None) -> date:
    today = timezone.localdate()
    period_end = period_end or today
    if period_end > today:
        raise ValidationError({"period_end": "A digest cannot be built for a day that has not come yet."})
    return period_end


def _reserve(partnership: Partnership, period_end: date, *, actor, send_email: bool) -> tuple[Digest, bool]:
    """The digest row of the period, created queued if there is none. A concurrent creator's row wins the unique
    constraint; get_or_create then reads it, so both callers hold the same digest."""
    period_start, period_end = period_for(period_end)
    return Digest.objects.get_or_create(
        partnership=partnership,
        period_end=period_end,
        defaults={"period_start": period_start, "requested_by": person(actor), "send_email": send_email},
    )


def digest_build(*, actor, partnership: Partnership, period_end: date | None = None, send_email: bool = True) -> Digest:
    """Build the partnership's digest for the seven days to `period_end` (today by default) and store what it says;
    once committed, queue its emails to the board (unless `send_email` is false). Safe to run again: a digest
    already built is returned as it is. The lead, or the system (tasks, commands)."""
    authorize_manage_digests(actor, partnership)
    period_end = _checked_period_end(period_end)
    with transaction.atomic():
        reserved, _ = _reserve(partnership, period_end, actor=actor, send_email=send_email)
        digest = Digest.objects.select_for_update().select_related("partnership").get(pk=reserved.pk)
        if digest.is_built:
            return digest
        digest.content = digest_content(partnership, digest.period_start, digest.period_end)
        digest.status, digest.built_at = DigestStatus.BUILT, timezone.now()
        digest.send_email = digest.send_email and send_email
        digest.save(update_fields=["content", "status", "built_at", "send_email", "updated_at"])
        audit_record(
            actor=actor,
            action="digest.built",
            target=digest,
            summary=f"The board digest of {partnership.code} for {digest.period_end:%d %B %Y} was built",
            partnership_id=partnership.pk,
        )
        if digest.send_email:
            queue_after_commit("reporting.tasks.email_digest", digest.pk)
    return digest


def digest_request(*, actor, partnership: Partnership) -> tuple[Digest, bool]:
    """The lead's "build digest now", through the background worker: reserve today's digest, queued, and queue its
    build after commit. Returns the digest and whether this call queued it (False: today's already existed)."""
    authorize_manage_digests(actor, partnership)
    with transaction.atomic():
        digest, created = _reserve(partnership, _checked_period_end(None), actor=actor, send_email=True)
        if created:
            audit_record(
                actor=actor,
                action="digest.requested",
                target=digest,
                summary=f"{actor} asked for the board digest of {partnership.code} to be built now",
                partnership_id=partnership.pk,
            )
            queue_after_commit("reporting.tasks.build_digest", partnership.pk, digest.period_end.isoformat())
    return digest, created


class BuildNow(StrEnum):
    """What "Build digest now" did."""

    ALREADY_BUILT = "already_built"
    QUEUED = "queued"
    ALREADY_QUEUED = "already_queued"
    BUILT_HERE = "built_here"  # the broker did not answer: built in the request, its emails wait for the worker


def digest_build_now(*, actor, partnership: Partnership) -> tuple[Digest, BuildNow]:
    """The lead's "Build digest now": today's digest if it is built; else queued for the worker; else, when the
    broker does not answer, built here and now (it takes a fixed, small number of queries)."""
    authorize_manage_digests(actor, partnership)
    today = Digest.objects.filter(partnership=partnership, period_end=timezone.localdate()).first()
    if today is not None and today.is_built:
        return today, BuildNow.ALREADY_BUILT
    if broker_status() == "ok":
        digest, created = digest_request(actor=actor, partnership=partnership)
        return digest, BuildNow.QUEUED if created else BuildNow.ALREADY_QUEUED
    return digest_build(actor=actor, partnership=partnership), BuildNow.BUILT_HERE


@transaction.atomic
def digest_schedule_update(*, actor, partnership: Partnership, frequency: str, weekday: int, hour: int):
    """Set when the partnership's digest is built and emailed: weekly on a day and hour, or off (lead only). A new
    time counts from its next occurrence: the beat task never builds a digest for a time set after it passed."""
    authorize_manage_digests(actor, partnership)
    schedule = DigestSchedule.objects.select_for_update().filter(partnership=partnership).first()
    schedule = schedule or DigestSchedule(partnership=partnership)  # the default until first changed
    before = snapshot(schedule, SCHEDULE_FIELDS)
    schedule.frequency, schedule.weekday, schedule.hour = frequency, weekday, hour
    full_clean(schedule)
    changes = changes_between(before, snapshot(schedule, SCHEDULE_FIELDS))
    if changes:  # saving only a change keeps `updated_at` the time of the last real change (see due_period_end)
        schedule.save()
        audit_record(
            actor=actor,
            action="digest_schedule.updated",
            target=schedule,
            summary=f"{actor} set the board digest of {partnership.code} to: {schedule.description}",
            changes=changes,
            partnership_id=partnership.pk,
        )
    return schedule
