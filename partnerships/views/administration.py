"""The pages of an organisation's administrators (its board or company secretary, its governance team): its record,
its administrators, and their answers to what partnerships record about it: delegations, who represents it, and
proposed corrections. Each page shows what it will do on GET and calls the service on POST."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.http import render_form, saved, submitted

from .. import services
from ..access import (
    administrators_of,
    get_administered_organisation_for_user,
    get_affiliation_to_answer_for_user,
    get_correction_to_answer_for_user,
    get_delegation_to_confirm_for_user,
    get_organisation_for_user,
)
from ..forms import (
    AdministratorAppointForm,
    AffiliationDeclineForm,
    ConfirmForm,
    CorrectionAcceptForm,
    CorrectionDeclineForm,
)
from ..selectors.partnerships import correction_rows
from ._common import organisation_section
from .organisations import record_change


@require_http_methods(["GET", "POST"])
def organisation_change(request, pk: int):
    organisation = get_organisation_for_user(request.user, pk, change=True)
    return record_change(request, organisation)


@require_http_methods(["GET", "POST"])
def administrator_appoint(request, pk: int):
    organisation = get_administered_organisation_for_user(request.user, pk)
    form = AdministratorAppointForm(organisation=organisation, anyone=request.user.is_superuser, **submitted(request))
    if saved(
        request,
        form,
        lambda data: services.organisation_administrator_appoint(
            actor=request.user, organisation=organisation, user=data["user"]
        ),
    ):
        messages.success(
            request, f"{form.cleaned_data['user'].display_name} is now an administrator of {organisation.name}"
        )
        return redirect(organisation_section(organisation, "administrators"))
    context = {"form": form, "organisation": organisation}
    return render_form(request, "partnerships/administrator_appoint.html", context)


@require_http_methods(["GET", "POST"])
def administrator_remove(request, pk: int, user_pk: int):
    organisation = get_administered_organisation_for_user(request.user, pk)
    administrator = administrators_of(organisation).filter(pk=user_pk).first()
    if administrator is None:
        raise Http404("No such administrator.")
    form = ConfirmForm(**submitted(request))
    if saved(
        request,
        form,
        lambda data: services.organisation_administrator_remove(
            actor=request.user, organisation=organisation, user=administrator
        ),
    ):
        messages.success(request, f"{administrator.display_name} is no longer an administrator of {organisation.name}")
        return redirect(organisation_section(organisation, "administrators"))
    context = {"form": form, "organisation": organisation, "administrator": administrator}
    return render_form(request, "partnerships/administrator_remove.html", context)


@require_http_methods(["GET", "POST"])
def delegation_confirm(request, pk: int):
    delegation = get_delegation_to_confirm_for_user(request.user, pk)
    form = ConfirmForm(**submitted(request))
    if saved(request, form, lambda data: services.delegation_confirm(actor=request.user, delegation=delegation)):
        messages.success(
            request,
            f"You have confirmed the delegation of {delegation.organisation.name} in {delegation.partnership.name}",
        )
        return redirect(organisation_section(delegation.organisation, "organisation-delegations"))
    refusal = None
    if delegation.is_confirmed and request.method == "GET":
        when = timezone.localtime(delegation.confirmed_at)
        refusal = f"This delegation was confirmed on {when:%-d %B %Y} already."
    context = {"form": form, "delegation": delegation, "refusal": refusal}
    return render_form(request, "partnerships/delegation_confirm.html", context)


@require_http_methods(["GET", "POST"])
def affiliation_confirm(request, pk: int, code: str, user_pk: int):
    grant = get_affiliation_to_answer_for_user(request.user, pk, code, user_pk)
    partnership, person, organisation = grant.content_object, grant.user, grant.organisation
    form = ConfirmForm(**submitted(request))
    if saved(
        request,
        form,
        lambda data: services.affiliation_confirm(actor=request.user, partnership=partnership, user=person),
    ):
        messages.success(
            request,
            f"You have confirmed that {person.display_name} represents {organisation.name} in {partnership.name}",
        )
        return redirect(organisation_section(organisation, "representatives"))
    refusal = None
    if grant.organisation_confirmed_at is not None and request.method == "GET":
        refusal = f"{person.display_name} was confirmed as representing {organisation.name} already."
    context = {"form": form, "grant": grant, "refusal": refusal, "answer": "confirm"}
    return render_form(request, "partnerships/affiliation_answer.html", context)


@require_http_methods(["GET", "POST"])
def affiliation_decline(request, pk: int, code: str, user_pk: int):
    grant = get_affiliation_to_answer_for_user(request.user, pk, code, user_pk)
    partnership, person, organisation = grant.content_object, grant.user, grant.organisation
    form = AffiliationDeclineForm(**submitted(request))
    if saved(
        request,
        form,
        lambda data: services.affiliation_decline(
            actor=request.user, partnership=partnership, user=person, reason=data["reason"]
        ),
    ):
        messages.success(
            request, f"{person.display_name} no longer represents {organisation.name} in {partnership.name}"
        )
        return redirect(organisation_section(organisation, "representatives"))
    context = {"form": form, "grant": grant, "answer": "decline"}
    return render_form(request, "partnerships/affiliation_answer.html", context)


@require_http_methods(["GET", "POST"])
def correction_accept(request, pk: int):
    return _correction_answer(request, pk, accept=True)


@require_http_methods(["GET", "POST"])
def correction_decline(request, pk: int):
    return _correction_answer(request, pk, accept=False)


def _correction_answer(request, pk: int, *, accept: bool):
    """Accepting and declining show the same page: the change proposed, and the answer's box."""
    correction = get_correction_to_answer_for_user(request.user, pk)
    form = (CorrectionAcceptForm if accept else CorrectionDeclineForm)(**submitted(request))
    service = services.correction_accept if accept else services.correction_decline
    if saved(request, form, lambda data: service(actor=request.user, correction=correction, answer=data["answer"])):
        outcome = "accepted: the record has been changed" if accept else "declined: the record stays as it is"
        messages.success(request, f"The correction proposed from {correction.partnership.name} has been {outcome}")
        return redirect(organisation_section(correction.organisation, "corrections"))
    refusal = None
    if not correction.is_pending and request.method == "GET":
        refusal = f"This correction was {correction.get_status_display().lower()} already."
    context = {
        "form": form,
        "correction": correction,
        "rows": correction_rows(correction),
        "accept": accept,
        "refusal": refusal,
    }
    return render_form(request, "partnerships/correction_answer.html", context)
