"""Reads of "you said, we did": what has been published, and what still awaits a response."""

from django.db.models import Count, F, QuerySet

from partnerships.models import Partnership

from ..models import Feedback


def published_responses(partnership: Partnership) -> QuerySet[Feedback]:
    """The "you said, we did" items published for the public page, the latest response first."""
    return (
        Feedback.objects.filter(partnership=partnership)
        .published()
        .select_related("activity")
        .prefetch_related("groups")
        .order_by(F("responded_at").desc(nulls_last=True), "-id")
    )


def feedback_awaiting_response(partnership: Partnership) -> QuerySet[Feedback]:
    """Themes heard that nobody has responded to yet, the longest waiting first."""
    return (
        Feedback.objects.filter(partnership=partnership)
        .awaiting_response()
        .for_listing()
        .order_by("activity__held_on", "id")
    )


def feedback_log(partnership: Partnership) -> QuerySet[Feedback]:
    """The partnership's "you said" items with what the list shows beside each: what the page and its export list,
    narrowed by `engagement.api.filters.FeedbackFilter`."""
    return Feedback.objects.filter(partnership=partnership).for_listing()


def feedback_counts(partnership: Partnership) -> dict[str, int]:
    """How many of the partnership's "you said" items have each status, in one query."""
    return dict(Feedback.objects.filter(partnership=partnership).values_list("status").annotate(count=Count("id")))
