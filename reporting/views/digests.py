"""Board digests: a partnership's history of digests with "Build digest now" for the lead, one digest opening with
the reader's own organisation's to-do, its PDF, and the lead's schedule.

"Build digest now" queues the build for the background worker. When the broker does not answer, it builds the
digest here and now instead — building takes a fixed, small number of queries, so the lead's page stays quick and
the board's digest exists at once — and only its emails wait: the beat task's sweep sends them when the worker is
back. Nothing is lost and nothing is sent twice, and the page never fails because the broker is down.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.broker import worker_last_seen
from core.http import page_of, post_only, render_form, saved, submitted
from partnerships.access import Action, get_partnership_for_user

from ..access import can_manage_digests, get_digest_for_user
from ..forms.digests import DigestScheduleForm
from ..models import Digest, DigestSchedule, DigestStatus
from ..pdf import digest_pdf as render_digest_pdf
from ..selectors.digests import digest_for_reader, digest_history
from ..services import digests as services


@require_GET
def digest_list(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    page = page_of(request, digest_history(partnership))
    schedule = DigestSchedule.for_partnership(partnership)
    queued = any(digest.status == DigestStatus.QUEUED for digest in page.object_list)
    context = {
        "partnership": partnership,
        "page": page,
        "schedule": schedule,
        "next_due": schedule.next_due_at(timezone.now()),
        "can_manage": can_manage_digests(request.user, partnership),
        # For a queued build: whether a worker is about to take it, or none has been seen for a while.
        "worker_last_seen": worker_last_seen() if queued else None,
        "queued": queued,
    }
    return render(request, "reporting/digest_list.html", context)


BUILD_NOW_MESSAGES = {
    services.BuildNow.ALREADY_BUILT: (
        messages.INFO,
        "Today's digest is already built: here it is. A digest is built once for each day.",
    ),
    services.BuildNow.QUEUED: (
        messages.SUCCESS,
        "Today's digest is queued: the background worker will build it and email it to the board.",
    ),
    services.BuildNow.ALREADY_QUEUED: (
        messages.SUCCESS,
        "Today's digest is already queued: the background worker will build it shortly.",
    ),
    services.BuildNow.BUILT_HERE: (
        messages.WARNING,
        "The background worker could not be reached, so the digest was built here and now. Its emails could not "
        "be queued: they will be sent to the board when the worker is back.",
    ),
}


@post_only(redirect_to="reporting:digest_list")
def digest_build_now(request, code: str):
    """The lead's "Build digest now": through the worker, or here and now when the broker does not answer."""
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    digest, outcome = services.digest_build_now(actor=request.user, partnership=partnership)
    messages.add_message(request, *BUILD_NOW_MESSAGES[outcome])
    if outcome in (services.BuildNow.QUEUED, services.BuildNow.ALREADY_QUEUED):
        return redirect("reporting:digest_list", partnership.code)
    return redirect(digest)


def _detail_context(request, digest: Digest) -> dict:
    return {
        "digest": digest,
        "partnership": digest.partnership,
        "reading": digest_for_reader(digest, request.user) if digest.is_built else None,
    }


@require_GET
def digest_detail(request, pk: int):
    digest = get_digest_for_user(request.user, pk)
    return render(request, "reporting/digest_detail.html", _detail_context(request, digest))


@require_GET
def digest_pdf(request, pk: int):
    """The digest as a PDF, from the page's own template with the print stylesheet: the reader's own copy."""
    digest = get_digest_for_user(request.user, pk)
    if not digest.is_built:
        messages.info(request, "This digest has not been built yet, so there is no PDF of it.")
        return redirect(digest)
    response = HttpResponse(render_digest_pdf(request, digest), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{digest.pdf_filename}"'
    return response


@require_http_methods(["GET", "POST"])
def digest_schedule_update(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    current = DigestSchedule.for_partnership(partnership)
    initial = {"frequency": current.frequency, "weekday": current.weekday, "hour": current.hour}
    form = DigestScheduleForm(initial=initial, **submitted(request))

    def save(data):
        services.digest_schedule_update(actor=request.user, partnership=partnership, **data)

    if saved(request, form, save):
        schedule = DigestSchedule.for_partnership(partnership)
        messages.success(request, f"The board digest's schedule is saved: {schedule.description}")
        return redirect("reporting:digest_list", partnership.code)
    return render_form(request, "reporting/digest_schedule_form.html", {"form": form, "partnership": partnership})
