"""The "Your sessions" page, its sign-out buttons, and the two addresses the idle-timeout warning talks to."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import sessions
from .accounts import client_address
from .http import next_address, post_only


@require_GET
def session_list(request):
    rows = sessions.sessions_of(request.user, current_session_key=request.session.session_key)
    context = {
        "sessions": rows,
        "others": [row for row in rows if not row.current],
        "idle_minutes": int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
        "absolute_hours": int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600),
    }
    return render(request, "account/sessions.html", context)


@post_only(redirect_to=lambda request, pk: "account:sessions")
def session_revoke(request, pk: int):
    record = sessions.session_revoke(actor=request.user, pk=pk, current_session_key=request.session.session_key)
    messages.success(request, f"{sessions.describe_device(record.user_agent)} has been signed out.")
    return redirect("account:sessions")


@post_only(redirect_to="account:sessions")
def sessions_revoke_others(request):
    count = sessions.sessions_revoke_others(actor=request.user, current_session_key=request.session.session_key)
    if count:
        messages.success(request, f"Signed out everywhere else: {count} {'session' if count == 1 else 'sessions'}.")
    else:
        messages.success(request, "You were not signed in anywhere else.")
    return redirect("account:sessions")


@login_not_required
@require_GET
def session_status(request):
    """How long the session has left, for the warning's script. Asking is not activity: an open tab that polls
    must not keep a session alive by itself. Anonymous: the session has ended (and the middleware has said why)."""
    request.session_activity = False
    return JsonResponse(_status(request))


@require_POST
def session_keep_alive(request):
    """ "Stay signed in": the person acted, so the idle clock starts again (the absolute one does not). Without the
    script the button is a plain form, and this goes back to the page it was on."""
    sessions.session_mark_active(request.session, force=True)
    sessions.signed_in_session_seen(
        session_key=request.session.session_key,
        user=request.user,
        user_agent=request.headers.get("User-Agent", ""),
        ip_address=client_address(request),
    )
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(_status(request))
    return redirect(next_address(request, default="core:start"))


def _status(request) -> dict:
    signed_in = request.user.is_authenticated
    return {
        "signed_in": signed_in,
        "seconds_left": sessions.idle_seconds_left(request.session) if signed_in else 0,
        "warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
    }
