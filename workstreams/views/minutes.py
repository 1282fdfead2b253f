"""Pages for minutes: writing them per agenda item, approving them, amending them, and reading old versions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.http import render_form, saved, submitted

from .. import services
from ..access import MINUTES_NOT_YET, Access, can_write_minutes, get_meeting_for_user, no_approval_reason
from ..forms import MinutesForm


@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    items = list(meeting.agenda_items.all())
    amending = meeting.minutes_locked
    form = MinutesForm(items=items, amending=amending, **submitted(request))

    def save(data):
        services.minutes_record(
            actor=request.user,
            meeting=meeting,
            minutes=form.minutes(),
            amendment_reason=data.get("amendment_reason", ""),
        )

    if saved(request, form, save):
        messages.success(request, "The amendment is recorded as a new version." if amending else "Minutes saved.")
        return redirect(meeting)
    refusal = None if can_write_minutes(request.user, meeting) else MINUTES_NOT_YET
    return render_form(request, "workstreams/minutes_form.html", {"form": form, "meeting": meeting, "refusal": refusal})


@require_http_methods(["GET", "POST"])
def minutes_approve(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    error = None
    if request.method == "POST":
        try:
            services.minutes_approve(actor=request.user, meeting=meeting)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, "The minutes are approved and locked.")
            return redirect(meeting)
    context = {
        "meeting": meeting,
        "items": list(meeting.agenda_items.all()),
        "error": error,
        "refusal": no_approval_reason(meeting),
    }
    return render(request, "workstreams/minutes_approve.html", context, status=400 if error else 200)


@require_http_methods(["GET"])
def minutes_version(request, pk: int, number: int):
    meeting = get_meeting_for_user(request.user, pk)
    version = meeting.minutes_versions.select_related("approved_by").filter(number=number).first()
    if version is None:
        raise Http404("No such version of the minutes.")
    latest = meeting.minutes_versions.order_by("-number").values_list("number", flat=True).first()
    context = {"meeting": meeting, "version": version, "is_latest": number == latest}
    return render(request, "workstreams/minutes_version.html", context)
