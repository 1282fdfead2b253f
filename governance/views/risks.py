"""The risk register and its CSV export, the heat map, the board's escalated risks, a risk's page, and the forms to
raise, change, review and close a risk; and the lead's dismissal of a decision's suggested review."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.exports import csv_response
from core.http import page_of, query_without_page, render_form, saved, submitted
from partnerships.access import Action, can, get_partnership_for_user

from ..access import RiskAccess, can_change_risk, get_decision_for_user, get_risk_for_user
from ..api.filters import RiskFilter
from ..forms.risks import ReasonForm, RiskForm, RiskReviewForm
from ..models import RiskSettings
from ..selectors import risks as selectors
from ..selectors.risk_exports import EXPORT_HEADER, export_rows
from ..services import risk_reviews
from ..services import risks as services


@require_GET
def risk_list(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    filters = RiskFilter.for_page(request, selectors.register(partnership), partnership=partnership)
    page = page_of(request, filters.qs)
    context = {
        "partnership": partnership,
        "filter_form": filters.form,
        "page": page,
        "settings": RiskSettings.for_partnership(partnership),
        "flagged_decisions": list(selectors.decisions_review_suggested(partnership)),
        "query": query_without_page(request),
        "can_raise": can(request.user, partnership, Action.CONTRIBUTE),
        "can_manage": can(request.user, partnership, Action.MANAGE),
    }
    return render(request, "governance/risk_list.html", context)


@require_GET
def risk_export(request, code: str):
    """The register as CSV, with the same filters."""
    partnership = get_partnership_for_user(request.user, code)
    filters = RiskFilter.for_page(request, selectors.register(partnership), partnership=partnership)
    risks = filters.qs.prefetch_related("actions", "decisions")
    return csv_response(f"risks-{partnership.code}.csv", EXPORT_HEADER, export_rows(risks))


@require_GET
def risk_heat_map(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    context = {"partnership": partnership, "heat_map": selectors.heat_map(partnership)}
    return render(request, "governance/risk_heat_map.html", context)


@require_GET
def risk_escalated(request, code: str):
    """The board's register: every open risk at or above the partnership's escalation score."""
    partnership = get_partnership_for_user(request.user, code)
    context = {
        "partnership": partnership,
        "settings": RiskSettings.for_partnership(partnership),
        "risks": list(selectors.escalated_risks(partnership)),
    }
    return render(request, "governance/risk_escalated.html", context)


@require_http_methods(["GET", "POST"])
def risk_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.CONTRIBUTE)
    initial = {"owner": request.user.pk, "overseen_by": "Partnership board"}
    form = RiskForm(initial=initial, partnership=partnership, user=request.user, **submitted(request))
    risk = saved(request, form, lambda data: services.risk_raise(actor=request.user, partnership=partnership, **data))
    if risk:
        messages.success(request, f"Risk {risk.reference} is on the register")
        return redirect(risk)
    return render_form(request, "governance/risk_form.html", {"form": form, "partnership": partnership})


@require_GET
def risk_detail(request, pk: int):
    risk = get_risk_for_user(request.user, pk)
    context = {
        "risk": risk,
        "page": selectors.risk_page(risk, request.user),
        "can_change": can_change_risk(request.user, risk),
    }
    return render(request, "governance/risk_detail.html", context)


@require_http_methods(["GET", "POST"])
def risk_update(request, pk: int):
    risk = get_risk_for_user(request.user, pk, RiskAccess.CHANGE)
    fields = [name for name in RiskForm.base_fields if name not in ("likelihood", "consequence")]
    initial = {name: getattr(risk, name) for name in fields if name not in ("actions", "decisions")}
    initial.update(actions=list(risk.actions.all()), decisions=list(risk.decisions.all()))
    form = RiskForm(initial=initial, partnership=risk.partnership, user=request.user, risk=risk, **submitted(request))
    if saved(request, form, lambda data: services.risk_update(actor=request.user, risk=risk, **data)):
        messages.success(request, f"Your changes to {risk.reference} have been saved")
        return redirect(risk)
    context = {"form": form, "partnership": risk.partnership, "risk": risk}
    return render_form(request, "governance/risk_form.html", context)


@require_http_methods(["GET", "POST"])
def risk_review(request, pk: int):
    risk = get_risk_for_user(request.user, pk, RiskAccess.CHANGE)
    initial = {
        "reviewed_on": timezone.localdate(),
        "likelihood": risk.current_likelihood,
        "consequence": risk.current_consequence,
    }
    form = RiskReviewForm(initial=initial, risk=risk, **submitted(request))
    if saved(request, form, lambda data: risk_reviews.risk_review(actor=request.user, risk=risk, **data)):
        risk.refresh_from_db()
        messages.success(request, f"Your review of {risk.reference} is recorded: it now scores {risk.current_score}")
        return redirect(risk)
    context = {"form": form, "risk": risk, "settings": RiskSettings.for_partnership(risk.partnership)}
    return render_form(request, "governance/risk_review.html", context)


@require_http_methods(["GET", "POST"])
def risk_close(request, pk: int):
    risk = get_risk_for_user(request.user, pk, RiskAccess.CHANGE)
    form = ReasonForm(label="Why is the risk closed", missing="Say why the risk is closed", **submitted(request))
    if saved(request, form, lambda data: services.risk_close(actor=request.user, risk=risk, **data)):
        messages.success(request, f"{risk.reference} is closed")
        return redirect(risk)
    return render_form(request, "governance/risk_close.html", {"form": form, "risk": risk})


@require_http_methods(["GET", "POST"])
def decision_review_dismiss(request, pk: int):
    """The lead records that a decision a risk has put in question stands without a review."""
    decision = get_decision_for_user(request.user, pk, Action.MANAGE)
    form = ReasonForm(
        label="Why does the decision stand",
        missing="Say why the decision stands without a review",
        **submitted(request),
    )
    if saved(
        request, form, lambda data: risk_reviews.decision_review_dismiss(actor=request.user, decision=decision, **data)
    ):
        messages.success(request, f"{decision.reference} is no longer flagged for review")
        return redirect(decision)
    context = {"form": form, "decision": decision, "suggestion": selectors.review_suggestion_for(decision)}
    return render_form(request, "governance/risk_dismiss_review.html", context)
