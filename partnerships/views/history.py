"""The audit trail as people read it: a partnership's history for its lead (filtered, paginated, and as CSV), and the
changes to an organisation for its administrators. Who reads which events is `selectors/history.py`'s rule."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.exports import csv_response
from core.http import page_of, query_without_page, render_form

from ..access import Action, get_administered_organisation_for_user, get_partnership_for_user
from ..api.filters import AuditEventFilter
from ..selectors.history import (
    export_header,
    export_rows,
    organisation_events,
    organisation_records,
    partnership_events,
    with_records,
)


def _filtered(request, partnership):
    filters = AuditEventFilter.for_page(request, partnership_events(partnership), partnership=partnership)
    return filters.form, filters.qs


@require_GET
def partnership_history(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form, events = _filtered(request, partnership)
    page = page_of(request, events)
    page.object_list = with_records(page.object_list, reader=request.user, partnership_id=partnership.pk)
    context = {"partnership": partnership, "form": form, "page": page, "query": query_without_page(request)}
    return render_form(request, "partnerships/history.html", context)


@require_GET
def partnership_history_export(request, code: str):
    """The history as CSV, with the same filters as the page."""
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    _form, events = _filtered(request, partnership)
    rows = export_rows(
        events, reader=request.user, partnership_id=partnership.pk, base_url=request.build_absolute_uri("/")[:-1]
    )
    return csv_response(f"history-{partnership.code}-{timezone.localdate():%Y-%m-%d}.csv", export_header(), rows)


@require_GET
def organisation_history(request, pk: int):
    organisation = get_administered_organisation_for_user(request.user, pk)
    page = page_of(request, organisation_events(organisation))
    page.object_list = organisation_records(page.object_list, reader=request.user, organisation=organisation)
    return render(request, "partnerships/organisation_history.html", {"organisation": organisation, "page": page})
