"""The steps of a decision's lifecycle. Each is a small form on one shared page template: a confirmation, a
reason or a date, then the service, then back to the decision."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from core.http import render_form, saved, submitted
from partnerships.access import Action

from .. import services
from ..access import authorize_proposer_or_lead, get_decision_for_user
from ..forms.lifecycle import (
    BoardRatificationForm,
    ExtendForm,
    OpenSignoffForm,
    ReasonForm,
    ReopenForm,
    SupersedeForm,
)
from ..models import DecisionSettings
from ..selectors.decisions import board_meetings_since_approval


def _step(request, decision, form, *, heading: str, submit_text: str, intro: str, save, success: str):
    if saved(request, form, save):
        messages.success(request, success)
        return redirect(decision)
    context = {
        "decision": decision,
        "partnership": decision.partnership,
        "form": form,
        "heading": heading,
        "submit_text": submit_text,
        "intro": intro,
    }
    return render_form(request, "governance/decision_step.html", context)


@require_http_methods(["GET", "POST"])
def decision_open_for_challenge(request, pk: int):
    decision = get_decision_for_user(request.user, pk)
    authorize_proposer_or_lead(request.user, decision)
    return _step(
        request,
        decision,
        forms.Form(**submitted(request)),
        heading="Open the decision for challenge",
        submit_text="Open for challenge",
        intro="Everyone in the partnership will be able to read the case and raise challenges and questions. "
        "You answer them here before the lead opens sign-off.",
        save=lambda data: services.decision_open_for_challenge(actor=request.user, decision=decision),
        success=f"{decision.reference} is open for challenge",
    )


@require_http_methods(["GET", "POST"])
def decision_open_signoff(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    days = DecisionSettings.for_partnership(decision.partnership).signoff_days
    return _step(
        request,
        decision,
        OpenSignoffForm(**submitted(request)),
        heading="Open sign-off",
        submit_text="Open sign-off",
        intro=f"Each organisation's signatories will be emailed and asked to sign. Without a closing date, sign-off "
        f"closes after {days} days.",
        save=lambda data: services.decision_open_signoff(actor=request.user, decision=decision, **data),
        success=f"Sign-off is open on {decision.reference}",
    )


@require_http_methods(["GET", "POST"])
def decision_reopen(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    return _step(
        request,
        decision,
        ReopenForm(**submitted(request)),
        heading="Reopen the decision",
        submit_text="Reopen and start sign-off again",
        intro="Sign-off starts again in a new round. The earlier round, with every vote, stays on the record.",
        save=lambda data: services.decision_reopen(actor=request.user, decision=decision, **data),
        success=f"{decision.reference} is reopened: sign-off has started again",
    )


@require_http_methods(["GET", "POST"])
def decision_defer(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    return _step(
        request,
        decision,
        ReasonForm(**submitted(request)),
        heading="Defer the decision",
        submit_text="Defer",
        intro="Sign-off, if open, closes without a result. You can open sign-off again later.",
        save=lambda data: services.decision_defer(actor=request.user, decision=decision, **data),
        success=f"{decision.reference} is deferred",
    )


@require_http_methods(["GET", "POST"])
def decision_withdraw(request, pk: int):
    decision = get_decision_for_user(request.user, pk)
    authorize_proposer_or_lead(request.user, decision)
    return _step(
        request,
        decision,
        ReasonForm(**submitted(request)),
        heading="Withdraw the decision",
        submit_text="Withdraw",
        intro="A withdrawn decision stays in the register with its history, but cannot go further.",
        save=lambda data: services.decision_withdraw(actor=request.user, decision=decision, **data),
        success=f"{decision.reference} is withdrawn",
    )


@require_http_methods(["GET", "POST"])
def decision_supersede(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    return _step(
        request,
        decision,
        SupersedeForm(decision=decision, **submitted(request)),
        heading="Record that a later decision supersedes this one",
        submit_text="Mark as superseded",
        intro="Both decisions will link to each other, and this one's record is kept.",
        save=lambda data: services.decision_supersede(actor=request.user, decision=decision, **data),
        success=f"{decision.reference} is marked as superseded",
    )


@require_http_methods(["GET", "POST"])
def decision_ratify_at_board(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    # Board meetings held since the decision was approved: the next one is where it is ratified.
    meetings = board_meetings_since_approval(decision)
    return _step(
        request,
        decision,
        BoardRatificationForm(meetings=meetings, **submitted(request)),
        heading="Record the partnership board's ratification",
        submit_text="Record ratification",
        intro="An urgent decision taken between meetings must be ratified at the next board meeting.",
        save=lambda data: services.decision_ratify_at_board(actor=request.user, decision=decision, **data),
        success=f"The board's ratification of {decision.reference} is recorded",
    )


@require_http_methods(["GET", "POST"])
def signoff_extend(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    return _step(
        request,
        decision,
        ExtendForm(**submitted(request)),
        heading="Extend sign-off",
        submit_text="Extend sign-off",
        intro="Votes already cast stand. Signatories who have not signed will be reminded before the new date.",
        save=lambda data: services.signoff_extend(actor=request.user, decision=decision, **data),
        success=f"Sign-off on {decision.reference} is extended",
    )
