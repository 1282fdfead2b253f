"""seed_scale's work-streams part at a tiny scale, on two partnerships of people made here."""

import io

import pytest
from django.db.models import Count
from django.utils import timezone
from tqdm import tqdm

from partnerships.models import Role
from tests.factories import PartnershipFactory, ProfileFactory, UserFactory, grant, member_of
from workstreams.access import Access, can_in_workstream
from workstreams.models import (
    Action,
    ActionNote,
    AgendaItem,
    Attendance,
    GroupMember,
    HighlightReport,
    Meeting,
    MeetingStatus,
    MinutesVersion,
    WorkStream,
    WorkStreamRole,
)
from workstreams.seed import scale

pytestmark = pytest.mark.django_db

ROLES = [Role.LEAD] + [Role.BOARD_MEMBER] * 6 + [Role.NON_EXECUTIVE] * 2 + [Role.MEMBER] * 12 + [Role.VIEWER] * 3


def quiet_progress(total: int, description: str) -> tqdm:
    return tqdm(total=total, desc=description, disable=True)


@pytest.fixture
def partnerships():
    made = []
    for code in ["XA1", "XB2"]:
        partnership = PartnershipFactory(code=code)
        organisation = member_of(partnership)
        for number, role in enumerate(ROLES):
            user = UserFactory(username=f"{code.lower()}-{number}")
            ProfileFactory(user=user, organisation=organisation, is_clinician=number % 5 == 0)
            grant(user, partnership, role)
        made.append(partnership)
    return made


def run(scale_factor=0.02) -> str:
    output = io.StringIO()
    scale.seed(scale=scale_factor, random_seed=7, progress=quiet_progress, stdout=output)
    return output.getvalue()


def test_tiny_scale_builds_work_streams_meetings_and_actions_in_proportion(partnerships):
    output = run(0.02)
    per_partnership = {p.code: p for p in partnerships}
    for partnership in per_partnership.values():
        assert WorkStream.objects.filter(partnership=partnership).count() == 1  # 2% of 50
        assert Meeting.objects.filter(partnership=partnership).count() == 30  # 2% of 1,500
        assert Action.objects.filter(partnership=partnership).count() == 300  # 2% of 15,000
    assert "2 work-streams, 60 meetings and 600 actions in 2 partnerships" in output
    assert AgendaItem.objects.count() >= 60 * 3
    assert ActionNote.objects.exists() and HighlightReport.objects.exists()


def test_the_data_is_consistent_with_the_rules_the_pages_use(partnerships):
    run(0.02)
    today = timezone.localdate()
    # Every group seat has its guardian role, so the generated groups can write through the pages.
    assert GroupMember.objects.count() == WorkStreamRole.objects.count()
    member = GroupMember.objects.filter(role="member").select_related("workstream__partnership", "user").first()
    assert can_in_workstream(member.user, member.workstream, Access.WRITE)
    # Past meetings have attendance and a computed quorum; approved ones have their minutes frozen.
    held = Meeting.objects.exclude(status=MeetingStatus.SCHEDULED)
    assert not held.filter(quorate__isnull=True).exists()
    assert held.filter(quorum_explanation__startswith="Quorate").exists()
    assert Attendance.objects.values("meeting").distinct().count() == held.count()
    approved = Meeting.objects.filter(status=MeetingStatus.MINUTES_APPROVED).count()
    assert MinutesVersion.objects.count() == approved > 0
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED, starts_at__gt=timezone.now()).exists()
    assert Meeting.objects.filter(workstream__isnull=True).exists()  # board meetings too
    # Five years of history, a few actions still overdue, none due before its meeting.
    oldest = Meeting.objects.order_by("starts_at").first().starts_at
    assert (today - timezone.localdate(oldest)).days > 365 * 4
    assert Action.objects.overdue().exists()
    assert not Action.objects.filter(due_on__lt=timezone.localdate(oldest)).exists()
    assert not Action.objects.filter(status="done", completed_on__isnull=True).exists()


def test_running_again_adds_nothing(partnerships):
    run(0.02)
    counts = {model.__name__: model.objects.count() for model in (WorkStream, Meeting, Action, GroupMember)}
    output = run(0.02)
    assert "nothing to do" in output
    assert counts == {model.__name__: model.objects.count() for model in (WorkStream, Meeting, Action, GroupMember)}


def test_a_larger_scale_grows_the_counts(partnerships):
    run(0.1)
    per_partnership = WorkStream.objects.values("partnership").annotate(n=Count("pk")).order_by("partnership")
    assert [row["n"] for row in per_partnership] == [5, 5]
    assert Meeting.objects.count() == 300
    assert Action.objects.count() == 3000
