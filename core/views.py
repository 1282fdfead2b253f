import sys
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import accounts, outbox, release
from . import help as guide
from .api.errors import DATABASE_UNAVAILABLE
from .broker import broker_status, worker_last_seen
from .forms import PasswordResetForInvitedForm, SignInForm
from .http import BadRequestOnInvalidForm
from .oidc import single_sign_on_enabled
from .services import queue_after_commit


@login_not_required
@require_GET
def start(request):
    return render(request, "core/start.html")


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """The release running, database and broker status as JSON, with the migrations the database lacks and the
    outbox's backlog (tasks waiting for a worker, and the age of the oldest): 200 when the database answers with
    every migration applied, 503 when it does not answer or lacks some (a proxy then sends no one to this release)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
        pending = release.migrations_pending()
        last_seen = worker_last_seen()
        waiting = outbox.backlog()
    except DatabaseError:
        database, pending, last_seen, waiting = "unavailable", None, None, {"waiting": None, "oldest_seconds": None}
    healthy = database == "ok" and pending == 0
    body = {
        "status": "ok" if healthy else "unavailable",
        "version": release.version(),
        "database": database,
        "migrations": None if pending is None else ("applied" if pending == 0 else f"{pending} pending"),
        "broker": broker_status(),
        "worker_last_seen": last_seen.isoformat() if last_seen else None,
        "outbox_waiting": waiting["waiting"],
        "outbox_oldest_seconds": waiting["oldest_seconds"],
    }
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required
@require_GET
@never_cache
def live(request):
    """Liveness: answers without touching the database or broker (also the benchmark's trivial view)."""
    return HttpResponse("ok", content_type="text/plain")


def _is_api(request) -> bool:
    """An address under /api/: its client reads JSON, so its errors are JSON too (DRF's shape, `{"detail": ...}`)."""
    return request.path_info.startswith("/api/")


def database_unavailable_answer() -> JsonResponse:
    """503 for an API client when the database cannot be reached: worth retrying, unlike a 500."""
    response = JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=503)
    response["Retry-After"] = "60"
    return response


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "The request could not be understood."}, status=400)
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    """403 with the access check's own reason ("Only the Medicines Optimisation group and the partnership lead can
    do that."), and a link back. A 403 is only raised for what the person can already see, so its reason tells them
    nothing new; the template escapes it."""
    reason = str(exception or "").strip()
    if _is_api(request):
        return JsonResponse({"detail": reason or "You do not have permission to perform this action."}, status=403)
    return render(request, "errors/403.html", {"reason": reason, "back_url": _back_url(request)}, status=403)


def _back_url(request) -> str:
    """The page the person came from, if it is one of ours and not this one; otherwise "" (the start page)."""
    referrer = request.headers.get("referer", "")
    if referrer and url_has_allowed_host_and_scheme(
        referrer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referrer)
        back = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        if back != request.get_full_path():
            return back
    return ""


def page_not_found(request, exception=None):
    """404, the same page whether the record does not exist or the person may not see it: the exception's message
    ("No such partnership.") is never shown."""
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """500, or for an API client whose request failed because the database is unreachable (in a middleware or
    authentication, before DRF's own handler could answer), 503 with Retry-After. Django calls this while it
    handles the exception, so `sys.exception()` is the error."""
    if _is_api(request):
        if isinstance(sys.exception(), OperationalError | InterfaceError):
            return database_unavailable_answer()
        return JsonResponse({"detail": "Sorry, there is a problem with the service. Try again later."}, status=500)
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    """A form sent without its valid security token: usually a page left open past its session. Django's reason
    ("CSRF token missing") means nothing to a person, so the page says what to do instead."""
    if _is_api(request):
        return JsonResponse({"detail": f"CSRF Failed: {reason}" if reason else "CSRF Failed."}, status=403)
    return render(request, "errors/csrf.html", status=403)


class SignInView(BadRequestOnInvalidForm, auth_views.LoginView):
    """The sign-in page. A sign-in through it is recorded in the audit trail; so is a failure (`core.accounts`)."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.sign_in_record(request=self.request, user=form.get_user())
        return response

    def get_context_data(self, **kwargs):
        """The single sign-on button's provider name and address, when single sign-on is configured."""
        context = super().get_context_data(**kwargs)
        if single_sign_on_enabled():
            context["single_sign_on"] = {"provider": settings.OIDC_PROVIDER_NAME, "url": reverse("oidc:sign_in")}
        return context


class PasswordChangeView(BadRequestOnInvalidForm, auth_views.PasswordChangeView):
    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.password_change_record(user=form.user, reset=False)
        return response


class PasswordResetView(BadRequestOnInvalidForm, auth_views.PasswordResetView):
    """Queue the email for the worker whatever the address, so a known and an unknown one answer alike.

    Over the limit for the email address, the answer is the usual "sent" page and nothing is sent: anyone may type
    anyone's address, so the owner of the address must not learn about it from the page, nor get a flood. Over the
    limit for the client address, the answer is 429: it tells the person at that address about their own requests
    only, and nothing about which email addresses have accounts."""

    form_class = PasswordResetForInvitedForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        allowed = accounts.password_reset_allowed(email=email, address=accounts.client_address(self.request))
        if allowed == "address":
            return render(self.request, "registration/password_reset_limited.html", status=429)
        if allowed == "ok":
            queue_after_commit("core.tasks.send_password_reset_email", email)
        return redirect(self.get_success_url())


class PasswordResetConfirmView(BadRequestOnInvalidForm, auth_views.PasswordResetConfirmView):
    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.password_change_record(user=form.user, reset=True)
        return response


class InvitationAcceptView(PasswordResetConfirmView):
    """The link in an invitation: a reset link with its own, longer-lived token."""

    token_generator = accounts.invitation_token_generator


@login_not_required
@require_GET
def help_index(request):
    """The user guide's first page and its contents; open to all, as it holds no partnership data (ADR 0004)."""
    return render(request, "core/help_index.html", {"page": guide.get_page(guide.INDEX), "pages": guide.contents()})


@login_not_required
@require_GET
def help_page(request, slug):
    """One page of the user guide, from docs/guide/<slug>.md; any other slug is "Page not found"."""
    page = guide.get_page(slug) if slug != guide.INDEX else None
    if page is None:
        return page_not_found(request)
    pages = guide.contents()
    slugs = [other.slug for other in pages]
    position = slugs.index(slug) if slug in slugs else None
    previous = pages[position - 1] if position else None
    following = pages[position + 1] if position is not None and position + 1 < len(pages) else None
    return render(request, "core/help_page.html", {"page": page, "previous": previous, "next": following})
