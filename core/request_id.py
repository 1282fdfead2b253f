"""The correlation id of each request: taken from the `X-Request-ID` header a proxy or client sent, when it is a
sane token, or made up; sent back in the answer's `X-Request-ID`, and stored on every audit event the request
writes, so an event can be matched to the proxy's and the application's logs of the same request."""

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# Letters, digits and a few separators, as proxies make them (uuids, hex, Heroku's and AWS's ids): nothing that could
# break a log line or a header.
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,63}")

_current: ContextVar[str] = ContextVar("request_id", default="")


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
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response
