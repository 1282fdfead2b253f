"""Coverage: the matrix of work-streams × stakeholder groups, the expectations behind it, and the partnership's own
stakeholder groups."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.http import post_only, render_form, saved, submitted
from engagement.selectors.coverage import amber_from, coverage_matrix, expectations_of, ordered_groups
from partnerships.access import Action, get_partnership_for_user

from .. import services
from ..access import (
    authorize_setting_expectations,
    get_expectation_for_user,
    may_manage_groups,
    workstreams_for_expectations,
)
from ..forms.coverage import ExpectationForm, StakeholderGroupForm
from ..forms.filters import CoverageForm


@require_GET
def coverage(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    form = CoverageForm(request.GET, partnership=partnership)
    form.is_valid()
    as_of = timezone.localdate()
    since = as_of - timedelta(days=form.period_days())
    workstream = form.chosen_workstream()
    matrix = coverage_matrix(partnership, as_of=as_of, since=since, workstreams=[workstream] if workstream else None)
    context = {
        "partnership": partnership,
        "form": form,
        "matrix": matrix,
        "period_label": dict(form.fields["period"].choices).get(str(form.period_days())),
        "example_interval": 90,
        "example_amber_from": amber_from(90),
        "can_set_expectations": workstreams_for_expectations(request.user, partnership).exists(),
    }
    return render_form(request, "engagement/coverage.html", context)


@require_http_methods(["GET", "POST"])
def expectation_list(request, code: str):
    """Every work-stream's expectations, and the form to set one for the work-streams the user may change."""
    partnership = get_partnership_for_user(request.user, code)
    settable = workstreams_for_expectations(request.user, partnership)
    groups = ordered_groups(partnership)
    form = ExpectationForm(workstreams=settable, groups=groups, **submitted(request))
    if request.method == "POST":
        authorize_setting_expectations(request.user, partnership)

    def save(data):
        return services.expectation_set(
            actor=request.user, workstream=data["workstream"], group=data["group"], interval_days=data["interval_days"]
        )

    expectation = saved(request, form, save)
    if expectation:
        messages.success(request, f"Expectation set: {expectation}.")
        return redirect("engagement:expectation_list", partnership.code)
    expectations = expectations_of(partnership)
    settable_ids = set(settable.values_list("pk", flat=True))
    context = {
        "partnership": partnership,
        "form": form,
        "expectations": expectations,
        "settable_ids": settable_ids,
    }
    return render_form(request, "engagement/expectation_list.html", context)


@post_only(
    redirect_to=lambda request, pk: (
        "engagement:expectation_list",
        get_expectation_for_user(request.user, pk).partnership.code,
    )
)
def expectation_remove(request, pk: int):
    expectation = get_expectation_for_user(request.user, pk, change=True)
    services.expectation_remove(actor=request.user, expectation=expectation)
    messages.success(request, f"Expectation removed: {expectation}.")
    return redirect("engagement:expectation_list", expectation.partnership.code)


@require_http_methods(["GET", "POST"])
def group_list(request, code: str):
    """The stakeholder groups: the defaults and the partnership's own, which the lead adds here."""
    action = Action.MANAGE if request.method == "POST" else Action.VIEW
    partnership = get_partnership_for_user(request.user, code, action)
    groups = ordered_groups(partnership)
    form = StakeholderGroupForm(groups=groups, **submitted(request))

    def save(data):
        services.stakeholder_group_add(
            actor=request.user,
            partnership=partnership,
            name=data["name"],
            parent=data["parent"],
            description=data["description"],
        )

    if saved(request, form, save):
        messages.success(request, f"Stakeholder group added: {form.cleaned_data['name']}.")
        return redirect("engagement:group_list", partnership.code)
    context = {
        "partnership": partnership,
        "groups": groups,
        "form": form,
        "can_manage": may_manage_groups(request.user, partnership),
    }
    return render_form(request, "engagement/group_list.html", context)
