"""Pages for actions: My actions, a work-stream's (or the board's) action log and its CSV export, and each action."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from core.exports import csv_response
from core.http import page_of, post_only, query_without_page, render_form, saved, submitted
from partnerships.access import get_partnership_for_user

from .. import services
from ..access import (
    Access,
    action_statuses_open_to,
    can_on_action,
    can_work_on_workstream,
    get_action_for_user,
    get_meeting_for_user,
    get_workstream_for_user,
    no_actions_at_reason,
    workstream_closed_reason,
)
from ..api.filters import ActionFilter
from ..forms import ActionForm, ActionProgressForm
from ..selectors import workstreams as selectors


def _by_state(request, actions, default: str = "open") -> ActionFilter:
    """The actions in the state asked for (`?state=`): open ones unless asked otherwise, or when the state asked for
    is not one of them (the page offers its states as links, not as a form)."""
    return ActionFilter.for_page(request, actions, shown=("state",), defaults={"state": default})


def _action_list_context(request, actions, **extra) -> dict:
    """What every list of actions shows: the state filters with their counts and one page of actions."""
    filters = _by_state(request, actions)
    return {
        "state": filters.chosen()["state"],
        "states": selectors.ACTION_STATES,
        "counts": selectors.action_state_counts(actions),
        "actions": page_of(request, selectors.action_list(filters.qs)),
        "query": query_without_page(request),
        "today": timezone.localdate(),
        **extra,
    }


@require_GET
def my_actions(request):
    which = "raised" if request.GET.get("which") == "raised" else "assigned"
    actions = selectors.my_actions(request.user, which)
    context = _action_list_context(request, actions, which=which, title="My actions")
    return render(request, "workstreams/action_list.html", context)


@require_GET
def action_log(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk)
    context = _action_list_context(
        request,
        workstream.actions.all(),
        workstream=workstream,
        partnership=workstream.partnership,
        title=f"{workstream.name}: action log",
        can_add=can_work_on_workstream(request.user, workstream),
    )
    return render(request, "workstreams/action_list.html", context)


@require_GET
def board_action_log(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    context = _action_list_context(
        request,
        partnership.actions.filter(workstream__isnull=True),
        partnership=partnership,
        board=True,
        title="Board action log",
    )
    return render(request, "workstreams/action_list.html", context)


EXPORT_HEADER = [
    "Reference",
    "Description",
    "Owner",
    "Owner's organisation",
    "Due date",
    "Status",
    "Overdue",
    "Completed date",
    "Meeting",
    "Raised by",
    "Raised on",
]


def _export(request, actions, name: str):
    """The filtered action log as CSV, streamed in one query; spreadsheet formulas in text are neutralised."""
    filters = _by_state(request, actions, default="all")
    state = filters.chosen()["state"]
    today = timezone.localdate()
    rows = (
        [
            action.reference,
            action.description,
            action.owner,
            action.owner_organisation or "",
            action.due_on.isoformat(),
            action.get_status_display(),
            "Yes" if action.is_open and action.due_on < today else "No",
            action.completed_on.isoformat() if action.completed_on else "",
            action.meeting or "",
            action.raised_by or "",
            timezone.localdate(action.created_at).isoformat(),
        ]
        for action in selectors.action_list(filters.qs).iterator(chunk_size=500)
    )
    return csv_response(f"{slugify(name)}-actions-{state}-{today.isoformat()}.csv", EXPORT_HEADER, rows)


@require_GET
def action_log_export(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk)
    return _export(request, workstream.actions.all(), workstream.name)


@require_GET
def board_action_log_export(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    return _export(request, partnership.actions.filter(workstream__isnull=True), f"{partnership.code} board")


def _create_action(request, *, workstream=None, meeting=None):
    partnership = meeting.partnership if meeting else workstream.partnership
    form = ActionForm(partnership=partnership, meeting=meeting, **submitted(request))
    action = saved(
        request,
        form,
        lambda data: services.action_create(actor=request.user, workstream=workstream, meeting=meeting, **data),
    )
    if action:
        messages.success(request, f"Action {action.reference} added for {action.owner}.")
        return redirect(meeting or action)
    refusal = no_actions_at_reason(meeting) if meeting else workstream_closed_reason(workstream, "action")
    context = {"form": form, "workstream": workstream or meeting.workstream, "meeting": meeting, "refusal": refusal}
    return render_form(request, "workstreams/action_form.html", context)


@require_http_methods(["GET", "POST"])
def action_create(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk, Access.WRITE)
    return _create_action(request, workstream=workstream)


@require_http_methods(["GET", "POST"])
def meeting_action_create(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    return _create_action(request, meeting=meeting)


def _progress_form(request, action, data=None):
    offered = action_statuses_open_to(request.user, action)
    return ActionProgressForm(data, action=action, offered=offered)


@require_GET
def action_detail(request, pk: int):
    action = get_action_for_user(request.user, pk)
    context = {
        "action": action,
        "notes": selectors.action_with_notes(action),
        "can_write": can_on_action(request.user, action, Access.WRITE),
        "can_progress": can_on_action(request.user, action, Access.PROGRESS),
        "form": _progress_form(request, action),
        "today": timezone.localdate(),
    }
    return render(request, "workstreams/action_detail.html", context)


@post_only(redirect_to="workstreams:action_detail")
def action_progress(request, pk: int):
    action = get_action_for_user(request.user, pk, Access.PROGRESS)
    form = _progress_form(request, action, request.POST)
    if saved(request, form, lambda data: services.action_note_add(actor=request.user, action=action, **data)):
        messages.success(request, f"Progress recorded. The action is {action.get_status_display().lower()}.")
        return redirect(action)
    context = {
        "action": action,
        "notes": selectors.action_with_notes(action),
        "can_write": can_on_action(request.user, action, Access.WRITE),
        "can_progress": True,
        "form": form,
        "today": timezone.localdate(),
    }
    return render_form(request, "workstreams/action_detail.html", context)


@require_http_methods(["GET", "POST"])
def action_update(request, pk: int):
    action = get_action_for_user(request.user, pk, Access.WRITE)
    form = ActionForm(instance=action, partnership=action.partnership, **submitted(request))
    if saved(request, form, lambda data: services.action_update(actor=request.user, action=action, **data)):
        messages.success(request, "The action has been saved.")
        return redirect(action)
    context = {"form": form, "action": action, "workstream": action.workstream, "meeting": None}
    return render_form(request, "workstreams/action_form.html", context)
