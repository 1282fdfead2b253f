"""The partnership dashboard, and the lists behind those of its figures that no register offers: all the
partnership's actions, people's attendance over the year, and the year's agenda items.

Everyone with a role in the partnership reads them (the lead, board members, non-executives, members and viewers);
anyone else gets 404, as for a partnership that does not exist."""

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET
from markupsafe import Markup

from core.http import page_of, query_without_page, render_form
from partnerships.access import get_partnership_for_user
from workstreams.api.filters import ActionFilter, AgendaItemFilter
from workstreams.selectors import workstreams as workstream_selectors

from ..api.filters import AttendanceFilter
from ..selectors.dashboard import for_viewer
from ..selectors.dashboard_health import ABSENCE_RULE, person_figure
from ..selectors.dashboard_lists import agenda_items, partnership_actions, people_attendance
from ..selectors.dashboard_store import TIMEOUT as STORED_FOR
from ..selectors.dashboard_store import stored_dashboard

# The sections whose HTML is the same for everyone who may see the dashboard, with the sections whose figures each
# reads (the actions section quotes the trends' on-time share). Decisions and governance health are not shared:
# `for_viewer` hides confidential decisions from some readers. Each shared section's HTML is stored under the names
# of the figures it was rendered from, so it is rendered again exactly when one of them is built again; rendering
# them was most of a view's cost once the figures were stored (issue 18).
SHARED_SECTIONS = {
    "workstreams": ("workstreams",),
    "risks": ("risks",),
    "actions": ("actions", "trends"),
    "engagement": ("engagement",),
    "trends": ("trends",),
}


def _shared_sections(stored, context: dict) -> dict[str, Markup]:
    keys = {
        name: "dashboard-html:" + "+".join(stored.versions[each] for each in reads)
        for name, reads in SHARED_SECTIONS.items()
    }
    found = cache.get_many(keys.values())
    sections, rendered = {}, {}
    for name, key in keys.items():
        html = found.get(key)
        if html is None:
            html = rendered[key] = render_to_string(f"reporting/dashboard/_{name}.html", context)
        sections[name] = Markup(html)
    if rendered:
        cache.set_many(rendered, STORED_FOR)
    return sections


@require_GET
def dashboard(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    stored = stored_dashboard(partnership)
    context = {"partnership": partnership, "dashboard": stored.dashboard, "charts": stored.charts}
    sections = _shared_sections(stored, context)  # before for_viewer, which may hide some decisions
    context["dashboard"] = for_viewer(stored.dashboard, request.user)
    return render(request, "reporting/dashboard.html", {**context, "sections": sections})


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
