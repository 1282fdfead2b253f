"""Linking an engagement activity to a decision from the activity's page: the write is the decision's, so the
page lives here (engagement may not import governance)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from core.http import render_form, saved, submitted
from engagement.access import get_activity_for_user
from partnerships.access import Action

from .. import services
from ..forms.evidence import LinkToDecisionForm
from ..selectors.evidence import decisions_to_link


@require_http_methods(["GET", "POST"])
def activity_link_decision(request, pk: int):
    activity = get_activity_for_user(request.user, pk, Action.CONTRIBUTE)
    form = LinkToDecisionForm(decisions=decisions_to_link(request.user, activity), **submitted(request))

    def save(data):
        services.decision_evidence_link(actor=request.user, decision=data["decision"], activity=activity)

    if saved(request, form, save):
        decision = form.cleaned_data["decision"]
        messages.success(request, f"{activity.title} now informs {decision.reference}")
        return redirect(decision.get_absolute_url() + "#engagement")
    context = {"activity": activity, "partnership": activity.partnership, "form": form}
    return render_form(request, "governance/activity_link_decision.html", context)
