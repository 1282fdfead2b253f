"""The coverage matrix: red, amber and green against each expectation, at the edges of the interval and the period."""

from datetime import timedelta

import pytest

from core.audit import SYSTEM
from engagement import services
from engagement.selectors.coverage import Rag, amber_from, coverage_gaps, coverage_matrix, rag_for
from workstreams.models import WorkStreamStatus

from .support import group, log, workstream

pytestmark = pytest.mark.django_db


def cell(matrix, workstream, slug):
    for row in matrix.rows:
        if row.workstream == workstream:
            return next(cell for cell in row.cells if cell.group.slug == slug)
    raise AssertionError(f"{workstream} is not in the matrix")


def expect(workstream, slug, days):
    return services.expectation_set(actor=SYSTEM, workstream=workstream, group=group(slug), interval_days=days)


@pytest.mark.parametrize(
    ("days_since", "expected"),
    [(0, Rag.GREEN), (67, Rag.GREEN), (68, Rag.AMBER), (90, Rag.AMBER), (91, Rag.RED), (None, Rag.RED)],
)
def test_rating_for_every_90_days_at_each_edge(days_since, expected):
    assert rag_for(days_since, 90) == expected


def test_amber_starts_when_a_quarter_of_the_interval_is_left():
    assert amber_from(90) == 68
    assert amber_from(30) == 23
    assert rag_for(amber_from(30) - 1, 30) == Rag.GREEN
    assert rag_for(amber_from(30), 30) == Rag.AMBER


def test_no_expectation_has_no_rating_whatever_the_engagement():
    assert rag_for(None, None) == Rag.NONE
    assert rag_for(500, None) == Rag.NONE


def test_exactly_on_the_interval_is_amber_and_one_day_over_is_red(ew, today):
    expect(ew.diabetes, "patients-carers", 90)
    log(ew.partnership, held_on=today - timedelta(days=90), reach={"patients-carers": 10}, workstreams=[ew.diabetes])
    on_the_day = cell(coverage_matrix(ew.partnership, as_of=today), ew.diabetes, "patients-carers")
    assert on_the_day.rag == Rag.AMBER
    assert on_the_day.description == "Amber: last engaged 90 days ago (expected every 90)"

    one_day_over = cell(
        coverage_matrix(ew.partnership, as_of=today + timedelta(days=1)), ew.diabetes, "patients-carers"
    )
    assert one_day_over.rag == Rag.RED
    assert one_day_over.description == "Red: last engaged 91 days ago (expected every 90)"
    assert one_day_over.days_overdue == 1


def test_the_latest_activity_counts_and_later_ones_are_ignored(ew, today):
    expect(ew.diabetes, "patients-carers", 90)
    log(ew.partnership, held_on=today - timedelta(days=152), reach={"patients-carers": 5}, workstreams=[ew.diabetes])
    log(ew.partnership, held_on=today - timedelta(days=10), reach={"patients-carers": 5}, workstreams=[ew.diabetes])
    as_of = today - timedelta(days=11)  # the day before the later activity
    past = cell(coverage_matrix(ew.partnership, as_of=as_of), ew.diabetes, "patients-carers")
    assert past.description == "Red: last engaged 141 days ago (expected every 90)"
    now = cell(coverage_matrix(ew.partnership, as_of=today), ew.diabetes, "patients-carers")
    assert now.description == "Green: last engaged 10 days ago (expected every 90)"
    assert now.last_engaged == today - timedelta(days=10)


def test_never_engaged_is_red(ew, today):
    expect(ew.end_of_life, "local-authorities", 180)
    gap = cell(coverage_matrix(ew.partnership, as_of=today), ew.end_of_life, "local-authorities")
    assert gap.rag == Rag.RED
    assert gap.description == "Red: never engaged (expected every 180)"


def test_count_in_the_period_includes_its_first_day_and_not_the_day_before(ew, today):
    since = today - timedelta(days=30)
    for days_ago in (31, 30, 0):
        log(ew.partnership, held_on=today - timedelta(days=days_ago), reach={"gps": 3}, workstreams=[ew.diabetes])
    matrix = coverage_matrix(ew.partnership, as_of=today, since=since)
    assert cell(matrix, ew.diabetes, "gps").count_in_period == 2
    assert cell(matrix, ew.diabetes, "gps").description == "No expectation: last engaged today"


def test_a_sub_group_counts_for_its_main_group_but_not_the_reverse(ew, today):
    expect(ew.diabetes, "clinicians", 60)
    expect(ew.diabetes, "gps", 60)
    expect(ew.medicines, "gps", 60)
    log(ew.partnership, held_on=today - timedelta(days=5), reach={"gps": 4, "nurses": 2}, workstreams=[ew.diabetes])
    log(ew.partnership, held_on=today - timedelta(days=3), reach={"clinicians": 9}, workstreams=[ew.medicines])
    matrix = coverage_matrix(ew.partnership, as_of=today)
    assert cell(matrix, ew.diabetes, "clinicians").rag == Rag.GREEN
    assert cell(matrix, ew.diabetes, "clinicians").count_in_period == 1  # one activity, though two sub-groups
    assert cell(matrix, ew.diabetes, "gps").rag == Rag.GREEN
    assert cell(matrix, ew.medicines, "clinicians").count_in_period == 1
    assert cell(matrix, ew.medicines, "gps").rag == Rag.RED  # reaching clinicians in general is not reaching GPs


