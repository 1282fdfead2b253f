"""A person's meetings as an iCalendar feed (RFC 5545), for their calendar app to subscribe to."""

from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from ..access import meetings_attended_by
from ..models import MeetingStatus

FEED_PAST = timedelta(days=365)


def feed_for(user, request=None) -> bytes:
    """The person's meetings from a year ago onwards, in one query, as iCalendar bytes."""
    calendar = Calendar()
    calendar.add("prodid", "-//STP Portal//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "STP Portal meetings")
    now = timezone.now()
    meetings = (
        meetings_attended_by(user)
        .filter(starts_at__gte=now - FEED_PAST)
        .select_related("partnership", "workstream")
        .order_by("starts_at")
    )
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@stp-portal")
        event.add("dtstamp", meeting.updated_at.astimezone(UTC))
        event.add("dtstart", meeting.starts_at.astimezone(UTC))
        event.add("dtend", meeting.ends_at.astimezone(UTC))
        event.add("summary", meeting.title)
        event.add("location", meeting.place or meeting.link)
        address = settings.SITE_URL + meeting.get_absolute_url()
        if request is not None:
            address = request.build_absolute_uri(meeting.get_absolute_url())
        event.add("url", address)
        description = [f"{meeting.group_name}, {meeting.partnership.name}.", f"Details and papers: {address}"]
        if meeting.link:
            description.append(f"Join online: {meeting.link}")
        event.add("description", "\n".join(description))
        event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
