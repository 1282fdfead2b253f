"""Agreements between the partners: their pages, documents and the lead's forms."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import history_for
from core.http import download, render_form, saved, submitted

from .. import services
from ..access import (
    Action,
    can,
    get_agreement_for_user,
    get_partnership_for_user,
)
from ..forms import (
    AgreementForm,
)


@require_GET
def agreement_detail(request, pk: int):
    agreement = get_agreement_for_user(request.user, pk)
    context = {
        "agreement": agreement,
        "parties": agreement.parties.order_by("name"),
        "history": history_for(agreement)[:50],
        "can_manage": can(request.user, agreement.partnership, Action.MANAGE),
    }
    return render(request, "partnerships/agreement_detail.html", context)


@require_GET
def agreement_document(request, pk: int):
    """The agreement's document, to whoever may see the agreement: media files have no public URL."""
    agreement = get_agreement_for_user(request.user, pk)
    if not agreement.document:
        raise Http404("This agreement has no document.")
    return download(agreement.document, filename=agreement.document_filename)


@require_http_methods(["GET", "POST"])
def agreement_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = AgreementForm(partnership=partnership, **submitted(request))
    agreement = saved(
        request, form, lambda data: services.agreement_create(actor=request.user, partnership=partnership, **data)
    )
    if agreement:
        messages.success(request, f"The agreement “{agreement.title}” has been added")
        return redirect(agreement)
    return render_form(request, "partnerships/agreement_form.html", {"form": form, "partnership": partnership})


@require_http_methods(["GET", "POST"])
def agreement_update(request, pk: int):
    agreement = get_agreement_for_user(request.user, pk, Action.MANAGE)
    initial = {name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS}
    initial["parties"] = list(agreement.parties.values_list("pk", flat=True))
    form = AgreementForm(partnership=agreement.partnership, initial=initial, **submitted(request))
    if saved(request, form, lambda data: services.agreement_update(actor=request.user, agreement=agreement, **data)):
        messages.success(request, f"The agreement “{agreement.title}” has been saved")
        return redirect(agreement)
    context = {"form": form, "partnership": agreement.partnership, "agreement": agreement}
    return render_form(request, "partnerships/agreement_form.html", context)
