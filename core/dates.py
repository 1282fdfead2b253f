"""Days as moments: where a day starts and ends in the service's time zone, for filters and counts by date."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def start_of_day(day: date) -> datetime:
    """The first moment of the day, where the service runs (a "from" date)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime | None:
    """The first moment after the day (an "up to and including" date), or None after the last day there can be."""
    return start_of_day(day + timedelta(days=1)) if day < date.max else None
