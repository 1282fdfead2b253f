"""The demo data: a year of engagement in QZZ with the deliberate gaps, feedback in every status, and the same
result however often it runs."""

import io

import pytest

from engagement.models import EngagementActivity, EngagementExpectation, Feedback
from engagement.seed import demo
from engagement.selectors.coverage import Rag, coverage_matrix

from .support import written

pytestmark = pytest.mark.django_db


def rating(matrix, workstream, slug):
    row = next(row for row in matrix.rows if row.workstream == workstream)
    return next(cell for cell in row.cells if cell.group.slug == slug)


def test_the_demo_shows_the_deliberate_gaps_in_red(ew, today):
    demo.seed(io.StringIO())
    matrix = coverage_matrix(ew.partnership, as_of=today)
    medicines_patients = rating(matrix, ew.medicines, "patients-carers")
    assert medicines_patients.rag == Rag.RED and medicines_patients.days_since >= 150  # five months
    never = rating(matrix, ew.end_of_life, "local-authorities")
    assert (never.rag, never.last_engaged) == (Rag.RED, None)
    assert rating(matrix, ew.diabetes, "patients-carers").rag == Rag.AMBER
    assert {(gap.workstream.name, gap.group.slug) for gap in matrix.gaps} == {
        ("Medicines Optimisation", "patients-carers"),
        ("End of Life Care", "local-authorities"),
    }


def test_the_demo_spans_a_year_with_feedback_in_every_status(ew, today):
    demo.seed(io.StringIO())
    dates = EngagementActivity.objects.filter(partnership=ew.partnership).values_list("held_on", flat=True)
    assert 330 <= (today - min(dates)).days <= 366
    assert set(Feedback.objects.values_list("status", flat=True)) == {
        "open",
        "responded",
        "acted_on",
        "not_taken_forward",
    }
    assert Feedback.objects.filter(published=True).exists()
    consultation = EngagementActivity.objects.get(method="consultation")
    assert consultation.gunning_failed == ["adequate time given"]


def test_running_the_demo_again_changes_nothing(ew, today):
    demo.seed(io.StringIO())
    before = written()
    output = io.StringIO()
    demo.seed(output)
    assert written() == before
    assert "18 activities, 10 themes heard, 9 expectations" in output.getvalue()


def test_without_work_streams_the_demo_logs_unlinked_activities_and_no_expectations(world, today):
    demo.seed(io.StringIO())
    assert EngagementActivity.objects.count() == 18
    assert not EngagementActivity.objects.filter(workstreams__isnull=False).exists()
    assert EngagementExpectation.objects.count() == 0


def test_without_the_demo_partnership_the_demo_adds_nothing(db):
    output = io.StringIO()
    demo.seed(output)
    assert EngagementActivity.objects.count() == 0
    assert "no partnership QZZ" in output.getvalue()
