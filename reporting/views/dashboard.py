"""The partnership dashboard, and the lists behind those of its figures that no register offers: all the
partnership's actions, people's attendance over the year, and the year's agenda items.

Everyone with a role in the partnership reads them (the lead, board members, non-executives, members and viewers);
anyone else gets 404, as for a partnership that does not exist."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.http import page_of, query_without_page, render_form
from partnerships.access import get_partnership_for_user
from workstreams.api.filters import ActionFilter, AgendaItemFilter
from workstreams.selectors import workstreams as workstream_selectors

from ..api.filters import AttendanceFilter
from ..selectors.dashboard import for_viewer
from ..selectors.dashboard_health import ABSENCE_RULE, person_figure
from ..selectors.dashboard_lists import agenda_items, partnership_actions, people_attendance
from ..selectors.dashboard_store import stored_dashboard


@require_GET
def dashboard(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    stored = stored_dashboard(partnership)
    figures = for_viewer(stored.dashboard, request.user)
    context = {"partnership": partnership, "dashboard": figures, "charts": stored.charts}
    return render(request, "reporting/dashboard.html", context)


@require_GET
def dashboard_actions(request, code: str):
    """Every action of the partnership, filtered by state, work-stream, owner's organisation and dates."""
    partnership = get_partnership_for_user(request.user, code)
    filters = ActionFilter.for_page(request, partnership_actions(partnership), partnership=partnership)
    context = {
        "partnership": partnership,
        "form": filters.form,
        "state": filters.chosen()["state"],
        "states": workstream_selectors.ACTION_STATES,
        "state_queries": {key: query_without_page(request, state=key) for key in workstream_selectors.ACTION_STATES},
        "counts": workstream_selectors.action_state_counts(filters.qs_without("state")),
        "actions": page_of(request, workstream_selectors.action_list(filters.qs)),
        "query": query_without_page(request),
        "today": timezone.localdate(),
    }
    return render_form(request, "reporting/dashboard/actions.html", context)


@require_GET
def dashboard_attendance(request, code: str):
    """Each person's attendance at the meetings that expected them over the last twelve months."""
    partnership = get_partnership_for_user(request.user, code)
    people = people_attendance(partnership, timezone.localdate())
    filters = AttendanceFilter.for_page(request, people, partnership=partnership)
    page = page_of(request, filters.qs)
    context = {
        "partnership": partnership,
        "form": filters.form,
        "page": page,
        "people": [person_figure(row) for row in page.object_list],
        "query": query_without_page(request),
        "rule": ABSENCE_RULE,
    }
    return render_form(request, "reporting/dashboard/attendance.html", context)


@require_GET
def dashboard_agenda(request, code: str):
    """The agenda items of the last twelve months' meetings, by purpose."""
    partnership = get_partnership_for_user(request.user, code)
    items = agenda_items(partnership, timezone.localdate())
    filters = AgendaItemFilter.for_page(request, items, partnership=partnership)
    context = {
        "partnership": partnership,
        "form": filters.form,
        "page": page_of(request, filters.qs),
        "query": query_without_page(request),
    }
    return render_form(request, "reporting/dashboard/agenda.html", context)
