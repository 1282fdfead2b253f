"""The decision register as CSV rows. A confidential decision the reader may not see in full keeps only its
reference, category, status and dates, with why it is confidential and when that is reviewed."""

from collections.abc import Iterator

from django.utils import timezone

from ..access import sees_confidential
from ..models import Decision, Visibility

EXPORT_HEADER = [
    "Reference",
    "Title",
    "Category",
    "Value (£)",
    "Status",
    "Urgent",
    "Proposed on",
    "Proposer",
    "Work-stream",
    "Decided on",
    "Organisations it binds",
    "Organisations bound",
    "Challenge recorded",
    "No engagement evidence from expected groups",
    "Publication",
    "Why confidential",
    "Confidentiality review date",
    "Review date",
]


def _day(value) -> str:
    if value is None:
        return ""
    return (timezone.localdate(value) if hasattr(value, "tzinfo") else value).isoformat()


def _votes_hidden(decision: Decision) -> bool:
    return decision.current_round is not None and decision.current_round.votes_hidden


def export_rows(decisions, user, partnership) -> Iterator[list]:
    """One row per decision, streamed in chunks: memory does not grow with the register."""
    full_view = sees_confidential(user, partnership)
    for decision in decisions.iterator(chunk_size=500):
        decision: Decision
        shows = full_view or decision.visibility == Visibility.PUBLIC or decision.proposer_id == user.pk
        yield [
            decision.reference,
            decision.title if shows else "Confidential decision",
            decision.get_category_display(),
            (decision.value_pounds if decision.value_pounds is not None else "") if shows else "",
            decision.get_status_display(),
            "Yes" if decision.is_urgent else "No",
            _day(decision.created_at),
            decision.proposer.display_name if shows else "",
            (decision.workstream.name if decision.workstream else "") if shows else "",
            _day(decision.decided_at),
            decision.organisation_count,
            (decision.approval_count + decision.ratified_count) if shows and not _votes_hidden(decision) else "",
            ("Yes" if decision.has_challenge else "No") if shows else "",
            ("Yes" if decision.lacks_engagement_evidence else "No") if shows else "",
            decision.get_visibility_display(),
            decision.confidential_reason,
            _day(decision.confidential_review_on),
            _day(decision.review_on),
        ]
