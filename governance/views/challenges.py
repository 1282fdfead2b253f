"""Raising a challenge or question on a decision, and answering it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from core.http import render_form, saved, submitted
from partnerships.access import Action

from .. import services
from ..access import (
    authorize_challenge,
    authorize_details,
    authorize_proposer_or_lead,
    authorize_respond,
    get_challenge_for_user,
    get_decision_for_user,
)
from ..forms.challenges import ChallengeForm, ResponseForm
from ._closed import closed_on_get


@require_http_methods(["GET", "POST"])
def challenge_create(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.CONTRIBUTE)
    authorize_details(request.user, decision)
    closed = closed_on_get(request, decision, authorize_challenge, heading="Raise a challenge or question")
    if closed:
        return closed
    form = ChallengeForm(**submitted(request))
    if saved(request, form, lambda data: services.challenge_raise(actor=request.user, decision=decision, **data)):
        messages.success(request, f"Your {form.cleaned_data['kind']} on {decision.reference} is recorded")
        return redirect(decision.get_absolute_url() + "#challenge")
    context = {"decision": decision, "partnership": decision.partnership, "form": form}
    return render_form(request, "governance/challenge_form.html", context)


@require_http_methods(["GET", "POST"])
def challenge_respond(request, pk: int):
    challenge = get_challenge_for_user(request.user, pk)
    decision = challenge.decision
    authorize_proposer_or_lead(request.user, decision)
    closed = closed_on_get(request, decision, authorize_respond, heading="Answer the challenge")
    if closed:
        return closed
    form = ResponseForm(initial={"response": challenge.response}, **submitted(request))
    if saved(request, form, lambda data: services.challenge_respond(actor=request.user, challenge=challenge, **data)):
        messages.success(request, f"Your response on {decision.reference} is recorded")
        return redirect(decision.get_absolute_url() + "#challenge")
    context = {"decision": decision, "partnership": decision.partnership, "form": form, "challenge": challenge}
    return render_form(request, "governance/challenge_respond.html", context)
