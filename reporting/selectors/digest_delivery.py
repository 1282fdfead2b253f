"""When digests are due, which builds and emails to try again, and who receives a partnership's digest.

Due: a partnership's latest scheduled moment has passed and no digest exists for its day. The beat task asks every
quarter of an hour, so a digest whose moment passed while no worker ran (or the broker was down) is built on the
first run after they return. Only the latest missed digest is built: a board back from a three-week outage wants
this week's digest, not three.
"""

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery

from governance.access import CONFIDENTIAL_ROLES
from partnerships.models import Organisation, Partnership, PartnershipRole

from ..models import Digest, DigestSchedule, DigestStatus

User = get_user_model()

# A digest queued (or built but not emailed) this long ago has lost its task — a worker died, or the broker could
# not take it — so the beat task queues it again. Tasks are idempotent, so a slow one queued twice does no harm.
STALE_AFTER = timedelta(minutes=10)


def digests_due(now: datetime) -> list[tuple[int, date]]:
    """(partnership id, period end) of every digest the schedules ask for and nobody has made yet. Three queries."""
    schedules = {schedule.partnership_id: schedule for schedule in DigestSchedule.objects.all()}
    wanted = []
    for partnership_id in Partnership.objects.order_by("pk").values_list("pk", flat=True):
        schedule = schedules.get(partnership_id) or DigestSchedule(partnership_id=partnership_id)
        period_end = schedule.due_period_end(now)
        if period_end is not None:
            wanted.append((partnership_id, period_end))
    if not wanted:
        return []
    existing = set(
        Digest.objects.filter(
            partnership_id__in=[partnership_id for partnership_id, _ in wanted],
            period_end__in={period_end for _, period_end in wanted},
        ).values_list("partnership_id", "period_end")
    )
    return [key for key in wanted if key not in existing]


def digests_to_build_again(now: datetime) -> list[tuple[int, date]]:
    """Digests queued more than STALE_AFTER ago and still not built."""
    return list(
        Digest.objects.filter(status=DigestStatus.QUEUED, created_at__lt=now - STALE_AFTER)
        .order_by("pk")
        .values_list("partnership_id", "period_end")
    )


def digests_to_email_again(now: datetime) -> list[int]:
    """Digests built more than STALE_AFTER ago whose emails have not all gone."""
    return list(
        Digest.objects.filter(
            status=DigestStatus.BUILT, send_email=True, emailed_at__isnull=True, built_at__lt=now - STALE_AFTER
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digest_recipients(partnership: Partnership) -> list:
    """The board: the partnership lead, board members and non-executive members, each once, with an email address
    and the organisation they represent in the partnership (`represented_organisation`: their roles' affiliation).
    They may all read confidential decisions, so every copy is complete. Two queries."""
    affiliation = PartnershipRole.objects.filter(content_object=partnership, user=OuterRef("pk")).order_by("pk")
    recipients = list(
        User.objects.filter(
            is_active=True,
            partnershiprole__content_object=partnership,
            partnershiprole__permission__codename__in=CONFIDENTIAL_ROLES,
        )
        .filter(~Q(email=""))
        .annotate(represented_organisation_id=Subquery(affiliation.values("organisation_id")[:1]))
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    organisations = Organisation.objects.in_bulk({user.represented_organisation_id for user in recipients} - {None})
    for user in recipients:
        user.represented_organisation = organisations.get(user.represented_organisation_id)
    return recipients
