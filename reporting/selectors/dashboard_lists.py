"""The lists behind the dashboard's figures that no register of their own offers: every action of the partnership
(the work-stream logs show one work-stream's), people's attendance over the year, and the year's agenda items.
Each is a queryset for a paginated page: two queries (a count and a page), however long the list."""

from datetime import date

from django.db.models import QuerySet

from partnerships.models import Partnership
from workstreams.models import Action, AgendaItem, Attendance

from ..forms.dashboard import BOARD, NO_ORGANISATION
from .dashboard_health import agenda_items_in_year, attendance_by_person, expected_attendance, persistently_absent


def _by_organisation(queryset: QuerySet, field: str, organisation: str | None) -> QuerySet:
    if organisation == NO_ORGANISATION:
        return queryset.filter(**{f"{field}__isnull": True})
    if organisation:
        return queryset.filter(**{f"{field}_id": int(organisation)})
    return queryset


def partnership_actions(partnership: Partnership, filters: dict) -> QuerySet[Action]:
    """The partnership's actions (the board's and every work-stream's), by the filters of `ActionFilterForm` other
    than the state, which the page applies with the action logs' own `filter_actions`."""
    actions = Action.objects.filter(partnership=partnership)
    workstream = filters.get("workstream")
    if workstream == BOARD:
        actions = actions.filter(workstream__isnull=True)
    elif workstream:
        actions = actions.filter(workstream_id=int(workstream))
    actions = _by_organisation(actions, "owner_organisation", filters.get("organisation"))
    ranges = {
        "due_from": "due_on__gte",
        "due_to": "due_on__lte",
        "completed_from": "completed_on__gte",
        "completed_to": "completed_on__lte",
    }
    return actions.filter(**{lookup: filters[name] for name, lookup in ranges.items() if filters.get(name)})


def people_attendance(partnership: Partnership, filters: dict, today: date) -> QuerySet:
    """Each person's attendance at the meetings that expected them over the last twelve months, by surname."""
    attendance: QuerySet[Attendance] = _by_organisation(
        expected_attendance(partnership, today), "organisation", filters.get("organisation")
    )
    people = attendance_by_person(attendance)
    return persistently_absent(people) if filters.get("absent") == "yes" else people


def agenda_items(partnership: Partnership, filters: dict, today: date) -> QuerySet[AgendaItem]:
    """The year's agenda items, newest meeting first, by purpose and by whose meeting."""
    items = agenda_items_in_year(partnership, today)
    if filters.get("purpose"):
        items = items.filter(purpose=filters["purpose"])
    if filters.get("body") == BOARD:
        items = items.filter(meeting__workstream__isnull=True)
    elif filters.get("body"):
        items = items.filter(meeting__workstream__isnull=False)
    return items.select_related("meeting__workstream").order_by("-meeting__starts_at", "meeting_id", "position")
