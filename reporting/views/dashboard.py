"""The partnership dashboard, and the lists behind those of its figures that no register offers: all the
partnership's actions, people's attendance over the year, and the year's agenda items.

Everyone with a role in the partnership reads them (the lead, board members, non-executives, members and viewers);
anyone else gets 404, as for a partnership that does not exist."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.http import render_form
from partnerships.access import get_partnership_for_user
from workstreams.selectors import workstreams as workstream_selectors

from ..charts import trend_charts
from ..forms.dashboard import ActionFilterForm, AgendaFilterForm, AttendanceFilterForm
from ..selectors.dashboard import for_viewer, partnership_dashboard
from ..selectors.dashboard_health import ABSENCE_RULE, person_figure
from ..selectors.dashboard_lists import agenda_items, partnership_actions, people_attendance

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request, **changes) -> str:
    """The current filters without the page number, with `changes` made: for pagination and the state links."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        params[name] = value
    return params.urlencode()


@require_GET
def dashboard(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    figures = for_viewer(partnership_dashboard(partnership), request.user)
    context = {"partnership": partnership, "dashboard": figures, "charts": trend_charts(figures.trends)}
    return render(request, "reporting/dashboard.html", context)


@require_GET
def dashboard_actions(request, code: str):
    """Every action of the partnership, filtered by state, work-stream, owner's organisation and dates."""
    partnership = get_partnership_for_user(request.user, code)
    form = ActionFilterForm(request.GET or None, partnership=partnership)
    filters = form.filters()
    state = filters.get("state", "open")
    actions = partnership_actions(partnership, filters)
    shown = workstream_selectors.action_list(workstream_selectors.filter_actions(actions, state))
    context = {
        "partnership": partnership,
        "form": form,
        "state": state,
        "states": workstream_selectors.ACTION_STATES,
        "state_queries": {key: _query_without_page(request, state=key) for key in workstream_selectors.ACTION_STATES},
        "counts": workstream_selectors.action_state_counts(actions),
        "actions": _page(request, shown),
        "query": _query_without_page(request),
        "today": timezone.localdate(),
    }
    return render_form(request, "reporting/dashboard/actions.html", context)


@require_GET
def dashboard_attendance(request, code: str):
    """Each person's attendance at the meetings that expected them over the last twelve months."""
    partnership = get_partnership_for_user(request.user, code)
    form = AttendanceFilterForm(request.GET or None, partnership=partnership)
    page = _page(request, people_attendance(partnership, form.filters(), timezone.localdate()))
    context = {
        "partnership": partnership,
        "form": form,
        "page": page,
        "people": [person_figure(row) for row in page.object_list],
        "query": _query_without_page(request),
        "rule": ABSENCE_RULE,
    }
    return render_form(request, "reporting/dashboard/attendance.html", context)


@require_GET
def dashboard_agenda(request, code: str):
    """The agenda items of the last twelve months' meetings, by purpose."""
    partnership = get_partnership_for_user(request.user, code)
    form = AgendaFilterForm(request.GET or None)
    context = {
        "partnership": partnership,
        "form": form,
        "page": _page(request, agenda_items(partnership, form.filters(), timezone.localdate())),
        "query": _query_without_page(request),
    }
    return render_form(request, "reporting/dashboard/agenda.html", context)
