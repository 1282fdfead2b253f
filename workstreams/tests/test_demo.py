"""The work-streams demo data: three work-streams in QZZ with months of meetings and actions; loading it again
changes nothing, and without the demo partnership it does nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from partnerships.models import Partnership
from workstreams.access import Access, can_in_workstream
from workstreams.models import Action, GroupMember, HighlightReport, Meeting, MinutesVersion, WorkStream
from workstreams.seed import demo

pytestmark = pytest.mark.django_db

MODELS = (WorkStream, GroupMember, Meeting, MinutesVersion, Action, HighlightReport)


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    return Partnership.objects.get(code="QZZ")


def test_without_the_demo_partnership_nothing_is_made():
    output = io.StringIO()
    demo.seed(stdout=output)
    assert output.getvalue() == "Work-streams: skipped, the demo partnership QZZ is not there."
    assert set(rows().values()) == {0}


def test_three_workstreams_with_months_of_meetings_and_some_overdue_actions(loaded):
    statuses = dict(WorkStream.objects.filter(partnership=loaded).values_list("name", "status"))
    assert statuses == {"Medicines Optimisation": "active", "Diabetes": "active", "End of Life Care": "proposed"}
    diabetes = WorkStream.objects.get(name="Diabetes")
    assert diabetes.meetings.filter(status="minutes_approved").count() >= 3
    assert diabetes.meetings.filter(status="scheduled").count() == 1
    assert loaded.meetings.board().filter(status="minutes_approved").exists()
    assert Action.objects.filter(partnership=loaded).overdue().exists()
    assert Action.objects.filter(partnership=loaded, status="done").exists()
    assert Meeting.objects.filter(quorate=False, quorum_explanation__contains="no clinician present").exists()
    assert HighlightReport.objects.filter(workstream=diabetes).count() == 2


def test_member_sits_in_the_diabetes_group_and_nowhere_else(loaded):
    member = get_user_model().objects.get(username="member")
    diabetes, medicines = WorkStream.objects.get(name="Diabetes"), WorkStream.objects.get(name="Medicines Optimisation")
    assert can_in_workstream(member, diabetes, Access.WRITE)
    assert not can_in_workstream(member, medicines, Access.WRITE)
    assert Action.objects.filter(owner=member).exists()


def test_loading_again_changes_nothing(loaded):
    before = rows()
    demo.seed(stdout=io.StringIO())
    assert rows() == before
