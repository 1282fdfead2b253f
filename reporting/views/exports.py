"""A lead's "Download everything": the page that asks for an archive of the partnership's complete record and follows
its preparation by the background worker, and the archive's download (each one recorded in the history)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core.broker import worker_last_seen
from core.http import download, page_of, post_only
from partnerships.access import Action, get_partnership_for_user

from ..access import get_export_for_user
from ..selectors.exports import export_history, export_in_progress
from ..services import exports as services


@require_GET
def export_list(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    page = page_of(request, export_history(partnership))
    preparing = export_in_progress(partnership)
    context = {
        "partnership": partnership,
        "page": page,
        "preparing": preparing,
        "worker_last_seen": worker_last_seen() if preparing else None,
        "keep_days": settings.EXPORT_KEEP_DAYS,
    }
    return render(request, "reporting/export_list.html", context)


@post_only(redirect_to="reporting:export_list")
def export_request(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    _export, created = services.export_request(actor=request.user, partnership=partnership)
    if created:
        messages.success(
            request,
            "The archive is being prepared. This page shows how far it has got, and you will be emailed a link "
            "when it is ready.",
        )
    else:
        messages.info(request, "An archive is already being prepared: here is how far it has got.")
    return redirect("reporting:export_list", partnership.code)


@require_GET
def export_download(request, pk: int):
    export = get_export_for_user(request.user, pk)
    try:
        services.export_download(actor=request.user, export=export)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
        return redirect(export)
    return download(export.file, filename=export.filename, content_type="application/zip")
