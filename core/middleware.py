"""Middleware: our 404 page in DEBUG too; the security headers of every answer; the signed-in person from the
cache; the idle and absolute limits of a session; and for the benchmark only (BENCH_HEADERS=true) how many SQL
queries each request made and its slowest."""

import json
import time
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth import middleware as auth_middleware
from django.db import connections
from django.http import Http404, JsonResponse
from django.utils.functional import SimpleLazyObject

from . import second_factor, sessions, user_cache
from .accounts import client_address
from .second_factor_views import ask_for_code
from .views import page_not_found

# Browser features the service never uses, denied to it and to anything it embeds. Only features Chromium knows:
# it reports an unknown name as an error on every page.
DENIED_FEATURES = [
    "accelerometer",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class SecurityHeadersMiddleware:
    """`Permissions-Policy` on every answer, static files included; `Cache-Control: no-store` on every answer to a
    signed-in person or a token holder, so a shared computer's cache and the back button keep nothing of theirs.
    Anonymous public pages and static files stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _answers_someone(request) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response


def _answers_someone(request) -> bool:
    # Static files never reach AuthenticationMiddleware, so they have no `user`. DRF sets `user` on the request
    # when a token authenticates it, after this middleware has passed it on.
    user = getattr(request, "user", None)
    return (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, reading the signed-in person from the cache when it holds them (core/user_cache.py): no query for
    the person on a typical request. As in Django's, `request.user` is read on first use, once a request."""

    def process_request(self, request):
        request.user = SimpleLazyObject(partial(_signed_in_user, request))
        request.auser = partial(auth_middleware.auser, request)


def _signed_in_user(request):
    if not hasattr(request, "_cached_user"):  # the attribute Django's login() and logout() also keep up to date
        request._cached_user = user_cache.get_user(request)
    return request._cached_user


class SessionLimitsMiddleware:
    """Signs a person out on their first request after the idle or the absolute limit (core/sessions.py), with a
    message the next page shows; notes activity and keeps the "Your sessions" list up to date.

    A view that must not count as activity (polling how long is left) sets `request.session_activity = False`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key_before = request.session.session_key
        user_before = request.user.pk if request.user.is_authenticated else None
        if user_before is not None and (expiry := sessions.session_expiry(request.session)):
            logout(request)
            sessions.signed_in_session_forget(session_key=key_before)
            messages.info(request, expiry.message)
            user_before = None
        if request.user.is_authenticated:
            # For the idle-timeout warning of the page (templates/includes/session_timeout.html).
            request.session_seconds_left = sessions.idle_seconds_left(request.session)
            request.session_warning_seconds = settings.SESSION_IDLE_WARNING_SECONDS
        response = self.get_response(request)
        self._track(request, key_before, user_before)
        return response

    def _track(self, request, key_before, user_before) -> None:
        user = request.user
        session = request.session
        # A token holder (DRF sets `user` during the view) has no session to describe.
        if not (user.is_authenticated and SESSION_KEY in session):
            if user_before is not None:
                sessions.signed_in_session_forget(session_key=key_before)
            return
        described = {
            "user": user,
            "user_agent": request.headers.get("User-Agent", ""),
            "ip_address": client_address(request),
        }
        if user_before == user.pk and key_before and session.session_key != key_before:
            sessions.signed_in_session_rekey(old_key=key_before, new_key=session.session_key)
        if sessions.SIGNED_IN_AT not in session:
            # Signed in before the clocks existed (signing in starts them: core.sessions._start_session).
            sessions.session_mark_signed_in(session)
            sessions.signed_in_session_record(session_key=session.session_key, **described)
        elif getattr(request, "session_activity", True) and sessions.session_mark_active(session):
            sessions.signed_in_session_seen(session_key=session.session_key, **described)


class SecondFactorMiddleware:
    """Until a signed-in person has given their code (or set up the app they must have), every page sends them to
    the page that settles it, coming back afterwards to where they were going; the API answers 403. Signing out,
    the help pages and the session clock stay open. The start page does not: signing in lands there, and it must
    take the person straight on to the code or set-up page. Nothing is read from the database: what is owed was
    written in the session at sign-in (core/second_factor.py)."""

    OPEN = {
        "account:second_factor_verify",
        "account:second_factor_setup",
        "account:session_status",
        "account:session_keep_alive",
        "logout",
        "core:help_index",
        "core:help_page",
        "core:accessibility",
        "core:healthz",
        "core:live",
    }
    PAGES = {second_factor.VERIFY: "account:second_factor_verify", second_factor.ENROL: "account:second_factor_setup"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        owed = second_factor.pending(request)
        if not owed or not request.user.is_authenticated or request.resolver_match.view_name in self.OPEN:
            return None
        if "HTTP_AUTHORIZATION" in request.META:
            return None  # a token holder; the token endpoint asked for the code when it issued the token
        if request.path_info.startswith("/api/"):
            detail = (
                "Enter the code from your authenticator app first."
                if owed == second_factor.VERIFY
                else "Set up an authenticator app first: your roles need a second factor."
            )
            return JsonResponse({"detail": detail}, status=403)
        return ask_for_code(request, self.PAGES[owed])


class NotFoundPageMiddleware:
    """A view's 404 is our "Page not found" page even under DEBUG (`make run`), where Django would show its debug
    page: that lists every URL pattern and the access check's message ("No such partnership."), which tells an
    outsider that the record exists. An address that matches no pattern keeps Django's debug page in DEBUG."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


class QueryCountHeaderMiddleware:
    """For the benchmark: adds `X-Query-Count` (the queries of every database connection) and `X-Slowest-Query-Ms`
    to every response. A request that sends `X-Bench-Explain: 1` also gets the plan's root node of its slowest
    query (`X-Slowest-Query-Plan`) and the start of its SQL (`X-Slowest-Query-Sql`): explaining costs a query
    of its own, so only the benchmark's probe asks, never the requests it times."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0
        slowest = {"seconds": 0.0, "sql": "", "params": None, "alias": None}

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                seconds = time.perf_counter() - started
                if seconds > slowest["seconds"] and not many:
                    slowest.update(seconds=seconds, sql=sql, params=params, alias=context["connection"].alias)

        wrappers = [connection.execute_wrapper(counter) for connection in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response["X-Query-Count"] = str(count)
        response["X-Slowest-Query-Ms"] = f"{slowest['seconds'] * 1000:.2f}"
        if request.headers.get("X-Bench-Explain") == "1" and slowest["alias"]:
            connection = connections[slowest["alias"]]
            response["X-Slowest-Query-Plan"] = plan_root(connection, slowest["sql"], slowest["params"])
            response["X-Slowest-Query-Sql"] = header_text(slowest["sql"], 300)
        return response


def plan_root(connection, sql: str, params) -> str:
    """The root node of the query's plan ("Limit", "Seq Scan on governance_signoff"), without running the query:
    plain EXPLAIN, and only of a SELECT, so explaining never writes."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return f"not a SELECT ({sql.split(None, 1)[0].upper() if sql.strip() else 'empty'})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            node = _json_plan(cursor.fetchone()[0])[0]["Plan"]
            relation = f" on {node['Relation Name']}" if "Relation Name" in node else ""
            return header_text(f"{node['Node Type']}{relation} (cost {node['Total Cost']:.0f})", 200)
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            rows = cursor.fetchall()
            return header_text(rows[0][-1] if rows else "empty plan", 200)
    return f"no plan on {connection.vendor}"


def _json_plan(value):
    return json.loads(value) if isinstance(value, str) else value


def header_text(text: str, limit: int) -> str:
    """One line of ASCII, as a header value must be."""
    return " ".join(text.split()).encode("ascii", "replace").decode()[:limit]
