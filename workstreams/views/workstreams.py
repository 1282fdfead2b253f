"""Pages for work-streams: the list, proposal, details, status, RAG, the leadership group and highlight reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.http import render_form, saved, submitted
from partnerships.access import Action as PartnershipAction
from partnerships.access import can, get_partnership_for_user

from .. import services
from ..access import (
    Access,
    can_in_workstream,
    can_work_on_workstream,
    get_group_member_for_user,
    get_highlight_report_for_user,
    get_workstream_for_user,
    workstream_closed_reason,
    workstream_statuses_open_to,
)
from ..forms import GroupMemberForm, HighlightReportForm, QuorumForm, RagForm, StatusForm, WorkStreamForm
from ..selectors import workstreams as selectors


@require_http_methods(["GET"])
def workstream_list(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    context = {
        "partnership": partnership,
        "workstreams": selectors.workstream_list(partnership),
        "can_propose": can(request.user, partnership, PartnershipAction.CONTRIBUTE),
    }
    return render(request, "workstreams/workstream_list.html", context)


@require_http_methods(["GET", "POST"])
def workstream_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, PartnershipAction.CONTRIBUTE)
    form = WorkStreamForm(partnership=partnership, **submitted(request))
    workstream = saved(
        request, form, lambda data: services.workstream_propose(actor=request.user, partnership=partnership, **data)
    )
    if workstream:
        messages.success(request, f"{workstream.name} has been proposed. The board decides whether to accept it.")
        return redirect(workstream)
    return render_form(request, "workstreams/workstream_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET"])
def workstream_detail(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk)
    context = {
        "workstream": workstream,
        "partnership": workstream.partnership,
        "page": selectors.workstream_page(workstream, request.user),
        "can_write": can_in_workstream(request.user, workstream, Access.WRITE),
        "can_work": can_work_on_workstream(request.user, workstream),
        "can_lead": can_in_workstream(request.user, workstream, Access.LEAD),
        "is_partnership_lead": can(request.user, workstream.partnership, PartnershipAction.MANAGE),
        # What logging an engagement activity asks (engagement.access.may_contribute; this app cannot import it).
        "can_log_engagement": can(request.user, workstream.partnership, PartnershipAction.CONTRIBUTE),
        "can_change_status": bool(workstream_statuses_open_to(request.user, workstream)),
    }
    return render(request, "workstreams/workstream_detail.html", context)


@require_http_methods(["GET", "POST"])
def workstream_update(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk, Access.LEAD)
    form = WorkStreamForm(instance=workstream, partnership=workstream.partnership, **submitted(request))
    if saved(request, form, lambda data: services.workstream_update(actor=request.user, workstream=workstream, **data)):
        messages.success(request, "The work-stream's details have been saved.")
        return redirect(workstream)
    context = {"form": form, "partnership": workstream.partnership, "workstream": workstream}
    return render_form(request, "workstreams/workstream_form.html", context)


@require_http_methods(["GET", "POST"])
def workstream_status(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk, Access.WRITE)
    statuses = workstream_statuses_open_to(request.user, workstream)
    if not statuses and request.method == "GET":
        raise PermissionDenied("You cannot change this work-stream's status.")
    form = StatusForm(offered=statuses, **submitted(request))
    if saved(
        request, form, lambda data: services.workstream_change_status(actor=request.user, workstream=workstream, **data)
    ):
        messages.success(request, f"{workstream.name} is now {workstream.get_status_display().lower()}.")
        return redirect(workstream)
    return render_form(request, "workstreams/workstream_status.html", {"form": form, "workstream": workstream})


@require_http_methods(["GET", "POST"])
def workstream_rag(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk, Access.WRITE)
    # The reason starts empty: the current one explains the current rating, and a new rating needs its own.
    form = RagForm(initial={"rag": workstream.rag}, **submitted(request))
    if saved(
        request, form, lambda data: services.workstream_set_rag(actor=request.user, workstream=workstream, **data)
    ):
        messages.success(request, f"{workstream.name} is rated {workstream.get_rag_display().lower()}.")
        return redirect(workstream)
    context = {"form": form, "workstream": workstream, "refusal": workstream_closed_reason(workstream, "rag")}
    return render_form(request, "workstreams/workstream_rag.html", context)


@require_http_methods(["GET"])
def group(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk)
    context = {
        "workstream": workstream,
        "members": selectors.current_group(workstream),
        "can_lead": can_in_workstream(request.user, workstream, Access.LEAD),
    }
    return render(request, "workstreams/group.html", context)


@require_http_methods(["GET", "POST"])
def group_member_create(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk, Access.LEAD)
    form = GroupMemberForm(workstream=workstream, adding=True, **submitted(request))
    member = saved(
        request, form, lambda data: services.group_member_add(actor=request.user, workstream=workstream, **data)
    )
    if member:
        messages.success(request, f"{member.user} has joined the group as {member.get_role_display().lower()}.")
        return redirect("workstreams:group", workstream.pk)
    return render_form(request, "workstreams/group_member_form.html", {"form": form, "workstream": workstream})


@require_http_methods(["GET", "POST"])
def group_member_update(request, pk: int):
    member = get_group_member_for_user(request.user, pk, Access.LEAD)
    form = GroupMemberForm(instance=member, workstream=member.workstream, adding=False, **submitted(request))
    if saved(request, form, lambda data: services.group_member_update(actor=request.user, member=member, **data)):
        messages.success(request, f"{member.user}'s seat in the group has been changed.")
        return redirect("workstreams:group", member.workstream_id)
    context = {"form": form, "workstream": member.workstream, "member": member}
    return render_form(request, "workstreams/group_member_form.html", context)


@require_http_methods(["GET", "POST"])
def group_member_remove(request, pk: int):
    member = get_group_member_for_user(request.user, pk, Access.LEAD)
    error = None
    if request.method == "POST":
        try:
            services.group_member_remove(actor=request.user, member=member)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, f"{member.user} has left the {member.workstream.name} group.")
            return redirect("workstreams:group", member.workstream_id)
    context = {"member": member, "workstream": member.workstream, "error": error}
    return render(request, "workstreams/group_member_remove.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def workstream_quorum(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk, Access.LEAD)
    initial = {name: getattr(workstream, name) for name in services.workstreams.QUORUM_FIELDS}
    form = QuorumForm(initial=initial, **submitted(request))
    if saved(
        request, form, lambda data: services.workstream_quorum_update(actor=request.user, workstream=workstream, **data)
    ):
        messages.success(request, f"Quorum rule saved: {workstream.quorum_description}")
        return redirect("workstreams:group", workstream.pk)
    context = {"form": form, "body": workstream, "cancel_url": workstream.get_absolute_url()}
    return render_form(request, "workstreams/quorum_form.html", context)


@require_http_methods(["GET", "POST"])
def highlight_report_create(request, pk: int):
    workstream = get_workstream_for_user(request.user, pk, Access.WRITE)
    form = HighlightReportForm(**submitted(request))
    report = saved(
        request, form, lambda data: services.highlight_report_create(actor=request.user, workstream=workstream, **data)
    )
    if report:
        messages.success(request, "The highlight report has been saved.")
        return redirect(report)
    refusal = workstream_closed_reason(workstream, "highlight_report")
    context = {"form": form, "workstream": workstream, "refusal": refusal}
    return render_form(request, "workstreams/highlight_report_form.html", context)


@require_http_methods(["GET"])
def highlight_report_detail(request, pk: int):
    report = get_highlight_report_for_user(request.user, pk)
    context = {
        "report": report,
        "workstream": report.workstream,
        "can_change": can_work_on_workstream(request.user, report.workstream),
    }
    return render(request, "workstreams/highlight_report_detail.html", context)


@require_http_methods(["GET", "POST"])
def highlight_report_update(request, pk: int):
    report = get_highlight_report_for_user(request.user, pk, Access.WRITE)
    form = HighlightReportForm(instance=report, **submitted(request))
    if saved(request, form, lambda data: services.highlight_report_update(actor=request.user, report=report, **data)):
        messages.success(request, "The highlight report has been saved.")
        return redirect(report)
    refusal = workstream_closed_reason(report.workstream, "highlight_report")
    context = {"form": form, "workstream": report.workstream, "report": report, "refusal": refusal}
    return render_form(request, "workstreams/highlight_report_form.html", context)
