"""Reads of "you said, we did": what has been published, and what still awaits a response."""

from django.db.models import F, QuerySet

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
