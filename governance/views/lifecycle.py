"""The steps of a decision's lifecycle. Each is a small form on one shared page template: a confirmation, a
reason or a date, then the service, then back to the decision."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from core.http import render_form, saved, submitted
from partnerships.access import Action

from .. import services
from ..access import (
    authorize_defer,
    authorize_extend_signoff,
    authorize_open_for_challenge,
    authorize_open_signoff,
    authorize_proposer_or_lead,
    authorize_ratify_at_board,
    authorize_reopen,
    authorize_supersede,
    authorize_withdraw,
    get_decision_for_user,
)
from ..forms.lifecycle import (
    BoardRatificationForm,
    ExtendForm,
    OpenSignoffForm,
    ReasonForm,
    ReopenForm,
    SupersedeForm,
)
from ..models import DecisionSettings
from ..selectors.decisions import board_meetings_to_ratify_at, next_board_meeting
from ._closed import closed_on_get, step_closed, why_not


def _step(request, decision, form, *, authorize, heading: str, submit_text: str, intro: str, save, success: str):
    """A step's page: on a GET, why it cannot be taken now if `authorize` (the rule its service asks) says so;
    otherwise its form, then the service, then back to the decision."""
    closed = closed_on_get(request, decision, authorize, heading=heading)
    if closed:
        return closed
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
        authorize=authorize_open_for_challenge,
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
        authorize=authorize_open_signoff,
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
        authorize=authorize_reopen,
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
        authorize=authorize_defer,
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
        authorize=authorize_withdraw,
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
        authorize=authorize_supersede,
        heading="Record that a later decision supersedes this one",
        submit_text="Mark as superseded",
        intro="Both decisions will link to each other, and this one's record is kept.",
        save=lambda data: services.decision_supersede(actor=request.user, decision=decision, **data),
        success=f"{decision.reference} is marked as superseded",
    )


@require_http_methods(["GET", "POST"])
def decision_ratify_at_board(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    heading = "Record the partnership board's ratification"
    # Board meetings held since the decision was approved and quorate: the next one is where it is ratified.
    meetings, not_yet = board_meetings_to_ratify_at(decision)
    if (
        request.method == "GET"
        and not meetings.exists()
        and not why_not(request.user, decision, authorize_ratify_at_board)
    ):
        return _no_meeting_to_ratify_at(request, decision, heading=heading, not_yet=not_yet)
    return _step(
        request,
        decision,
        BoardRatificationForm(meetings=meetings, **submitted(request)),
        authorize=authorize_ratify_at_board,
        heading=heading,
        submit_text="Record ratification",
        intro="An urgent decision taken between meetings must be ratified at the next board meeting. Only a board "
        "meeting that was held, with its attendance recorded as quorate, can ratify it.",
        save=lambda data: services.decision_ratify_at_board(actor=request.user, decision=decision, **data),
        success=f"The board's ratification of {decision.reference} is recorded",
    )


def _no_meeting_to_ratify_at(request, decision, *, heading: str, not_yet):
    """No board meeting can ratify the decision yet: say which meetings came close and why not, and what to do."""
    approved_on = date_format(timezone.localtime(decision.decided_at), "j F Y") if decision.decided_at else ""
    reason = (
        f"No board meeting since {decision.reference} was approved{' on ' + approved_on if approved_on else ''} can "
        "ratify it yet: only a board meeting that was held, with its attendance recorded as quorate, can."
    )
    links = [(why, str(meeting), meeting.get_absolute_url()) for meeting, why in not_yet]
    advice = []
    if not_yet:
        advice.append(
            "If a meeting below took place and was quorate, record on its page that it was held and who attended."
        )
    upcoming = next_board_meeting(decision)
    if upcoming is not None:
        advice.append("Once the next board meeting is held, record on its page that it was held and who attended.")
        links.append(("The next board meeting:", str(upcoming), upcoming.get_absolute_url()))
    else:
        advice.append("No board meeting is scheduled. Schedule one, hold it and record who attended.")
        schedule = reverse("workstreams:board_meeting_create", args=[decision.partnership.code])
        links.append(("", "Schedule a board meeting", schedule))
    advice.append("Then come back here to record the ratification.")
    return step_closed(request, decision, heading=heading, reason=reason, advice=" ".join(advice), links=links)


@require_http_methods(["GET", "POST"])
def signoff_extend(request, pk: int):
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    return _step(
        request,
        decision,
        ExtendForm(**submitted(request)),
        authorize=authorize_extend_signoff,
        heading="Extend sign-off",
        submit_text="Extend sign-off",
        intro="Votes already cast stand. Signatories who have not signed will be reminded before the new date.",
        save=lambda data: services.signoff_extend(actor=request.user, decision=decision, **data),
        success=f"Sign-off on {decision.reference} is extended",
    )
