"""An organisation's page, the lead's forms for organisations, their memberships of the partnership and the
corrections the lead proposes to an organisation's shared record, and the form for that record itself."""

from functools import partial

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.http import render_form, saved, submitted
from partnerships.views._common import overview_url

from .. import services
from ..access import (
    ORGANISATION_REFERENCE_FIELDS,
    Action,
    administrators_of,
    authorize_correction_proposal,
    authorize_organisation_record_change,
    can_answer_correction,
    can_appoint_organisation_administrator,
    can_change_delegation,
    can_change_organisation_record,
    can_confirm_affiliation,
    can_confirm_delegation,
    get_member_organisation_for_user,
    get_membership_for_user,
    get_organisation_for_user,
    get_partnership_for_user,
)
from ..forms import (
    CorrectionForm,
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
    user = request.user
    context = {
        "page": page,
        # The buttons each row offers, asked of the same functions as the services behind them.
        "can_appoint": can_appoint_organisation_administrator(user, organisation),
        "can_change_delegation": partial(can_change_delegation, user),
        "can_confirm_delegation": partial(can_confirm_delegation, user),
        "can_confirm_affiliation": can_confirm_affiliation(user, organisation),
        "can_answer_correction": partial(can_answer_correction, user),
    }
    return render(request, "partnerships/organisation_detail.html", context)


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
    """The record's change page under a partnership's address, as it was before organisations had their own
    administrators: the same page as /organisations/<pk>/change/."""
    partnership = get_partnership_for_user(request.user, code)
    organisation = get_member_organisation_for_user(request.user, partnership, pk)
    authorize_organisation_record_change(request.user, organisation)
    return record_change(request, organisation, partnership)


def record_change(request, organisation, partnership=None):
    """The form for an organisation's shared record, for someone `can_change_organisation_record` lets through:
    the reference fields from the NHS data only for those who may change them."""
    reference_fields = can_change_organisation_record(request.user, organisation, ORGANISATION_REFERENCE_FIELDS)
    initial = {name: getattr(organisation, name) or "" for name in OrganisationChangeForm.base_fields}
    form = OrganisationChangeForm(
        initial=initial, organisation=organisation, reference_fields=reference_fields, **submitted(request)
    )

    def save(data):
        services.organisation_update(actor=request.user, organisation=organisation, **form.organisation_fields())

    if saved(request, form, save):
        messages.success(request, f"The details of {organisation.name} have been saved")
        return redirect(organisation)
    context = {"form": form, "organisation": organisation, "partnership": partnership}
    return render_form(request, "partnerships/organisation_update.html", context)


@require_http_methods(["GET", "POST"])
def correction_propose(request, code: str, pk: int):
    partnership = get_partnership_for_user(request.user, code)
    organisation = get_member_organisation_for_user(request.user, partnership, pk)
    authorize_correction_proposal(request.user, organisation, partnership)
    initial = {name: getattr(organisation, name) or "" for name in CorrectionForm.base_fields if name != "reason"}
    form = CorrectionForm(initial=initial, organisation=organisation, **submitted(request))

    def save(data):
        return services.correction_propose(
            actor=request.user,
            partnership=partnership,
            organisation=organisation,
            reason=data["reason"],
            **form.organisation_fields(),
        )

    administrators = list(administrators_of(organisation))
    if saved(request, form, save):
        names = [administrator.display_name for administrator in administrators]
        answerer = (
            f"{organisation.name}'s administrators ({', '.join(names)}) will answer it"
            if names
            else f"{organisation.name} has no administrator yet, so the service administrators will answer it"
        )
        messages.success(request, f"Your correction has been sent: {answerer}")
        return redirect(overview_url(partnership, "members"))
    context = {"form": form, "partnership": partnership, "organisation": organisation, "administrators": administrators}
    return render_form(request, "partnerships/correction_propose.html", context)


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
