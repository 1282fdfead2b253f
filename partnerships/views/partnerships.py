"""My partnerships, a partnership's overview and the lead's form for its details. Access comes from
access.py, reads from selectors/, and every change from services/."""

from functools import partial

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.http import render_form, saved, submitted

from .. import services
from ..access import (
    Action,
    can,
    can_change_delegation,
    can_propose_corrections_in,
    can_record_delegation,
    get_partnership_for_user,
)
from ..forms import (
    PartnershipDetailsForm,
)
from ..selectors import partnerships as selectors

# --- Pages ---------------------------------------------------------------------------------------------------------


@require_GET
def mine(request):
    context = {
        "partnerships": selectors.my_partnerships(request.user),
        "organisations": selectors.my_organisations(request.user),
    }
    return render(request, "partnerships/partnership_list.html", context)


@require_GET
def overview(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    context = {
        "overview": selectors.partnership_overview(partnership),
        "can_manage": can(request.user, partnership, Action.MANAGE),
        "can_record_delegation": can_record_delegation(request.user, partnership),
        "can_propose_corrections": can_propose_corrections_in(request.user, partnership),
        "can_change_delegation": partial(can_change_delegation, request.user),
    }
    return render(request, "partnerships/partnership_overview.html", context)


@require_http_methods(["GET", "POST"])
def partnership_update(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    initial = {name: getattr(partnership, name) for name in PartnershipDetailsForm.base_fields}
    form = PartnershipDetailsForm(initial=initial, **submitted(request))
    if saved(
        request, form, lambda data: services.partnership_update(actor=request.user, partnership=partnership, **data)
    ):
        messages.success(request, "The partnership's details have been saved")
        return redirect(partnership)
    return render_form(request, "partnerships/partnership_update.html", {"form": form, "partnership": partnership})
