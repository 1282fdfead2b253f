"""The register of interests of a partnership, each person's entries, and declaring on a decision."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.http import render_form
from partnerships.access import Action, can, get_partnership_for_user

from .. import services
from ..access import authorize_details, get_decision_for_user, get_interest_for_user, is_lead
from ..forms.interests import DecisionDeclarationForm, InterestForm
from ..models import DecisionDeclaration, InterestDeclaration
from ._common import saved, submitted


@require_GET
def interest_list(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    show_ended = request.GET.get("show") == "all"
    entries = InterestDeclaration.objects.filter(partnership=partnership).select_related(
        "person__profile__organisation"
    )
    if not show_ended:
        entries = entries.open_on()
    context = {
        "partnership": partnership,
        "entries": entries.order_by("person__last_name", "person__first_name", "-valid_from"),
        "show_ended": show_ended,
        "can_declare": can(request.user, partnership, Action.CONTRIBUTE),
        "is_lead": is_lead(request.user, partnership),
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
    current = DecisionDeclaration.objects.filter(decision=decision, person=request.user).first()
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in ("position", "kind", "description")}
        initial["register_entry"] = current.register_entry_id
    entries = InterestDeclaration.objects.open_on().filter(partnership=decision.partnership, person=request.user)
    form = DecisionDeclarationForm(register_entries=entries, initial=initial, **submitted(request))
    if saved(request, form, lambda data: services.decision_declare(actor=request.user, decision=decision, **data)):
        messages.success(request, f"Your declaration on {decision.reference} is recorded")
        return redirect(decision.get_absolute_url() + "#interests")
    context = {"decision": decision, "partnership": decision.partnership, "form": form, "current": current}
    return render_form(request, "governance/decision_declare.html", context)
