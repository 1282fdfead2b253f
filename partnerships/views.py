"""The partnerships pages: my partnerships, a partnership's overview, organisations and agreements, and the
lead's forms. Access comes from access.py, reads from selectors.py, and every change from services.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import history_for
from core.http import render_form

from . import selectors, services
from .access import (
    Action,
    can,
    get_in_partnership_for_user,
    get_member_organisation_for_user,
    get_organisation_for_user,
    get_partnership_for_user,
    get_person_for_user,
)
from .forms import (
    AgreementForm,
    ConfirmForm,
    DelegationForm,
    MembershipAddForm,
    MembershipChangeForm,
    OrganisationChangeForm,
    OrganisationCreateForm,
    PartnershipDetailsForm,
    PersonChangeForm,
    PersonInviteForm,
    add_service_errors,
)
from .models import Agreement, Delegation, Membership

# --- Pages ---------------------------------------------------------------------------------------------------------


@require_GET
def mine(request):
    partnerships = selectors.my_partnerships(request.user)
    return render(request, "partnerships/partnership_list.html", {"partnerships": partnerships})


@require_GET
def overview(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    context = {
        "overview": selectors.partnership_overview(partnership),
        "can_manage": can(request.user, partnership, Action.MANAGE),
    }
    return render(request, "partnerships/partnership_overview.html", context)


@require_GET
def organisation_detail(request, pk: int):
    organisation = get_organisation_for_user(request.user, pk)
    page = selectors.organisation_page(request.user, organisation)
    return render(request, "partnerships/organisation_detail.html", {"page": page})


@require_GET
def agreement_detail(request, pk: int):
    agreement = get_in_partnership_for_user(Agreement.objects, request.user, pk=pk)
    context = {
        "agreement": agreement,
        "parties": agreement.parties.order_by("name"),
        "history": history_for(agreement)[:50],
        "can_manage": can(request.user, agreement.partnership, Action.MANAGE),
    }
    return render(request, "partnerships/agreement_detail.html", context)


@require_GET
@never_cache
def agreement_document(request, pk: int):
    """The agreement's document, to whoever may see the agreement: media files have no public URL."""
    agreement = get_in_partnership_for_user(Agreement.objects, request.user, pk=pk)
    if not agreement.document:
        raise Http404("This agreement has no document.")
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The document is missing.") from missing
    return FileResponse(handle, as_attachment=True, filename=agreement.document_filename)


# --- The lead's forms ----------------------------------------------------------------------------------------------


def _submitted(request) -> dict:
    """The form's data and files on a POST (even an empty one, which must fail validation), or nothing on a GET."""
    if request.method == "POST":
        return {"data": request.POST, "files": request.FILES}
    return {}


