"""Highlight reports: a work-stream's account of a period, which also sets its current RAG rating."""

from datetime import date

from django.db import transaction

from core.audit import audit_record, changes_between, snapshot
from core.services import assign_fields, full_clean, person

from ..access import authorize_work_on_workstream
from ..models import HighlightReport, Rag, WorkStream

REPORT_FIELDS = ["period_start", "period_end", "rag", "progress", "risks_and_issues", "asks_of_board"]


@transaction.atomic
def highlight_report_create(
    *,
    actor,
    workstream: WorkStream,
    period_start: date,
    period_end: date,
    rag: str,
    progress: str,
    risks_and_issues: str = "",
    asks_of_board: str = "",
) -> HighlightReport:
    """Report on a period (the group or the partnership lead) until the work-stream is closed. The latest report's
    RAG is the work-stream's."""
    authorize_work_on_workstream(actor, workstream, "highlight_report")
    report = HighlightReport(
        partnership_id=workstream.partnership_id,
        workstream=workstream,
        period_start=period_start,
        period_end=period_end,
        rag=rag,
        progress=progress,
        risks_and_issues=risks_and_issues,
        asks_of_board=asks_of_board,
        author=person(actor),
    )
    full_clean(report)
    report.save()
    _rate_workstream(report)
    audit_record(
        actor=actor,
        action="highlight_report.created",
        target=report,
        summary=f"Highlight report for {report}",
        changes=changes_between({}, snapshot(report, REPORT_FIELDS)),
        partnership_id=workstream.partnership_id,
    )
    return report


@transaction.atomic
def highlight_report_update(*, actor, report: HighlightReport, **fields) -> HighlightReport:
    """Correct a highlight report (the group or the partnership lead) until the work-stream is closed: the newest
    report sets its RAG rating."""
    authorize_work_on_workstream(actor, report.workstream, "highlight_report")
    before = snapshot(report, REPORT_FIELDS)
    assign_fields(report, fields, allowed=REPORT_FIELDS)
    full_clean(report)
    report.save()
    _rate_workstream(report)
    audit_record(
        actor=actor,
        action="highlight_report.updated",
        target=report,
        summary=f"Highlight report changed: {report}",
        changes=changes_between(before, snapshot(report, REPORT_FIELDS)),
        partnership_id=report.partnership_id,
    )
    return report


def _rate_workstream(report: HighlightReport) -> None:
    """The newest period's report carries the work-stream's RAG rating, so the two never disagree."""
    workstream = report.workstream
    if workstream.highlight_reports.filter(period_end__gt=report.period_end).exists():
        return
    workstream.rag = report.rag
    workstream.rag_reason = (
        f"From the highlight report for {report.period_start:%d %b %Y} to {report.period_end:%d %b %Y}."
    )
    workstream.rag_set_on = report.period_end
    workstream.save(update_fields=["rag", "rag_reason", "rag_set_on", "updated_at"])
    audit_record(
        actor=None,
        action="workstream.rag_set",
        target=workstream,
        summary=f"{workstream.name} rated {Rag(report.rag).label} by its highlight report",
        partnership_id=workstream.partnership_id,
    )
