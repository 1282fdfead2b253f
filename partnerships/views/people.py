"""The lead's forms for people: invite, change roles and organisation, remove; and delegations of authority."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core import second_factor
from core.http import render_form, saved, submitted
from partnerships.views._common import organisation_section, overview_url

from .. import services
from ..access import (
    Action,
    can_change_profile,
    can_reset_second_factor,
    get_delegation_for_user,
    get_partnership_for_user,
    get_person_for_user,
    partnership_for_delegation,
    roles_in,
)
from ..forms import (
    ConfirmForm,
    DelegationForm,
    PersonChangeForm,
    PersonInviteForm,
    SecondFactorResetForm,
)
from ..selectors import partnerships as selectors
from ..services.people import affiliation_of


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
    affiliation = affiliation_of(partnership, person)
    may_change_profile = can_change_profile(request.user, partnership, person)
    profile_values = {
        "job_title": profile.job_title if profile else "",
        "is_clinician": profile.is_clinician if profile else False,
    }
    initial = {
        "roles": selectors.role_values_of(partnership, person),
        "organisation": affiliation.organisation_id if affiliation else None,
        **profile_values,
    }
    form = PersonChangeForm(
        partnership=partnership, may_change_profile=may_change_profile, initial=initial, **submitted(request)
    )

    def save(data):
        # Someone who acts in other partnerships keeps their profile: the form does not offer it, and it is passed
        # on as it stands.
        services.person_update(actor=request.user, partnership=partnership, user=person, **{**profile_values, **data})

    if saved(request, form, save):
        messages.success(request, f"The roles and details of {person.display_name} have been saved")
        return redirect(overview_url(partnership, "people"))
    context = {
        "form": form,
        "partnership": partnership,
        "person": person,
        "affiliation": affiliation,
        "may_reset_second_factor": can_reset_second_factor(request.user, partnership, person)
        and second_factor.has_second_factor(person),
    }
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
def person_second_factor_reset(request, code: str, pk: int):
    """A person who has lost their phone and recovery codes: their lead resets the second factor."""
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    person = get_person_for_user(request.user, partnership, pk, Action.MANAGE)
    form = SecondFactorResetForm(**submitted(request))
    reset = saved(
        request,
        form,
        lambda data: services.person_second_factor_reset(
            actor=request.user, partnership=partnership, user=person, reason=data["reason"]
        ),
    )
    if reset:
        messages.success(
            request,
            f"The second factor of {person.display_name} has been reset. They have been signed out and emailed, and "
            "will set up an authenticator app when they next sign in",
        )
        return redirect("partnerships:person_update", partnership.code, person.pk)
    refusal = ""
    if not can_reset_second_factor(request.user, partnership, person):
        refusal = (
            f"{person.display_name} acts in other partnerships too, so only a service administrator can reset their "
            "second factor."
            if person.pk != request.user.pk
            else "To move your own second factor to a new phone, use the Sign-in security page."
        )
    elif not second_factor.has_second_factor(person):
        refusal = f"{person.display_name} has no second factor to reset."
    context = {"form": form, "partnership": partnership, "person": person, "refusal": refusal}
    return render_form(request, "partnerships/person_second_factor_reset.html", context)


@require_http_methods(["GET", "POST"])
def delegation_create(request, code: str):
    """The partnership's lead records delegations for any member; an organisation's administrator, even one with no
    role in the partnership, for the organisations they administer (`partnership_for_delegation`)."""
    partnership = partnership_for_delegation(request.user, code)
    form = DelegationForm(partnership=partnership, user=request.user, **submitted(request))
    delegation = saved(
        request, form, lambda data: services.delegation_create(actor=request.user, partnership=partnership, **data)
    )
    if delegation:
        messages.success(request, f"The delegation for {delegation.organisation} has been added")
        return redirect(_back_url(request.user, delegation.partnership, delegation.organisation))
    context = {"form": form, "partnership": partnership, "back_url": _back_url(request.user, partnership)}
    return render_form(request, "partnerships/delegation_form.html", context)


@require_http_methods(["GET", "POST"])
def delegation_update(request, pk: int):
    delegation = get_delegation_for_user(request.user, pk, change=True)
    initial = {name: getattr(delegation, name) for name in services.DELEGATION_FIELDS}
    initial.update(organisation=delegation.organisation_id, delegate=delegation.delegate_id)
    form = DelegationForm(partnership=delegation.partnership, user=request.user, initial=initial, **submitted(request))
    if saved(request, form, lambda data: services.delegation_update(actor=request.user, delegation=delegation, **data)):
        messages.success(request, f"The delegation for {delegation.organisation} has been saved")
        return redirect(_back_url(request.user, delegation.partnership, delegation.organisation))
    context = {
        "form": form,
        "partnership": delegation.partnership,
        "delegation": delegation,
        "back_url": _back_url(request.user, delegation.partnership, delegation.organisation),
    }
    return render_form(request, "partnerships/delegation_form.html", context)


def _back_url(user, partnership, organisation=None) -> str:
    """The partnership's delegations for someone with a role in it; otherwise (an organisation's administrator) the
    page of their organisation, or of the organisations they administer."""
    if roles_in(user, partnership):
        return overview_url(partnership, "delegations")
    if organisation is not None:
        return organisation_section(organisation, "organisation-delegations")
    return reverse("partnerships:mine")
