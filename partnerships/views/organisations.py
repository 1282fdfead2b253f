"""An organisation's page, the lead's forms for organisations and their memberships of the partnership, and the
service administrators' correction of an organisation's shared record."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.http import render_form, saved, submitted
from partnerships.views._common import overview_url

from .. import services
from ..access import (
    Action,
    authorize_organisation_record_change,
    get_member_organisation_for_user,
    get_membership_for_user,
    get_organisation_for_user,
    get_partnership_for_user,
)
from ..forms import (
    MembershipAddForm,
    MembershipChangeForm,
    OrganisationChangeForm,
    OrganisationCreateForm,
)
from ..selectors import partnerships as selectors


@require_GET
def organisation_detail(request, pk: int):
    organisation = get_organisation_for_user(request.user, pk)
    page = selectors.organisation_page(request.user, organisation)
    return render(request, "partnerships/organisation_detail.html", {"page": page})


@require_http_methods(["GET", "POST"])
def organisation_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = OrganisationCreateForm(**submitted(request))

    def save(data):
        services.organisation_create(
            actor=request.user,
            partnership=partnership,
            membership_kind=data["membership_kind"],
            joined_on=data["joined_on"],
            **form.organisation_fields(),
        )

    if saved(request, form, save):
        messages.success(request, f"{form.cleaned_data['name']} has been added to the partnership")
        return redirect(overview_url(partnership, "members"))
    return render_form(request, "partnerships/organisation_create.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def organisation_update(request, code: str, pk: int):
    partnership = get_partnership_for_user(request.user, code)
    organisation = get_member_organisation_for_user(request.user, partnership, pk)
    authorize_organisation_record_change(request.user, organisation)
    initial = {name: getattr(organisation, name) or "" for name in OrganisationChangeForm.base_fields}
    form = OrganisationChangeForm(initial=initial, organisation=organisation, **submitted(request))

    def save(data):
        services.organisation_update(actor=request.user, organisation=organisation, **form.organisation_fields())

    if saved(request, form, save):
        messages.success(request, f"The details of {organisation.name} have been saved")
        return redirect(organisation)
    context = {"form": form, "partnership": partnership, "organisation": organisation}
    return render_form(request, "partnerships/organisation_update.html", context)


@require_http_methods(["GET", "POST"])
def membership_add(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = MembershipAddForm(**submitted(request))

    def save(data):
        services.membership_add(
            actor=request.user,
            partnership=partnership,
            organisation=form.organisation,
            kind=data["kind"],
            joined_on=data["joined_on"],
        )

    if saved(request, form, save):
        messages.success(request, f"{form.organisation.name} has been added to the partnership")
        return redirect(overview_url(partnership, "members"))
    return render_form(request, "partnerships/membership_add.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def membership_update(request, pk: int):
    membership = get_membership_for_user(request.user, pk, Action.MANAGE)
    initial = {"kind": membership.kind, "joined_on": membership.joined_on, "left_on": membership.left_on}
    form = MembershipChangeForm(initial=initial, **submitted(request))
    if saved(request, form, lambda data: services.membership_update(actor=request.user, membership=membership, **data)):
        messages.success(request, f"The membership of {membership.organisation.name} has been saved")
        return redirect(overview_url(membership.partnership, "members"))
    context = {"form": form, "membership": membership, "partnership": membership.partnership}
    return render_form(request, "partnerships/membership_update.html", context)
