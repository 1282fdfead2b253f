"""Pages for meetings of work-stream groups and of the partnership board: schedule, agenda, papers, attendance."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.http import download, page_of, render_form, saved, submitted
from partnerships.access import get_partnership_for_user

from .. import services
from ..access import (
    Access,
    authorize_board,
    can_approve_minutes,
    can_change_meeting,
    can_on_board,
    can_on_meeting,
    can_raise_action_at,
    can_work_on_workstream,
    can_write_minutes,
    get_agenda_item_for_user,
    get_meeting_for_user,
    get_paper_for_user,
    get_workstream_for_user,
    workstream_closed_reason,
)
from ..forms import AgendaItemForm, AttendanceForm, MeetingForm, MeetingStatusForm, PaperForm, QuorumForm
from ..selectors import workstreams as selectors
from ..selectors.quorum import board_of, expected_seats
from ..services.meetings import MEETING_TRANSITIONS


@require_http_methods(["GET"])
def meeting_list(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk)
    context = {
        "workstream": workstream,
        "partnership": workstream.partnership,
        "meetings": page_of(request, workstream.meetings.order_by("-starts_at")),
        "can_schedule": can_work_on_workstream(request.user, workstream),
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
        "meetings": page_of(request, partnership.meetings.board().order_by("-starts_at")),
        "can_schedule": can_on_board(request.user, partnership, Access.WRITE),
        "can_lead": can_on_board(request.user, partnership, Access.LEAD),
    }
    return render(request, "workstreams/meeting_list.html", context)


def _create_meeting(request, *, workstream=None, partnership):
    form = MeetingForm(**submitted(request))
    meeting = saved(
        request,
        form,
        lambda data: services.meeting_create(
            actor=request.user, workstream=workstream, partnership=partnership, **form.meeting_fields()
        ),
    )
    if meeting:
        messages.success(request, "The meeting has been scheduled. Add its agenda next.")
        return redirect(meeting)
    refusal = workstream_closed_reason(workstream, "meeting")
    context = {"form": form, "workstream": workstream, "partnership": partnership, "refusal": refusal}
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
    form = QuorumForm(initial=initial, **submitted(request))
    updated = saved(
        request, form, lambda data: services.board_quorum_update(actor=request.user, partnership=partnership, **data)
    )
    if updated:
        messages.success(request, f"Quorum rule saved: {updated.quorum_description}")
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
        "can_change": can_change_meeting(request.user, meeting),
        "can_write_minutes": can_write_minutes(request.user, meeting),
        "can_raise_action": can_raise_action_at(request.user, meeting),
        "can_approve_minutes": can_approve_minutes(request.user, meeting),
        "next_statuses": MEETING_TRANSITIONS[meeting.status],
        "today": timezone.localdate(),
    }
    return render(request, "workstreams/meeting_detail.html", context)


@require_http_methods(["GET", "POST"])
def meeting_update(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    form = MeetingForm(instance=meeting, **submitted(request))
    if saved(
        request,
        form,
        lambda data: services.meeting_update(actor=request.user, meeting=meeting, **form.meeting_fields()),
    ):
        messages.success(request, "The meeting's details have been saved.")
        return redirect(meeting)
    context = {"form": form, "meeting": meeting, "workstream": meeting.workstream, "partnership": meeting.partnership}
    return render_form(request, "workstreams/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def meeting_status(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    form = MeetingStatusForm(offered=list(MEETING_TRANSITIONS[meeting.status]), **submitted(request))
    if saved(request, form, lambda data: services.meeting_change_status(actor=request.user, meeting=meeting, **data)):
        messages.success(request, f"The meeting is now: {meeting.get_status_display().lower()}.")
        return redirect(meeting)
    return render_form(request, "workstreams/meeting_status.html", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def agenda_item_create(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    form = AgendaItemForm(partnership=meeting.partnership, **submitted(request))
    item = saved(request, form, lambda data: services.agenda_item_add(actor=request.user, meeting=meeting, **data))
    if item:
        messages.success(request, f"Item {item.position} added to the agenda: {item.title}.")
        return redirect(meeting)
    return render_form(request, "workstreams/agenda_item_form.html", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def agenda_item_update(request, pk: int):
    item = get_agenda_item_for_user(request.user, pk, Access.WRITE)
    form = AgendaItemForm(instance=item, partnership=item.meeting.partnership, **submitted(request))
    if saved(request, form, lambda data: services.agenda_item_update(actor=request.user, item=item, **data)):
        messages.success(request, f"Agenda item {item.position} has been saved.")
        return redirect(item.meeting)
    context = {"form": form, "meeting": item.meeting, "item": item}
    return render_form(request, "workstreams/agenda_item_form.html", context)


@require_http_methods(["GET", "POST"])
def paper_create(request, pk: int):
    item = get_agenda_item_for_user(request.user, pk, Access.WRITE)
    form = PaperForm(**submitted(request))
    paper = saved(request, form, lambda data: services.paper_add(actor=request.user, item=item, **data))
    if paper:
        messages.success(request, f"{paper.title} is attached to item {item.position}.")
        return redirect(item.meeting)
    return render_form(request, "workstreams/paper_form.html", {"form": form, "item": item, "meeting": item.meeting})


@require_http_methods(["GET"])
def paper_download(request, pk: int):
    paper = get_paper_for_user(request.user, pk)
    return download(paper.file, filename=paper.filename, content_type=paper.content_type)


@require_http_methods(["GET", "POST"])
def attendance(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, Access.WRITE)
    recorded = {record.user_id: record for record in meeting.attendance.select_related("user")}
    form = AttendanceForm(meeting=meeting, seats=expected_seats(meeting), recorded=recorded, **submitted(request))
    if saved(
        request, form, lambda data: services.attendance_record(actor=request.user, meeting=meeting, lines=form.lines())
    ):
        messages.success(request, f"Attendance recorded. {meeting.quorum_explanation}")
        return redirect(meeting)
    return render_form(request, "workstreams/attendance_form.html", {"form": form, "meeting": meeting})
