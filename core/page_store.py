"""Pages that are the same for every anonymous reader (a partnership's public page, its decisions, its feed), rendered
once per version of what they show, stored in the shared cache, and answered with `ETag` and `Last-Modified` so that a
reader's browser or a feed reader asking again gets `304 Not Modified`.

The caller names the version: anything that changes whenever what the page shows may have changed (the public pages
use the partnership's audit chain head, which every change extends). The validators are the rendering's own: the
`ETag` is a hash of its content, and `Last-Modified` the time that content was first rendered, so a change that the
page does not show (a confidential decision's progress) moves neither, and neither says when it happened.

The per-request CSP nonce is the one part of an anonymous page that differs between readers: it is stored as a
placeholder and filled in for each answer. A page that would store anything else of one reader's (a CSRF token, a
message) is not stored; signed-in readers, readers with a message waiting, and requests with a query string always
get a fresh rendering.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

NONCE = "__csp_nonce__"
TIMEOUT = 24 * 60 * 60
# What an anonymous page must never carry to the next reader.
PERSONAL = ("csrfmiddlewaretoken",)


@dataclass(frozen=True)
class StoredPage:
    content: str
    content_type: str
    etag: str
    modified: datetime


def stored_page(request: HttpRequest, *, key: str, version: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page at `key` as `render()` makes it, from the store when a rendering of `version` is there."""
    if request.user.is_authenticated or request.GET or len(get_messages(request)):
        return render()
    page = cache.get(f"page:{key}:{version}")
    if page is None:
        response = render()
        if response.status_code != 200 or response.streaming:
            return response
        page = _store(request, key, version, response)
        if page is None:
            return response
    return _answer(request, page)


def _store(request: HttpRequest, key: str, version: str, response: HttpResponse) -> StoredPage | None:
    content = response.content.decode(response.charset)
    if any(mark in content for mark in PERSONAL):
        return None
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        content = content.replace(nonce, NONCE)
    etag = quote_etag(hashlib.sha256(content.encode()).hexdigest()[:32])
    # The time this content was first rendered, kept across versions that render it the same.
    last = cache.get(f"page:{key}:last")
    modified = last.modified if last is not None and last.etag == etag else timezone.now().replace(microsecond=0)
    page = StoredPage(content, response["Content-Type"], etag, modified)
    cache.set_many({f"page:{key}:{version}": page, f"page:{key}:last": page}, TIMEOUT)
    return page


def _answer(request: HttpRequest, page: StoredPage) -> HttpResponse:
    modified = int(page.modified.timestamp())
    not_modified = get_conditional_response(request, etag=page.etag, last_modified=modified)
    if not_modified is None:
        response = HttpResponse(page.content.replace(NONCE, str(request.csp_nonce)), content_type=page.content_type)
    else:
        response = not_modified
    response["ETag"] = page.etag
    response["Last-Modified"] = http_date(modified)
    return response
