"""The calendar feed's secret address."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.audit import audit_record

from ..models import CalendarFeed
from ..models.calendar import new_token


@transaction.atomic
def calendar_feed_reset(*, actor) -> CalendarFeed:
    """Give the person a new secret feed address; the old one stops working at once."""
    if not actor.is_authenticated or actor.pk is None:
        raise PermissionDenied("Sign in to manage your calendar feed.")
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
    if not created:
        feed.token = new_token()
        feed.save(update_fields=["token", "created_at"])
    audit_record(
        actor=actor,
        action="calendar_feed.created" if created else "calendar_feed.reset",
        target=feed,
        summary="Calendar feed address created" if created else "Calendar feed address reset",
    )
    return feed
