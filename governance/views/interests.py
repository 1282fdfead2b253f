"""The register of interests of a partnership, each person's entries, and declaring on a decision."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.http import render_form, saved, submitted
from partnerships.access import Action, get_partnership_for_user

from .. import services
from ..access import (
    authorize_answer_withdrawal,
    authorize_declare,
    authorize_details,
    authorize_request_withdrawal,
    can_change_interest,
    can_contribute,
    get_decision_for_user,
    get_interest_for_user,
    get_withdrawal_for_user,
)
from ..forms.interests import DecisionDeclarationForm, InterestForm, WithdrawalRequestForm
from ..forms.lifecycle import ReasonForm
from ..selectors.interests import open_interests_of, register_of_interests
from ..selectors.signoffs import declaration_of
from ._closed import closed_on_get, step_closed, why_not


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


@require_http_methods(["GET", "POST"])
def declaration_withdrawal_request(request, pk: int):
    """Ask the partnership lead to withdraw your declared conflict: you stay recused until the lead confirms."""
    decision = get_decision_for_user(request.user, pk, Action.CONTRIBUTE)
    authorize_details(request.user, decision)
    heading = "Ask for your conflict to be withdrawn"
    declaration = declaration_of(decision, request.user)
    if declaration is None:
        response = step_closed(
            request, decision, heading=heading, reason="You have not declared a conflict on this decision."
        )
        response.status_code = 400 if request.method == "POST" else 200
        return response
    declaration.decision = decision
    reason = why_not(request.user, declaration, authorize_request_withdrawal)
    if reason and request.method == "GET":
        return step_closed(request, decision, heading=heading, reason=reason)
    form = WithdrawalRequestForm(**submitted(request))
    if saved(
        request,
        form,
        lambda data: services.declaration_withdrawal_request(actor=request.user, declaration=declaration, **data),
    ):
        messages.success(request, "Your request is sent to the partnership lead. You stay recused until they confirm")
        return redirect(decision.get_absolute_url() + "#interests")
    intro = (
        "The partnership lead confirms or declines the withdrawal. Until they confirm it, your conflict stands: you "
        "do not sign and do not count towards the quorum."
    )
    context = {"decision": decision, "partnership": decision.partnership, "form": form, "heading": heading}
    context.update(submit_text="Ask the partnership lead", intro=intro)
    return render_form(request, "governance/decision_step.html", context)


def _answer_withdrawal(request, pk: int, *, service, heading: str, submit_text: str, success: str):
    """The lead's answer to a request to withdraw a conflict: a reason, then the service, then the interests tab."""
    withdrawal = get_withdrawal_for_user(request.user, pk)
    declaration = withdrawal.declaration
    decision = declaration.decision
    reason = why_not(request.user, withdrawal, authorize_answer_withdrawal)  # 403 for anyone but another lead
    if reason and request.method == "GET":
        return step_closed(request, decision, heading=heading, reason=reason)
    form = ReasonForm(**submitted(request))
    if saved(request, form, lambda data: service(actor=request.user, withdrawal=withdrawal, **data)):
        messages.success(request, success.format(person=declaration.person))
        return redirect(decision.get_absolute_url() + "#interests")
    intro = (
        f"{declaration.person} declared a conflict and asks for it to be withdrawn, declaring "
        f"{withdrawal.get_position_display().lower()} instead. Their reason: {withdrawal.reason}"
    )
    context = {"decision": decision, "partnership": decision.partnership, "form": form, "heading": heading}
    context.update(submit_text=submit_text, intro=intro)
    return render_form(request, "governance/decision_step.html", context)


@require_http_methods(["GET", "POST"])
def declaration_withdrawal_confirm(request, pk: int):
    return _answer_withdrawal(
        request,
        pk,
        service=services.declaration_withdrawal_confirm,
        heading="Confirm the withdrawal of a conflict",
        submit_text="Confirm the withdrawal",
        success="{person}'s conflict is withdrawn: they take part again",
    )


@require_http_methods(["GET", "POST"])
def declaration_withdrawal_decline(request, pk: int):
    return _answer_withdrawal(
        request,
        pk,
        service=services.declaration_withdrawal_decline,
        heading="Decline the withdrawal of a conflict",
        submit_text="Decline the withdrawal",
        success="{person}'s conflict stands: they stay recused",
    )