def _saved(request, form, save) -> bool:
    """Call `save(cleaned_data)` (a service) for a valid POST. False, with the errors on the form, otherwise."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _overview_url(partnership, section: str) -> str:
    return f"{reverse('partnerships:overview', args=[partnership.code])}#{section}"


@require_http_methods(["GET", "POST"])
def partnership_update(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    initial = {name: getattr(partnership, name) for name in PartnershipDetailsForm.base_fields}
    form = PartnershipDetailsForm(initial=initial, **_submitted(request))
    if _saved(
        request, form, lambda data: services.partnership_update(actor=request.user, partnership=partnership, **data)
    ):
        messages.success(request, "The partnership's details have been saved")
        return redirect(partnership)
    return render_form(request, "partnerships/partnership_update.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def organisation_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = OrganisationCreateForm(**_submitted(request))

    def save(data):
        services.organisation_create(
            actor=request.user,
            partnership=partnership,
            membership_kind=data["membership_kind"],
            joined_on=data["joined_on"],
            **form.organisation_fields(),
        )

    if _saved(request, form, save):
        messages.success(request, f"{form.cleaned_data['name']} has been added to the partnership")
        return redirect(_overview_url(partnership, "members"))
    return render_form(request, "partnerships/organisation_create.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def organisation_update(request, code: str, pk: int):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    organisation = get_member_organisation_for_user(request.user, partnership, pk, Action.MANAGE)
    initial = {name: getattr(organisation, name) or "" for name in OrganisationChangeForm.base_fields}
    form = OrganisationChangeForm(initial=initial, organisation=organisation, **_submitted(request))

    def save(data):
        services.organisation_update(
            actor=request.user, partnership=partnership, organisation=organisation, **form.organisation_fields()
        )

    if _saved(request, form, save):
        messages.success(request, f"The details of {organisation.name} have been saved")
        return redirect(organisation)
    context = {"form": form, "partnership": partnership, "organisation": organisation}
    return render_form(request, "partnerships/organisation_update.html", context)


@require_http_methods(["GET", "POST"])
def membership_add(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = MembershipAddForm(**_submitted(request))

    def save(data):
        services.membership_add(
            actor=request.user,
            partnership=partnership,
            organisation=form.organisation,
            kind=data["kind"],
            joined_on=data["joined_on"],
        )

    if _saved(request, form, save):
        messages.success(request, f"{form.organisation.name} has been added to the partnership")
        return redirect(_overview_url(partnership, "members"))
    return render_form(request, "partnerships/membership_add.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def membership_update(request, pk: int):
    membership = get_in_partnership_for_user(
        Membership.objects.select_related("organisation"), request.user, Action.MANAGE, pk=pk
    )
    initial = {"kind": membership.kind, "joined_on": membership.joined_on, "left_on": membership.left_on}
    form = MembershipChangeForm(initial=initial, **_submitted(request))
    if _saved(
        request, form, lambda data: services.membership_update(actor=request.user, membership=membership, **data)
    ):
        messages.success(request, f"The membership of {membership.organisation.name} has been saved")
        return redirect(_overview_url(membership.partnership, "members"))
    context = {"form": form, "membership": membership, "partnership": membership.partnership}
    return render_form(request, "partnerships/membership_update.html", context)


@require_http_methods(["GET", "POST"])
def person_invite(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = PersonInviteForm(partnership=partnership, **_submitted(request))
    if _saved(request, form, lambda data: services.person_invite(actor=request.user, partnership=partnership, **data)):
        messages.success(
            request,
            f"An account has been made for {form.cleaned_data['first_name']} {form.cleaned_data['last_name']}"
            f" and a link to choose a password sent to {form.cleaned_data['email']}",
        )
        return redirect(_overview_url(partnership, "people"))
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
    form = PersonChangeForm(partnership=partnership, initial=initial, **_submitted(request))
    if _saved(
        request,
        form,
        lambda data: services.person_update(actor=request.user, partnership=partnership, user=person, **data),
    ):
        messages.success(request, f"The roles and details of {person.display_name} have been saved")
        return redirect(_overview_url(partnership, "people"))
    context = {"form": form, "partnership": partnership, "person": person}
    return render_form(request, "partnerships/person_update.html", context)


@require_http_methods(["GET", "POST"])
def person_remove(request, code: str, pk: int):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    person = get_person_for_user(request.user, partnership, pk, Action.MANAGE)
    form = ConfirmForm(**_submitted(request))
    if _saved(
        request, form, lambda data: services.person_remove(actor=request.user, partnership=partnership, user=person)
    ):
        messages.success(request, f"{person.display_name} no longer has a role in {partnership.name}")
        return redirect(_overview_url(partnership, "people"))
    context = {"form": form, "partnership": partnership, "person": person}
    return render_form(request, "partnerships/person_remove.html", context)


@require_http_methods(["GET", "POST"])
def delegation_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = DelegationForm(partnership=partnership, **_submitted(request))
    if _saved(
        request, form, lambda data: services.delegation_create(actor=request.user, partnership=partnership, **data)
    ):
        messages.success(request, f"The delegation for {form.cleaned_data['organisation']} has been added")
        return redirect(_overview_url(partnership, "delegations"))
    return render_form(request, "partnerships/delegation_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def delegation_update(request, pk: int):
    delegation = get_in_partnership_for_user(
        Delegation.objects.select_related("organisation", "delegate"), request.user, Action.MANAGE, pk=pk
    )
    initial = {name: getattr(delegation, name) for name in services.DELEGATION_FIELDS}
    initial.update(organisation=delegation.organisation_id, delegate=delegation.delegate_id)
    form = DelegationForm(partnership=delegation.partnership, initial=initial, **_submitted(request))
    if _saved(
        request, form, lambda data: services.delegation_update(actor=request.user, delegation=delegation, **data)
    ):
        messages.success(request, f"The delegation for {delegation.organisation} has been saved")
        return redirect(_overview_url(delegation.partnership, "delegations"))
    context = {"form": form, "partnership": delegation.partnership, "delegation": delegation}
    return render_form(request, "partnerships/delegation_form.html", context)


@require_http_methods(["GET", "POST"])
def agreement_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = AgreementForm(partnership=partnership, **_submitted(request))
    created = []

    def save(data):
        created.append(services.agreement_create(actor=request.user, partnership=partnership, **data))

    if _saved(request, form, save):
        messages.success(request, f"The agreement “{created[0].title}” has been added")
        return redirect(created[0])
    return render_form(request, "partnerships/agreement_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def agreement_update(request, pk: int):
    agreement = get_in_partnership_for_user(Agreement.objects, request.user, Action.MANAGE, pk=pk)
    initial = {name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS}
    initial["parties"] = list(agreement.parties.values_list("pk", flat=True))
    form = AgreementForm(partnership=agreement.partnership, initial=initial, **_submitted(request))
    if _saved(request, form, lambda data: services.agreement_update(actor=request.user, agreement=agreement, **data)):
        messages.success(request, f"The agreement “{agreement.title}” has been saved")
        return redirect(agreement)
    context = {"form": form, "partnership": agreement.partnership, "agreement": agreement}
    return render_form(request, "partnerships/agreement_form.html", context)
