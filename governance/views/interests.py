"""The register of interests of a partnership, each person's entries, and declaring on a decision."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.http import render_form, saved, submitted
from partnerships.access import Action, get_partnership_for_user

from .. import services
from ..access import (
    authorize_declare,
    authorize_details,
    can_change_interest,
    can_contribute,
    get_decision_for_user,
    get_interest_for_user,
)
from ..forms.interests import DecisionDeclarationForm, InterestForm
from ..selectors.interests import open_interests_of, register_of_interests
from ..selectors.signoffs import declaration_of
from ._closed import closed_on_get


@require_GET
def interest_list(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    show_ended = request.GET.get("show") == "all"
    entries = list(register_of_interests(partnership, include_ended=show_ended))
    context = {
        "partnership": partnership,
        "entries": entries,
        "changeable": {entry.pk for entry in entries if can_change_interest(request.user, entry)},
        "show_ended": show_ended,
        "can_declare": can_contribute(request.user, partnership),
        "today": timezone.localdate(),
    }
    return render(request, "governance/interest_list.html", context)


@require_http_methods(["GET", "POST"])
def interest_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.CONTRIBUTE)
    form = InterestForm(initial={"valid_from": timezone.localdate()}, **submitted(request))
    if saved(
        request, form, lambda data: services.interest_declare(actor=request.user, partnership=partnership, **data)
    ):
        messages.success(request, "Your interest is added to the register")
        return redirect("governance:interest_list", partnership.code)
    return render_form(request, "governance/interest_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def interest_update(request, pk: int):
    entry = get_interest_for_user(request.user, pk, Action.CONTRIBUTE)
    form = InterestForm(initial={name: getattr(entry, name) for name in InterestForm.base_fields}, **submitted(request))
    if saved(request, form, lambda data: services.interest_update(actor=request.user, entry=entry, **data)):
        messages.success(request, "The register of interests is updated")
        return redirect("governance:interest_list", entry.partnership.code)
    context = {"form": form, "partnership": entry.partnership, "entry": entry}
    return render_form(request, "governance/interest_form.html", context)


@require_http_methods(["GET", "POST"])
def decision_declare(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.CONTRIBUTE)
    authorize_details(request.user, decision)
    closed = closed_on_get(request, decision, authorize_declare, heading="Declare an interest")
    if closed:
        return closed
    current = declaration_of(decision, request.user)
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in ("position", "kind", "description")}
        initial["register_entry"] = current.register_entry_id
    entries = open_interests_of(request.user, decision.partnership)
    form = DecisionDeclarationForm(register_entries=entries, initial=initial, **submitted(request))
    if saved(request, form, lambda data: services.decision_declare(actor=request.user, decision=decision, **data)):
        messages.success(request, f"Your declaration on {decision.reference} is recorded")
        return redirect(decision.get_absolute_url() + "#interests")
    context = {"decision": decision, "partnership": decision.partnership, "form": form, "current": current}
    return render_form(request, "governance/decision_declare.html", context)
