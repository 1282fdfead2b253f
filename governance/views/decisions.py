"""The decision register, its CSV export, a decision's page, and the forms to propose and change a decision."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.exports import csv_response
from core.http import page_of, query_without_page, render_form, saved, submitted
from partnerships.access import Action, can, get_partnership_for_user
from workstreams.access import get_meeting_for_user, get_workstream_for_user

from .. import services
from ..access import (
    authorize_edit,
    authorize_proposer_or_lead,
    can_mark_urgent,
    can_see_details,
    decision_permissions,
    get_decision_for_user,
    withdrawal_permissions,
)
from ..api.filters import DecisionFilter
from ..forms.decisions import DecisionForm, DecisionSettingsForm, PublicationForm
from ..models import DecisionSettings
from ..selectors import decisions as selectors
from ..selectors.evidence import decision_evidence
from ..selectors.exports import EXPORT_HEADER, export_rows
from ._closed import closed_on_get


@require_GET
def decision_list(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    filters = DecisionFilter.for_page(request, selectors.register_listing(partnership), partnership=partnership)
    page = page_of(request, filters.qs)
    context = {
        "partnership": partnership,
        "filter_form": filters.form,
        "page": page,
        "decisions": selectors.redact(page.object_list, request.user),
        "query": query_without_page(request),
        "can_propose": can(request.user, partnership, Action.CONTRIBUTE),
        "can_manage": can(request.user, partnership, Action.MANAGE),
    }
    return render(request, "governance/decision_list.html", context)


@require_GET
def decision_export(request, code: str):
    """The register as CSV, with the same filters; confidential details only for those who may read them."""
    partnership = get_partnership_for_user(request.user, code)
    decisions = DecisionFilter.for_page(request, selectors.register(partnership), partnership=partnership).qs
    return csv_response(
        f"decisions-{partnership.code}.csv", EXPORT_HEADER, export_rows(decisions, request.user, partnership)
    )


def _initial_links(request, partnership) -> dict:
    """A proposal made from a meeting's or a work-stream's page starts linked to it (?meeting= or ?workstream=)."""
    initial = {}
    if request.GET.get("meeting", "").isdigit():
        meeting = get_meeting_for_user(request.user, int(request.GET["meeting"]))
        if meeting.partnership_id == partnership.pk:
            initial.update(meeting=meeting.pk, workstream=meeting.workstream_id)
    if request.GET.get("workstream", "").isdigit():
        workstream = get_workstream_for_user(request.user, int(request.GET["workstream"]))
        if workstream.partnership_id == partnership.pk:
            initial["workstream"] = workstream.pk
    return initial


@require_http_methods(["GET", "POST"])
def decision_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.CONTRIBUTE)
    initial = {"bound_organisations": list(services.full_members(partnership)), **_initial_links(request, partnership)}
    form = DecisionForm(
        initial=initial,
        partnership=partnership,
        can_mark_urgent=can_mark_urgent(request.user, partnership),
        **submitted(request),
    )
    decision = saved(
        request, form, lambda data: services.decision_propose(actor=request.user, partnership=partnership, **data)
    )
    if decision:
        messages.success(request, f"Decision {decision.reference} proposed as a draft")
        return redirect(decision)
    return render_form(request, "governance/decision_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def decision_update(request, pk: int):
    decision = get_decision_for_user(request.user, pk)
    authorize_proposer_or_lead(request.user, decision)
    closed = closed_on_get(request, decision, authorize_edit, heading="Change the proposal")
    if closed:
        return closed
    links = ["bound_organisations", "engagement_activities", "feedback_addressed"]
    initial = {name: getattr(decision, name) for name in DecisionForm.base_fields if name not in links}
    initial.update({name: list(getattr(decision, name).values_list("pk", flat=True)) for name in links})
    initial.update(is_urgent=decision.is_urgent, urgent_reason=decision.urgent_reason)
    form = DecisionForm(
        initial=initial,
        partnership=decision.partnership,
        can_mark_urgent=can_mark_urgent(request.user, decision.partnership),
        **submitted(request),
    )
    if saved(request, form, lambda data: services.decision_update(actor=request.user, decision=decision, **data)):
        messages.success(request, f"Your changes to {decision.reference} have been saved")
        return redirect(decision)
    context = {"form": form, "partnership": decision.partnership, "decision": decision}
    return render_form(request, "governance/decision_form.html", context)


@require_GET
def decision_detail(request, pk: int):
    decision = get_decision_for_user(request.user, pk)
    if not can_see_details(request.user, decision):
        return render(request, "governance/decision_confidential.html", {"decision": decision})
    page = selectors.decision_page(decision, request.user)
    context = {
        "decision": decision,
        "page": page,
        "evidence": decision_evidence(decision),
        "can": decision_permissions(request.user, decision, page.validity),
        "withdrawals": withdrawal_permissions(request.user, page.declarations),
        "is_board_level": can(request.user, decision.partnership, Action.CONTRIBUTE),
    }
    return render(request, "governance/decision_detail.html", context)


@require_http_methods(["GET", "POST"])
def decision_publication(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    initial = {name: getattr(decision, name) for name in PublicationForm.base_fields}
    form = PublicationForm(initial=initial, **submitted(request))
    if saved(
        request, form, lambda data: services.decision_publication_update(actor=request.user, decision=decision, **data)
    ):
        messages.success(request, f"{decision.reference} is now {decision.get_visibility_display().lower()}")
        return redirect(decision)
    context = {"form": form, "decision": decision, "partnership": decision.partnership}
    return render_form(request, "governance/decision_publication.html", context)


@require_http_methods(["GET", "POST"])
def settings_update(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    current = DecisionSettings.for_partnership(partnership)
    form = DecisionSettingsForm(
        initial={name: getattr(current, name) for name in DecisionSettingsForm.base_fields}, **submitted(request)
    )
    if saved(
        request,
        form,
        lambda data: services.decision_settings_update(actor=request.user, partnership=partnership, **data),
    ):
        messages.success(request, "The decision rule has been saved")
        return redirect("governance:decision_list", partnership.code)
    return render_form(request, "governance/settings_form.html", {"form": form, "partnership": partnership})