def test_each_work_stream_is_rated_against_its_own_expectations(ew, today):
    expect(ew.diabetes, "patients-carers", 90)
    expect(ew.medicines, "patients-carers", 30)
    log(
        ew.partnership,
        held_on=today - timedelta(days=40),
        reach={"patients-carers": 12},
        workstreams=[ew.diabetes, ew.medicines],
    )
    matrix = coverage_matrix(ew.partnership, as_of=today)
    assert cell(matrix, ew.diabetes, "patients-carers").rag == Rag.GREEN
    assert cell(matrix, ew.medicines, "patients-carers").rag == Rag.RED
    assert cell(matrix, ew.end_of_life, "patients-carers").rag == Rag.NONE


def test_activities_of_other_partnerships_and_unlinked_activities_do_not_count(ew, today):
    expect(ew.diabetes, "mps", 365)
    log(ew.partnership, held_on=today, reach={"mps": 1})  # informs no work-stream
    log(ew.other_partnership, held_on=today, reach={"mps": 1}, workstreams=[ew.elsewhere])
    assert cell(coverage_matrix(ew.partnership, as_of=today), ew.diabetes, "mps").rag == Rag.RED


def test_closed_work_streams_are_left_out_and_groups_come_in_order(ew, today):
    workstream(ew.partnership, "Closed Programme", status=WorkStreamStatus.CLOSED)
    matrix = coverage_matrix(ew.partnership, as_of=today)
    assert [row.workstream.name for row in matrix.rows] == ["Diabetes", "End of Life Care", "Medicines Optimisation"]
    assert [group.slug for group in matrix.groups][:6] == [
        "clinicians",
        "gps",
        "hospital-doctors",
        "nurses",
        "allied-health-professionals",
        "patients-carers",
    ]


def test_gaps_list_the_never_engaged_first_then_the_longest_overdue(ew, today):
    expect(ew.end_of_life, "local-authorities", 90)
    expect(ew.medicines, "patients-carers", 90)
    expect(ew.diabetes, "patients-carers", 90)
    expect(ew.diabetes, "gps", 90)
    log(ew.partnership, held_on=today - timedelta(days=150), reach={"patients-carers": 3}, workstreams=[ew.medicines])
    log(ew.partnership, held_on=today - timedelta(days=100), reach={"patients-carers": 3}, workstreams=[ew.diabetes])
    log(ew.partnership, held_on=today - timedelta(days=80), reach={"gps": 3}, workstreams=[ew.diabetes])
    gaps = coverage_gaps(ew.partnership, as_of=today)
    assert [(gap.workstream.name, gap.group.slug, gap.days_overdue) for gap in gaps] == [
        ("End of Life Care", "local-authorities", None),
        ("Medicines Optimisation", "patients-carers", 60),
        ("Diabetes", "patients-carers", 10),
    ]
    due_soon = coverage_matrix(ew.partnership, as_of=today).due_soon
    assert [(cell.workstream.name, cell.group.slug) for cell in due_soon] == [("Diabetes", "gps")]


def _many_workstreams(partnership, count, today):
    streams = [workstream(partnership, f"Programme {number:02d}") for number in range(count)]
    for number, stream in enumerate(streams):
        expect(stream, "patients-carers", 90)
        expect(stream, "gps", 30)
        log(
            partnership,
            held_on=today - timedelta(days=number),
            reach={"patients-carers": 5, "gps": 2, "vcse": 1},
            workstreams=[stream],
        )
    return streams


def test_the_matrix_takes_the_same_queries_for_5_or_20_work_streams(world, today, django_assert_num_queries):
    _many_workstreams(world.partnership, 5, today)
    with django_assert_num_queries(6):  # work-streams, groups, expectations, the chain's head, two counts
        small = coverage_matrix(world.partnership, as_of=today)
    _many_workstreams(world.other_partnership, 20, today)
    with django_assert_num_queries(6):
        large = coverage_matrix(world.other_partnership, as_of=today)
    with django_assert_num_queries(4):  # the counts stored while nothing has changed
        again = coverage_matrix(world.other_partnership, as_of=today)
    assert (len(small.rows), len(large.rows)) == (5, 20)
    assert [[each.description for each in row.cells] for row in again.rows] == [
        [each.description for each in row.cells] for row in large.rows
    ]
    assert len(large.groups) >= 13
    assert all(cell.rag == Rag.GREEN for row in large.rows for cell in row.cells if cell.group.slug == "gps")


def test_stored_counts_are_never_stale_after_a_change(ew, today):
    """The counts are stored until the partnership's audit chain moves: each kind of change shows on the next view."""
    expect(ew.diabetes, "patients-carers", 90)
    old = log(ew.partnership, held_on=today - timedelta(days=120), reach={"gps": 3}, workstreams=[ew.diabetes])

    def shown():
        return cell(coverage_matrix(ew.partnership, as_of=today), ew.diabetes, "patients-carers").description

    assert shown() == "Red: never engaged (expected every 90)"
    assert shown() == "Red: never engaged (expected every 90)"  # from the store

    log(ew.partnership, held_on=today - timedelta(days=100), reach={"patients-carers": 4}, workstreams=[ew.diabetes])
    assert shown() == "Red: last engaged 100 days ago (expected every 90)"  # a new activity

    services.activity_update(actor=SYSTEM, activity=old, reach={group("patients-carers"): 2, group("gps"): 3})
    services.activity_update(actor=SYSTEM, activity=old, held_on=today - timedelta(days=5))
    assert shown() == "Green: last engaged 5 days ago (expected every 90)"  # an activity corrected

    services.activity_update(actor=SYSTEM, activity=old, workstreams=[ew.end_of_life])
    assert shown() == "Red: last engaged 100 days ago (expected every 90)"  # unlinked from the work-stream
