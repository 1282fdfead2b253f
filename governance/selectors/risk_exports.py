"""The risk register as CSV rows: everything a partner's governance team copies into its own board assurance
framework. `core.exports.csv_response` makes every cell safe against spreadsheet formulas."""

from collections.abc import Iterator

from django.utils import timezone

from ..models import Risk, RiskBand, Trend

EXPORT_HEADER = [
    "Reference",
    "Title",
    "Status",
    "Whose risk",
    "Work-stream",
    "Organisation",
    "Domain",
    "Source",
    "Cause",
    "Event",
    "Effect",
    "Objective threatened",
    "Owner",
    "Overseen by",
    "Controls",
    "Assurances",
    "Gaps in control",
    "Gaps in assurance",
    "Initial likelihood",
    "Initial consequence",
    "Initial score",
    "Current likelihood",
    "Current consequence",
    "Current score",
    "Current band",
    "Trend over 90 days",
    "Target likelihood",
    "Target consequence",
    "Target score",
    "Target date",
    "Tolerance",
    "Above appetite",
    "Escalated to the board",
    "Review frequency",
    "Last reviewed",
    "Next review",
    "Review overdue",
    "Mitigating actions",
    "Linked decisions",
    "Raised on",
]


def _day(value) -> str:
    if value is None:
        return ""
    return (timezone.localdate(value) if hasattr(value, "tzinfo") else value).isoformat()


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def export_rows(risks) -> Iterator[list]:
    """One row per risk, streamed in chunks (with their actions and decisions fetched per chunk)."""
    for risk in risks.iterator(chunk_size=500):
        risk: Risk
        yield [
            risk.reference,
            risk.title,
            risk.get_status_display(),
            risk.get_tier_display(),
            risk.workstream.name if risk.workstream else "",
            risk.organisation.name if risk.organisation else "",
            risk.domain.name,
            risk.get_source_display(),
            risk.cause,
            risk.event,
            risk.effect,
            risk.objective,
            risk.owner.display_name,
            risk.overseen_by,
            risk.controls,
            risk.assurances,
            risk.control_gaps,
            risk.assurance_gaps,
            risk.initial_likelihood,
            risk.initial_consequence,
            risk.initial_score,
            risk.current_likelihood,
            risk.current_consequence,
            risk.current_score,
            RiskBand(risk.band).label,
            Trend(risk.trend).label,
            risk.target_likelihood,
            risk.target_consequence,
            risk.target_score,
            _day(risk.target_on),
            "" if risk.tolerance is None else risk.tolerance,
            _yes(risk.above_appetite),
            _yes(risk.is_escalated),
            risk.get_review_every_display(),
            _day(risk.last_reviewed_on),
            _day(risk.next_review_on),
            _yes(risk.review_overdue),
            "; ".join(action.description for action in risk.actions.all()),
            "; ".join(decision.reference for decision in risk.decisions.all()),
            _day(risk.created_at),
        ]
