"""A step's form is offered only when its service would take it. On a GET, a step that the decision's state (or the
user's delegation) rules out answers a page that says why, with a way back, instead of a form refused on submit.
The reason is the service's own: the view asks the same `access.authorize_<step>` the service calls."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render


def why_not(user, decision, authorize, *args) -> str:
    """What `authorize` (an `access.authorize_<step>`) says stands in the way of the step, or "" if nothing does.
    A role that may not take the step at all still gets its 403 (or 404)."""
    try:
        authorize(user, decision, *args)
    except ValidationError as refusal:
        return " ".join(refusal.messages)
    return ""


def step_closed(request, decision, *, heading: str, reason: str, advice: str = "", links=()) -> HttpResponse:
    """The page that says why a step cannot be taken now: `reason`, then what to do instead (`advice`, and `links`
    as (text before the link, the link's text, its address)), and a link back to the decision."""
    context = {
        "decision": decision,
        "partnership": decision.partnership,
        "heading": heading,
        "reason": reason,
        "advice": advice,
        "links": links,
    }
    return render(request, "governance/decision_step_closed.html", context)


def closed_on_get(request, decision, authorize, *args, heading: str) -> HttpResponse | None:
    """For a step's view: on a GET, the page saying why the step cannot be taken now, or None to offer its form."""
    if request.method != "GET":
        return None
    reason = why_not(request.user, decision, authorize, *args)
    return step_closed(request, decision, heading=heading, reason=reason) if reason else None
