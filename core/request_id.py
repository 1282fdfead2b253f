"""The correlation id of each request: taken from the `X-Request-ID` header a proxy or client sent, when it is a
sane token, or made up; sent back in the answer's `X-Request-ID`, stored on every audit event the request writes,
and put on every log line written while answering it, so an event can be matched to the proxy's and the
application's logs of the same request. With REQUEST_LOG on (production), one log line per request answered."""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings

HEADER = "X-Request-ID"
# Letters, digits and a few separators, as proxies make them (uuids, hex, Heroku's and AWS's ids): nothing that could
# break a log line or a header.
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,63}")

_current: ContextVar[str] = ContextVar("request_id", default="")
requests_log = logging.getLogger("stp_portal.requests")


def current_request_id() -> str:
    """The id of the request being answered, or "" outside one (a background job, a management command)."""
    return _current.get()


def request_id_from(value: str | None) -> str:
    """The id a request goes by: the one it came with, if sane, else a new uuid4."""
    if value and SANE.fullmatch(value):
        return value
    return str(uuid.uuid4())


class RequestIdMiddleware:
    """Give each request its correlation id, for the length of the request, and send it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request.headers.get(HEADER))
        token = _current.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            if settings.REQUEST_LOG:
                log_request(request, response.status_code, time.perf_counter() - started)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


def log_request(request, status: int, seconds: float) -> None:
    """One line for a request answered: what was asked (the path, never the query string, which may carry search
    text or tokens), the answer, how long it took and who asked (the person's id: names stay out of logs)."""
    user = getattr(request, "user", None)
    requests_log.info(
        "%s %s %s",
        request.method,
        request.path,
        status,
        extra={
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
        },
    )


class RequestIdFilter(logging.Filter):
    """Put the correlation id of the request being answered (or "-" outside one) on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get() or "-"
        return True
