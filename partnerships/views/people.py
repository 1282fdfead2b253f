"""The lead's forms for people: invite, change roles and organisation, remove; and delegations of authority."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from core.http import render_form, saved, submitted
from partnerships.views._common import overview_url

from .. import services
from ..access import (
    Action,
    get_delegation_for_user,
    get_partnership_for_user,
    get_person_for_user,
)
from ..forms import (
    ConfirmForm,
    DelegationForm,
    PersonChangeForm,
    PersonInviteForm,
)
from ..selectors import partnerships as selectors


@require_http_methods(["GET", "POST"])
def person_invite(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = PersonInviteForm(partnership=partnership, **submitted(request))
    if saved(request, form, lambda data: services.person_invite(actor=request.user, partnership=partnership, **data)):
        messages.success(
            request,
            f"An account has been made for {form.cleaned_data['first_name']} {form.cleaned_data['last_name']}"
            f" and a link to choose a password sent to {form.cleaned_data['email']}",
        )
        return redirect(overview_url(partnership, "people"))
    return render_form(request, "partnerships/person_invite.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def person_update(request, code: str, pk: int):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    person = get_person_for_user(request.user, partnership, pk, Action.MANAGE)
    profile = getattr(person, "profile", None)
    initial = {
        "roles": selectors.role_values_of(partnership, person),
        "organisation": profile.organisation_id if profile else None,
        "job_title": profile.job_title if profile else "",
        "is_clinician": profile.is_clinician if profile else False,
    }
    form = PersonChangeForm(partnership=partnership, initial=initial, **submitted(request))
    if saved(
        request,
        form,
        lambda data: services.person_update(actor=request.user, partnership=partnership, user=person, **data),
    ):
        messages.success(request, f"The roles and details of {person.display_name} have been saved")
        return redirect(overview_url(partnership, "people"))
    context = {"form": form, "partnership": partnership, "person": person}
    return render_form(request, "partnerships/person_update.html", context)


@require_http_methods(["GET", "POST"])
def person_remove(request, code: str, pk: int):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    person = get_person_for_user(request.user, partnership, pk, Action.MANAGE)
    form = ConfirmForm(**submitted(request))
    if saved(
        request, form, lambda data: services.person_remove(actor=request.user, partnership=partnership, user=person)
    ):
        messages.success(request, f"{person.display_name} no longer has a role in {partnership.name}")
        return redirect(overview_url(partnership, "people"))
    context = {"form": form, "partnership": partnership, "person": person}
    return render_form(request, "partnerships/person_remove.html", context)


@require_http_methods(["GET", "POST"])
def delegation_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = DelegationForm(partnership=partnership, **submitted(request))
    if saved(
        request, form, lambda data: services.delegation_create(actor=request.user, partnership=partnership, **data)
    ):
        messages.success(request, f"The delegation for {form.cleaned_data['organisation']} has been added")
        return redirect(overview_url(partnership, "delegations"))
    return render_form(request, "partnerships/delegation_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def delegation_update(request, pk: int):
    delegation = get_delegation_for_user(request.user, pk, change=True)
    initial = {name: getattr(delegation, name) for name in services.DELEGATION_FIELDS}
    initial.update(organisation=delegation.organisation_id, delegate=delegation.delegate_id)
    form = DelegationForm(partnership=delegation.partnership, initial=initial, **submitted(request))
    if saved(request, form, lambda data: services.delegation_update(actor=request.user, delegation=delegation, **data)):
        messages.success(request, f"The delegation for {delegation.organisation} has been saved")
        return redirect(overview_url(delegation.partnership, "delegations"))
    context = {"form": form, "partnership": delegation.partnership, "delegation": delegation}
    return render_form(request, "partnerships/delegation_form.html", context)
