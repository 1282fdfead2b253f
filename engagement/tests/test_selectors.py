"""What the governance app asks of engagement: a work-stream's evidence, the expected groups a set of activities
missed, the published "you said, we did", and the themes still awaiting a response."""

from datetime import timedelta

import pytest

from core.audit import SYSTEM
from engagement import services
from engagement.models import EngagementActivity
from engagement.selectors.activities import activities_reaching, evidence_for_workstream, expected_groups_missing
from engagement.selectors.feedback import feedback_awaiting_response, published_responses

from .support import group, log

pytestmark = pytest.mark.django_db


def test_evidence_for_a_work_stream_is_its_activities_newest_first_and_from_a_date(ew, today):
    old = log(ew.partnership, held_on=today - timedelta(days=200), reach={"gps": 1}, workstreams=[ew.diabetes])
    new = log(
        ew.partnership, held_on=today - timedelta(days=2), reach={"gps": 1}, workstreams=[ew.diabetes, ew.medicines]
    )
    log(ew.partnership, held_on=today, reach={"gps": 1}, workstreams=[ew.medicines])
    assert list(evidence_for_workstream(ew.diabetes)) == [new, old]
    assert list(evidence_for_workstream(ew.diabetes, since=today - timedelta(days=30))) == [new]
    assert evidence_for_workstream(ew.diabetes)[0].people_reached == 1


def test_expected_groups_missing_names_each_expected_group_no_activity_reached(ew, today):
    for slug in ("patients-carers", "local-authorities", "clinicians"):
        services.expectation_set(actor=SYSTEM, workstream=ew.end_of_life, group=group(slug), interval_days=90)
    hospice_visit = log(ew.partnership, held_on=today, reach={"patients-carers": 8, "nurses": 3})
    assert expected_groups_missing(ew.end_of_life, [hospice_visit]) == [group("local-authorities")]
    assert expected_groups_missing(ew.end_of_life, EngagementActivity.objects.filter(pk=hospice_visit.pk)) == [
        group("local-authorities")
    ]
    assert expected_groups_missing(ew.end_of_life, []) == [
        group("clinicians"),
        group("patients-carers"),
        group("local-authorities"),
    ]


def test_no_expectations_means_nothing_is_missing(ew, today):
    assert expected_groups_missing(ew.medicines, []) == []


def test_expected_groups_missing_takes_two_queries_however_many_activities(ew, today, django_assert_num_queries):
    services.expectation_set(actor=SYSTEM, workstream=ew.diabetes, group=group("mps"), interval_days=365)
    activities = [log(ew.partnership, held_on=today, reach={"gps": 1, "vcse": 2}) for _ in range(10)]
    mps = group("mps")
    with django_assert_num_queries(2):
        assert expected_groups_missing(ew.diabetes, activities) == [mps]


def _feedback(activity, theme, status="open", published=False, reason=""):
    item = services.feedback_record(actor=SYSTEM, activity=activity, theme=theme, groups=[group("patients-carers")])
    if status != "open":
        services.feedback_respond(
            actor=SYSTEM, feedback=item, response=f"We did: {theme}", status=status, reason=reason, published=published
        )
    return item


def test_published_responses_are_those_published_in_the_partnership(ew, today, django_assert_num_queries):
    ours = log(ew.partnership, held_on=today, reach={"patients-carers": 10})
    theirs = log(ew.other_partnership, held_on=today, reach={"patients-carers": 10})
    _feedback(ours, "Unpublished", status="responded")
    shown = _feedback(ours, "Evening clinics", status="acted_on", published=True)
    declined = _feedback(ours, "A new hospital", status="not_taken_forward", reason="No capital", published=True)
    _feedback(ours, "Still open")
    _feedback(theirs, "Elsewhere", status="acted_on", published=True)
    with django_assert_num_queries(2):
        responses = list(published_responses(ew.partnership))
        assert [group.slug for item in responses for group in item.groups.all()] == ["patients-carers"] * 2
    assert responses == [declined, shown]
    assert responses[0].reason == "No capital"


def test_feedback_awaiting_response_is_open_feedback_longest_waiting_first(ew, today):
    earlier = log(ew.partnership, held_on=today - timedelta(days=30), reach={"patients-carers": 10})
    later = log(ew.partnership, held_on=today, reach={"patients-carers": 10})
    waiting_longest = _feedback(earlier, "Parking")
    waiting = _feedback(later, "Signs")
    _feedback(later, "Answered", status="responded")
    assert list(feedback_awaiting_response(ew.partnership)) == [waiting_longest, waiting]


def test_filtering_by_a_main_group_includes_its_sub_groups(ew, today):
    gp_visit = log(ew.partnership, held_on=today, reach={"gps": 3})
    ward_round = log(ew.partnership, held_on=today - timedelta(days=1), reach={"hospital-doctors": 3})
    log(ew.partnership, held_on=today, reach={"mps": 1})
    activities = EngagementActivity.objects.in_partnership(ew.partnership).for_listing()
    assert list(activities_reaching(activities, group("clinicians"))) == [gp_visit, ward_round]
    assert list(activities_reaching(activities, group("gps"))) == [gp_visit]
    filtered = activities_reaching(activities, group("clinicians")).between(today, today)
    assert [(activity, activity.people_reached) for activity in filtered] == [(gp_visit, 3)]
