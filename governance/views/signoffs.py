"""Signing a decision, recording a partner board's ratification, and My sign-offs."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core import second_factor
from core.http import render_form, saved, submitted
from core.second_factor_views import ask_for_code
from partnerships.access import Action

from .. import services
from ..access import authorize_details, authorize_record_ratification, authorize_sign, get_decision_for_user
from ..forms.signoffs import INTEREST_DECLARED, NO_INTEREST, RatificationForm, SignOffForm
from ..models import Position
from ..selectors.signoffs import declaration_of, my_signoffs, organisations_to_ratify
from ..selectors.validity import validity_for
from ._closed import closed_on_get


@require_http_methods(["GET", "POST"])
def signoff_create(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.CONTRIBUTE)
    authorize_details(request.user, decision)
    validity = validity_for(decision)
    closed = closed_on_get(request, decision, authorize_sign, validity, heading="Sign off")
    if closed:
        return closed
    if second_factor.step_up_needed(request):
        # Asked before the form, not on submit: the vote could not be saved, and the form would be filled in vain.
        return ask_for_code(request, form_page=True)
    row = validity.signatory_row(request.user)
    declaration = declaration_of(decision, request.user)
    my_vote = row.vote if row is not None and row.vote and row.vote.signatory_id == request.user.pk else None
    initial = {
        "interest": INTEREST_DECLARED if declaration and declaration.position == Position.INTEREST else NO_INTEREST,
        "vote": my_vote.vote if my_vote else None,
        "comment": my_vote.comment if my_vote else "",
    }
    form = SignOffForm(initial=initial, **submitted(request))

    def save(data):
        services.signoff_record(
            actor=request.user,
            decision=decision,
            vote=data["vote"],
            comment=data["comment"],
            declares_no_interest=form.declares_no_interest,
            second_factor=second_factor.proof(request),
        )

    if saved(request, form, save):
        messages.success(request, f"Your vote on {decision.reference} is recorded for {row.organisation}")
        return redirect(decision.get_absolute_url() + "#signoff")
    context = {
        "decision": decision,
        "partnership": decision.partnership,
        "form": form,
        "row": row,
        "delegation": next((s.delegation for s in row.signatories if s.user.pk == request.user.pk), None)
        if row
        else None,
        "my_vote": my_vote,
        "declaration": declaration,
        "recused": validity.recused_row(request.user) is not None,
    }
    return render_form(request, "governance/signoff_form.html", context)


def _my_delegation(row, user):
    if row is None:
        return None
    return next((signatory.delegation for signatory in row.signatories if signatory.user.pk == user.pk), None)


@require_http_methods(["GET", "POST"])
def ratification_create(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    closed = closed_on_get(
        request, decision, authorize_record_ratification, heading="Record a partner board's ratification"
    )
    if closed:
        return closed
    form = RatificationForm(
        organisations=organisations_to_ratify(decision),
        initial={"organisation": request.GET.get("organisation")},
        **submitted(request),
    )
    if saved(request, form, lambda data: services.ratification_record(actor=request.user, decision=decision, **data)):
        messages.success(request, f"The ratification is recorded on {decision.reference}")
        return redirect(decision.get_absolute_url() + "#signoff")
    context = {"decision": decision, "partnership": decision.partnership, "form": form}
    return render_form(request, "governance/ratification_form.html", context)


@require_GET
def my_signoffs_page(request):
    items = my_signoffs(request.user)
    context = {
        "awaiting": [item for item in items if item.awaits_me],
        "signed": [item for item in items if item.vote is not None or item.ratified],
        "recused": [item for item in items if item.recused and item.vote is None],
    }
    return render(request, "governance/my_signoffs.html", context)
