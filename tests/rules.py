"""What the `test_rules` of each app share: whether a service would accept a change, and which links a page offers.

Each app's `tests/test_rules.py` asks both questions for every role and state and asserts the answers agree: a
button is shown exactly when the service behind it would accept (style.md, "one rule, one place").
"""

from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from .html import parse


class _RolledBack(Exception):
    """Raised inside the savepoint after a service succeeds, so that nothing it wrote is kept."""


def accepts(service, **arguments) -> bool:
    """Whether `service(**arguments)` succeeds, inside a savepoint rolled back either way. A refusal is what a
    service raises for someone who may not act (404, 403) or may not act now (ValidationError); anything else is a
    failure of the test, not a refusal."""
    try:
        with transaction.atomic():
            service(**arguments)
            raise _RolledBack
    except _RolledBack:
        return True
    except (Http404, PermissionDenied, ValidationError):
        return False


def links_on(response) -> set[str]:
    """The paths the page links to (query strings left out), or none if the page is not shown to this person."""
    if response.status_code != 200:
        return set()
    return {urlsplit(link["href"]).path for link in parse(response).select("a[href]")}


def post_forms_on(response) -> set[str]:
    """The paths the page's POST forms send to (a form without an action sends to the page itself)."""
    if response.status_code != 200:
        return set()
    page_path = urlsplit(response.wsgi_request.get_full_path()).path
    return {
        urlsplit(form.get("action") or page_path).path
        for form in parse(response).select("form")
        if form.get("method", "get").lower() == "post"
    }


def disagreements(offered: dict[str, bool], accepted: dict[str, bool]) -> list[str]:
    """Each step the page and the service answer differently, in words, for the assertion's message."""
    return [
        f"{step}: the page {'offers' if offered[step] else 'hides'} it, the service "
        f"{'accepts' if accepted[step] else 'refuses'}"
        for step in accepted
        if offered[step] != accepted[step]
    ]
