"""Each person's calendar feed: the page that shows and resets its secret address, and the feed itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import services
from ..access import calendar_feed_of, get_calendar_feed_for_token
from ..selectors.calendar import feed_for


@require_http_methods(["GET", "POST"])
def calendar(request):
    if request.method == "POST":
        had_feed = calendar_feed_of(request.user) is not None
        services.calendar_feed_reset(actor=request.user)
        messages.success(
            request,
            "Your calendar has a new address. The old one no longer works: subscribe again with this one."
            if had_feed
            else "Your calendar address is ready. Subscribe to it in your calendar app.",
        )
        return redirect("workstreams:calendar")
    feed = calendar_feed_of(request.user)
    feed_url = request.build_absolute_uri(feed.feed_path) if feed else None
    return render(request, "workstreams/calendar.html", {"feed": feed, "feed_url": feed_url})


@login_not_required
@require_GET
def calendar_feed(request, token: str):
    """The person's meetings as iCalendar: read by calendar apps without a session, so the token is the key."""
    feed = get_calendar_feed_for_token(token)
    response = HttpResponse(feed_for(feed.user, request), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["Content-Disposition"] = 'inline; filename="stp-portal-meetings.ics"'
    return response
