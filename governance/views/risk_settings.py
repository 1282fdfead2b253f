"""The board's risk appetite in each domain, the partnership's own domains, and the bands and escalation score.
Everyone in the partnership reads the appetite; only the lead changes any of it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.http import render_form, saved, submitted
from partnerships.access import Action, can, get_partnership_for_user

from ..access import get_risk_domain_for_user
from ..forms.risk_settings import RiskAppetiteForm, RiskDomainForm, RiskSettingsForm
from ..models import RiskSettings
from ..selectors import risks as selectors
from ..services import risk_register as services


@require_GET
def risk_appetite(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    context = {
        "partnership": partnership,
        "settings": RiskSettings.for_partnership(partnership),
        "domains": selectors.appetite_overview(partnership),
        "can_manage": can(request.user, partnership, Action.MANAGE),
    }
    return render(request, "governance/risk_appetite.html", context)


@require_http_methods(["GET", "POST"])
def risk_appetite_update(request, code: str, domain_pk: int):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    domain = get_risk_domain_for_user(request.user, partnership, domain_pk)
    settings = RiskSettings.for_partnership(partnership)
    current = selectors.appetite_for(partnership, domain)
    initial = {name: getattr(current, name) for name in RiskAppetiteForm.base_fields} if current else {}
    form = RiskAppetiteForm(initial=initial, settings=settings, **submitted(request))

    def save(data):
        services.risk_appetite_set(actor=request.user, partnership=partnership, domain=domain, **data)

    if saved(request, form, save):
        messages.success(request, f"The appetite for {domain.name.lower()} risks has been saved")
        return redirect("governance:risk_appetite", partnership.code)
    context = {"form": form, "partnership": partnership, "domain": domain}
    return render_form(request, "governance/risk_appetite_form.html", context)


@require_http_methods(["GET", "POST"])
def risk_domain_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = RiskDomainForm(**submitted(request))
    if saved(
        request, form, lambda data: services.risk_domain_create(actor=request.user, partnership=partnership, **data)
    ):
        messages.success(request, f"The risk domain {form.cleaned_data['name']} has been added")
        return redirect("governance:risk_appetite", partnership.code)
    return render_form(request, "governance/risk_domain_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def risk_settings_update(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    current = RiskSettings.for_partnership(partnership)
    form = RiskSettingsForm(
        initial={name: getattr(current, name) for name in RiskSettingsForm.base_fields}, **submitted(request)
    )
    if saved(
        request, form, lambda data: services.risk_settings_update(actor=request.user, partnership=partnership, **data)
    ):
        messages.success(request, "The risk bands and escalation score have been saved")
        return redirect("governance:risk_appetite", partnership.code)
    context = {"form": form, "partnership": partnership, "settings": current}
    return render_form(request, "governance/risk_settings_form.html", context)
