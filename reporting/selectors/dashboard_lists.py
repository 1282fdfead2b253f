"""The lists behind the dashboard's figures that no register of their own offers: every action of the partnership
(the work-stream logs show one work-stream's), people's attendance over the year, and the year's agenda items.
Each is a queryset for a paginated page: two queries (a count and a page), however long the list."""

from datetime import date

from django.db.models import QuerySet

from partnerships.models import Partnership
from workstreams.models import Action, AgendaItem

from .dashboard_health import agenda_items_in_year, attendance_by_person, expected_attendance


def partnership_actions(partnership: Partnership) -> QuerySet[Action]:
    """The partnership's actions, the board's and every work-stream's; the page narrows them with the actions' own
    filters (`workstreams.api.filters.ActionFilter`), as the API does."""
    return Action.objects.filter(partnership=partnership)


def people_attendance(partnership: Partnership, today: date) -> QuerySet:
    """Each person's attendance at the meetings that expected them over the last twelve months, by surname; the page
    narrows it with `reporting.api.filters.AttendanceFilter`."""
    return attendance_by_person(expected_attendance(partnership, today))


def agenda_items(partnership: Partnership, today: date) -> QuerySet[AgendaItem]:
    """The year's agenda items, newest meeting first; the page narrows them by purpose and by whose meeting with the
    agenda items' own filters (`workstreams.api.filters.AgendaItemFilter`)."""
    items = agenda_items_in_year(partnership, today)
    return items.select_related("meeting__workstream").order_by("-meeting__starts_at", "meeting_id", "position")
