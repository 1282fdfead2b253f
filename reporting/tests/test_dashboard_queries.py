"""The dashboard's database work does not grow with the partnership's data: the page, the API and the lists behind
the figures make exactly the same number of queries for a partnership with 10 actions as for one with ten times as
much of everything — actions, meetings with attendance and agendas, decisions, risks with reviews, engagement with
feedback, work-streams with highlight reports. Issue 9 (national scale) depends on it."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagement import services as engagement_services
from engagement.tests.support import log
from governance import services
from governance.models import Decision
from governance.tests.risk_support import raise_risk, review, set_appetite
from governance.tests.support import approved, in_signoff, sign, signatories
from partnerships.models import MembershipKind, Role
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory, UserFactory, grant
from workstreams.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    GroupMember,
    HighlightReport,
    Meeting,
    WorkStream,
    WorkStreamStatus,
)

from .dashboard_support import default_groups, group

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/QZZ/dashboard/"
URLS = [
    PAGE,
    "/api/v1/dashboards/QZZ/",
    "/partnerships/QZZ/dashboard/actions/?state=overdue",
    "/partnerships/QZZ/dashboard/attendance/",
    "/partnerships/QZZ/dashboard/agenda/?purpose=decision",
]
MOST_QUERIES = 30  # the whole page, session and sign-in included


class Growth:
    """Adds `units` of data to the world's partnership; each unit holds 10 actions and some of every other kind."""

    def __init__(self, world):
        default_groups()
        signatories(world)
        set_appetite(world, "Finance", tolerance=8)
        self.world, self.partnership, self.added = world, world.partnership, 0
        self.today, self.now = timezone.localdate(), timezone.now()

    def add(self, units: int) -> None:
        for number in range(self.added, self.added + units):
            self._unit(number)
        self.added += units

    def _unit(self, n: int) -> None:
        world, p, today, now = self.world, self.partnership, self.today, self.now
        # An associate: the decisions bind the two full members, who sign, so they reach every state.
        organisation = OrganisationFactory(name=f"Partner {n}")
        MembershipFactory(partnership=p, organisation=organisation, kind=MembershipKind.ASSOCIATE)
        person = UserFactory(username=f"person{n}")
        ProfileFactory(user=person, organisation=organisation)
        grant(person, p, Role.MEMBER)
        workstream = WorkStream.objects.create(
            partnership=p, name=f"Work-stream {n}", purpose="Work.", status=WorkStreamStatus.ACTIVE
        )
        GroupMember.objects.create(workstream=workstream, user=person, role="lead")
        HighlightReport.objects.create(
            partnership=p,
            workstream=workstream,
            period_start=today - timedelta(days=30 + n),
            period_end=today - timedelta(days=n),
            rag="amber",
            progress="Going.",
        )
        board_meeting = Meeting.objects.create(
            partnership=p, title=f"Board {n}", starts_at=now - timedelta(days=10 + 30 * n), place="Hall"
        )
        group_meeting = Meeting.objects.create(
            partnership=p,
            workstream=workstream,
            title=f"Group {n}",
            starts_at=now - timedelta(days=5 + n),
            place="Hall",
        )
        for position, purpose in enumerate(["decision", "note", "assurance"], start=1):
            AgendaItem.objects.create(meeting=board_meeting, position=position, title=f"Item {n}", purpose=purpose)
            AgendaItem.objects.create(meeting=group_meeting, position=position, title=f"Item {n}", purpose=purpose)
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=board_meeting, user=world.lead, status="present", organisation=world.trust),
                Attendance(meeting=board_meeting, user=world.ned, status="absent", organisation=world.council),
                Attendance(meeting=group_meeting, user=person, status="apologies", organisation=organisation),
            ]
        )
        statuses = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED]
        Action.objects.bulk_create(
            [
                Action(
                    partnership=p,
                    workstream=None if index % 5 == 0 else workstream,
                    meeting=board_meeting if index % 5 == 0 else None,
                    description=f"Action {n}.{index}",
                    owner=person,
                    owner_organisation=organisation if index % 3 else None,
                    due_on=today + timedelta(days=index * 20 - 100),
                    status=statuses[index % 4],
                    completed_on=today - timedelta(days=index) if statuses[index % 4] == ActionStatus.DONE else None,
                )
                for index in range(10)
            ]
        )
        engagement_services.expectation_set(
            actor=world.lead, workstream=workstream, group=group("patients-carers"), interval_days=90
        )
        activity = log(
            p, held_on=today - timedelta(days=3 * n + 1), reach={"staff-unions": 4}, workstreams=[workstream]
        )
        for theme in ("More clinics", "Longer hours"):
            engagement_services.feedback_record(
                actor=world.lead, activity=activity, theme=f"{theme} {n}", groups=[group("staff-unions")]
            )
        waiting = in_signoff(world, title=f"Waiting {n}", workstream=workstream)
        sign(world.board, waiting)
        challenged = in_signoff(world, title=f"Challenged {n}")
        services.challenge_raise(actor=world.ned, decision=challenged, text="Why?")
        sign(world.board, challenged)
        sign(world.council_director, challenged)
        urgent = approved(world, title=f"Urgent {n}", workstream=workstream)
        Decision.objects.filter(pk=urgent.pk).update(is_urgent=True, urgent_reason="Winter.")
        rising = raise_risk(world, title=f"Rising {n}", likelihood=2, consequence=4, decisions=[urgent])
        review(world, rising, 3, 4)
        raise_risk(world, title=f"Escalated {n}", likelihood=4, consequence=5)


def queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types), which are not the page's own work
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("persona", ["lead", "viewer"])
def test_the_same_queries_for_ten_actions_as_for_ten_times_everything(
    world, client, django_assert_num_queries, persona
):
    growth = Growth(world)
    growth.add(1)
    assert Action.objects.filter(partnership=world.partnership).count() == 10
    client.force_login(getattr(world, persona))
    small = {url: queries(client, url) for url in URLS}
    assert small[PAGE] <= MOST_QUERIES

    growth.add(9)
    # Growth writes most rows with bulk_create, which records no audit event, as no service would write: the stored
    # figures follow audited changes only (reporting/selectors/dashboard_store.py), so these are built afresh.
    cache.clear()
    assert Action.objects.filter(partnership=world.partnership).count() == 100
    assert Meeting.objects.filter(partnership=world.partnership).count() == 20
    assert Decision.objects.filter(partnership=world.partnership).count() == 30
    for url in URLS:
        client.get(url)
        with django_assert_num_queries(small[url]):
            response = client.get(url)
        assert response.status_code == 200, url
    answer = client.get(URLS[1]).json()  # the figures did grow tenfold
    assert (len(answer["decisions"]["awaiting"]), answer["health"]["approved"]["approved"]) == (10, 20)
    assert (answer["actions"]["open"], answer["risks"]["open"], answer["engagement"]["awaiting_response"]) == (
        60,
        20,
        20,
    )
