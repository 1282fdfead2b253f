"""Pages for meetings of work-stream groups and of the partnership board: schedule, agenda, papers, attendance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.http import render_form
from partnerships.access import get_partnership_for_user

from .. import services
from ..access import (
    Access,
    authorize_board,
    can_in_workstream,
    can_on_board,
    can_on_meeting,
    get_agenda_item_for_user,
    get_meeting_for_user,
    get_paper_for_user,
    get_workstream_for_user,
)
from ..forms import AgendaItemForm, AttendanceForm, MeetingForm, MeetingStatusForm, PaperForm, QuorumForm
from ..selectors import workstreams as selectors
from ..selectors.quorum import board_of, expected_seats
from ..services.meetings import MEETING_TRANSITIONS
from ._common import add_service_error, paginate


@require_http_methods(["GET"])
def meeting_list(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk)
    context = {
        "workstream": workstream,
        "partnership": workstream.partnership,
        "meetings": paginate(request, workstream.meetings.order_by("-starts_at")),
        "can_write": can_in_workstream(request.user, workstream, Access.WRITE),
    }
    return render(request, "workstreams/meeting_list.html", context)


@require_http_methods(["GET"])
def board_meeting_list(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    board = board_of(partnership)
    context = {
        "workstream": None,
        "partnership": partnership,
        "board": board,
        "meetings": paginate(request, partnership.meetings.board().order_by("-starts_at")),
        "can_write": can_on_board(request.user, partnership, Access.WRITE),
        "can_lead": can_on_board(request.user, partnership, Access.LEAD),
    }
    return render(request, "workstreams/meeting_list.html", context)


def _create_meeting(request, *, workstream=None, partnership):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, workstream=workstream, partnership=partnership, **form.meeting_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The meeting has been scheduled. Add its agenda next.")
            return redirect(meeting)
    context = {"form": form, "workstream": workstream, "partnership": partnership}
    return render_form(request, "workstreams/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def meeting_create(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk, Access.WRITE)
    return _create_meeting(request, workstream=workstream, partnership=None)


@require_http_methods(["GET", "POST"])
def board_meeting_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    authorize_board(request.user, partnership, Access.WRITE)
    return _create_meeting(request, partnership=partnership)


@require_http_methods(["GET", "POST"])
def board_quorum(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    authorize_board(request.user, partnership, Access.LEAD)
    board = board_of(partnership)
    initial = {name: getattr(board, name) for name in services.workstreams.QUORUM_FIELDS}
    form = QuorumForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_quorum_update(actor=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Quorum rule saved: {board.quorum_description}")
            return redirect("workstreams:board_meeting_list", partnership.code)
    context = {"form": form, "body": board, "cancel_url": board.get_absolute_url()}
    return render_form(request, "workstreams/quorum_form.html", context)


@require_http_methods(["GET"])
def meeting_detail(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk)
    context = {
        "meeting": meeting,
        "page": selectors.meeting_page(meeting),
        "can_write": can_on_meeting(request.user, meeting, Access.WRITE),
        "next_statuses": MEETING_TRANSITIONS[meeting.status],
        "today": timezone.localdate(),
    }
    return render(request, "workstreams/meeting_detail.html", context)


@require_http_methods(["GET", "POST"])
def meeting_update(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.meeting_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The meeting's details have been saved.")
            return redirect(meeting)
    context = {"form": form, "meeting": meeting, "workstream": meeting.workstream, "partnership": meeting.partnership}
    return render_form(request, "workstreams/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def meeting_status(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    form = MeetingStatusForm(request.POST or None, offered=list(MEETING_TRANSITIONS[meeting.status]))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_change_status(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"The meeting is now: {meeting.get_status_display().lower()}.")
            return redirect(meeting)
    return render_form(request, "workstreams/meeting_status.html", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def agenda_item_create(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    form = AgendaItemForm(request.POST or None, partnership=meeting.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Item {item.position} added to the agenda: {item.title}.")
            return redirect(meeting)
    return render_form(request, "workstreams/agenda_item_form.html", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def agenda_item_update(request, pk: int):
    item = get_agenda_item_for_user(request.user, pk, Access.WRITE)
    form = AgendaItemForm(request.POST or None, instance=item, partnership=item.meeting.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Agenda item {item.position} has been saved.")
            return redirect(item.meeting)
    context = {"form": form, "meeting": item.meeting, "item": item}
    return render_form(request, "workstreams/agenda_item_form.html", context)


@require_http_methods(["GET", "POST"])
def paper_create(request, pk: int):
    item = get_agenda_item_for_user(request.user, pk, Access.WRITE)
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.paper_add(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{paper.title} is attached to item {item.position}.")
            return redirect(item.meeting)
    return render_form(request, "workstreams/paper_form.html", {"form": form, "item": item, "meeting": item.meeting})


@require_http_methods(["GET"])
def paper_download(request, pk: int):
    paper = get_paper_for_user(request.user, pk)
    filename = paper.file.name.rsplit("/", 1)[-1]
    return FileResponse(paper.file.open("rb"), as_attachment=True, filename=filename)


@require_http_methods(["GET", "POST"])
def attendance(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    recorded = {record.user_id: record for record in meeting.attendance.select_related("user")}
    form = AttendanceForm(request.POST or None, meeting=meeting, seats=expected_seats(meeting), recorded=recorded)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(actor=request.user, meeting=meeting, lines=form.lines())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Attendance recorded. {meeting.quorum_explanation}")
            return redirect(meeting)
    return render_form(request, "workstreams/attendance_form.html", {"form": form, "meeting": meeting})
