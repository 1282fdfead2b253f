"""A partnership whose every dashboard figure is known by hand: `DashboardScene` builds it and says, beside each
record, what it adds to which figure. Dates are relative to today (T)."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from engagement import services as engagement_services
from engagement.models import StakeholderGroup
from engagement.tests.support import log
from governance import services
from governance.models import Decision, Risk, SignOffRound, Vote
from governance.services.risks import risk_close
from governance.tests.risk_support import raise_risk, review, set_appetite, workstream_with_lead
from governance.tests.support import approved, in_signoff, sign, signatories
from workstreams.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    GroupMember,
    GroupRole,
    HighlightReport,
    Meeting,
    MeetingStatus,
    WorkStream,
    WorkStreamStatus,
)


def default_groups() -> None:
    """The standard stakeholder groups: a transactional test empties the table the data migration filled."""
    if not StakeholderGroup.objects.filter(partnership=None).exists():
        import_module("engagement.migrations.0002_default_stakeholder_groups").create_default_groups(apps, None)


def group(slug: str) -> StakeholderGroup:
    return StakeholderGroup.objects.get(partnership=None, slug=slug)


class DashboardScene:
    def __init__(self, world):
        default_groups()
        self.world = world
        self.today = today = timezone.localdate()
        self.now = timezone.now()
        p = self.partnership = world.partnership
        T = today  # the day the figures are for

        # Work-streams: Diabetes (red, two highlight reports), Medicines (not rated), and a closed one (left out).
        self.diabetes, self.wslead = workstream_with_lead(world)
        WorkStream.objects.filter(pk=self.diabetes.pk).update(rag="red", rag_reason="Behind plan", rag_set_on=T)
        self.medicines = WorkStream.objects.create(
            partnership=p, name="Medicines Optimisation", purpose="Safer prescribing.", status=WorkStreamStatus.ACTIVE
        )
        self.closed = WorkStream.objects.create(
            partnership=p, name="Old programme", purpose="Done.", status=WorkStreamStatus.CLOSED
        )
        self.report_before = self.report(T - timedelta(days=60), T - timedelta(days=31), "amber")
        self.report_latest = self.report(T - timedelta(days=30), T - timedelta(days=1), "red")

        # Meetings of the last year (and one older, one cancelled: left out of attendance and agendas).
        self.m1 = self.meeting(days_ago=20)
        self.m2 = self.meeting(days_ago=50)
        self.m3 = self.meeting(days_ago=80)
        self.m_old = self.meeting(days_ago=400)
        self.m_cancelled = self.meeting(days_ago=10, status=MeetingStatus.CANCELLED)
        self.m_diabetes = self.meeting(days_ago=15, workstream=self.diabetes)
        GroupMember.objects.create(workstream=self.diabetes, user=world.member, role=GroupRole.MEMBER)
        GroupMember.objects.create(workstream=self.diabetes, user=world.viewer, role=GroupRole.OBSERVER)
        trust, council = world.trust, world.council
        for meeting, person, status, organisation in [
            (self.m1, world.lead, "present", trust),
            (self.m1, world.board, "present", trust),
            (self.m1, world.ned, "apologies", council),
            (self.m2, world.lead, "present", trust),
            (self.m2, world.board, "absent", trust),
            (self.m2, world.ned, "apologies", council),
            (self.m3, world.lead, "present", trust),
            (self.m3, world.board, "present", trust),
            (self.m3, world.ned, "absent", council),
            (self.m_old, world.ned, "present", council),  # over a year ago
            (self.m_cancelled, world.ned, "absent", council),  # cancelled
            (self.m_diabetes, self.wslead, "present", council),
            (self.m_diabetes, world.member, "absent", council),
            (self.m_diabetes, world.viewer, "absent", council),  # an observer's seat
        ]:
            Attendance.objects.create(meeting=meeting, user=person, status=status, organisation=organisation)
        # Standing in for the non-executive: a deputy's row counts for no one.
        Attendance.objects.create(
            meeting=self.m2, user=world.member, status="present", deputy_for=world.ned, organisation=council
        )
        for meeting, title, purpose in [
            (self.m1, "Budget", "decision"),
            (self.m1, "Estates", "decision"),
            (self.m1, "Minutes", "note"),
            (self.m2, "Risk report", "note"),
            (self.m_diabetes, "Screening", "decision"),
            (self.m_diabetes, "Assurance report", "assurance"),
            (self.m_old, "Ancient", "decision"),
            (self.m_cancelled, "Never discussed", "decision"),
        ]:
            AgendaItem.objects.create(
                meeting=meeting, position=meeting.agenda_items.count() + 1, title=title, purpose=purpose
            )

        # Actions: 7 open, 5 of them overdue (one due today is not).
        member, board, lead, ned = world.member, world.board, world.lead, world.ned
        self.a1 = self.action(self.diabetes, member, council, -10)  # overdue
        self.a2 = self.action(self.diabetes, board, trust, -1, status=ActionStatus.IN_PROGRESS)  # overdue
        self.a3 = self.action(self.diabetes, member, None, 5)  # open
        self.a4 = self.action(self.diabetes, member, council, -20, status=ActionStatus.DONE, completed=-21)
        self.a5 = self.action(self.diabetes, member, council, -30, status=ActionStatus.CANCELLED)
        self.a6 = self.action(self.medicines, board, trust, -3)  # overdue
        self.a7 = self.action(self.medicines, lead, trust, 0)  # due today: open, not overdue
        self.a8 = self.action(None, ned, council, -7, meeting=self.m1)  # the board's, overdue
        self.a9 = self.action(self.closed, lead, trust, -40)  # a closed work-stream's, overdue
        self.overdue = [self.a1, self.a2, self.a6, self.a8, self.a9]

        # Engagement: Diabetes expects patients (never heard: a gap) and councils (80 days ago of 90: due soon);
        # Medicines expects staff every 30 days (heard 10 days ago).
        expect = engagement_services.expectation_set
        expect(actor=lead, workstream=self.diabetes, group=group("patients-carers"), interval_days=90)
        expect(actor=lead, workstream=self.diabetes, group=group("local-authorities"), interval_days=90)
        expect(actor=lead, workstream=self.medicines, group=group("staff-unions"), interval_days=30)
        self.councils_heard = log(
            p, held_on=T - timedelta(days=80), reach={"local-authorities": 5}, workstreams=[self.diabetes]
        )
        self.staff_heard = log(
            p, held_on=T - timedelta(days=10), reach={"staff-unions": 3}, workstreams=[self.medicines]
        )
        record = engagement_services.feedback_record
        self.buses = record(
            actor=lead, activity=self.councils_heard, theme="Buses are too rare", groups=[group("local-authorities")]
        )
        self.rotas = record(
            actor=lead, activity=self.staff_heard, theme="Rotas are late", groups=[group("staff-unions")]
        )
        parking = record(actor=lead, activity=self.staff_heard, theme="Parking is hard", groups=[group("staff-unions")])
        engagement_services.feedback_respond(actor=lead, feedback=parking, response="More spaces.", status="responded")

        # Decisions. The trust (`board` signs) and the council (its director signs) are the full members.
        signatories(world)
        self.waiting = in_signoff(world, title="Waiting for the council")
        sign(world.board, self.waiting)
        SignOffRound.objects.filter(pk=self.waiting.current_round_id).update(opened_at=self.now - timedelta(days=3))
        self.secret = in_signoff(
            world,
            actor=lead,
            title="Secret land deal",
            visibility="confidential",
            confidential_reason="Commercial negotiation.",
            confidential_review_on=T + timedelta(days=90),
        )
        self.quick = approved(world, title="Approved without challenge", workstream=self.diabetes)  # no evidence
        self.tested = in_signoff(world, title="Approved after challenge")
        services.challenge_raise(actor=ned, decision=self.tested, text="What does it cost?")
        sign(world.board, self.tested)
        sign(world.council_director, self.tested)
        self.rejected = in_signoff(world, title="Rejected proposal")
        sign(world.board, self.rejected, Vote.REJECT)
        sign(world.council_director, self.rejected)
        self.old = approved(
            world,
            actor=lead,
            title="Approved long ago",
            workstream=self.diabetes,  # no evidence either, and confidential
            visibility="confidential",
            confidential_reason="Personal data.",
            confidential_review_on=T + timedelta(days=90),
        )
        Decision.objects.filter(pk=self.old.pk).update(decided_at=self.now - timedelta(days=60))
        self.urgent = approved(world, title="Urgent winter beds")
        Decision.objects.filter(pk=self.urgent.pk).update(is_urgent=True, urgent_reason="Winter pressures.")

        # Risks: Finance tolerates 8. Rising goes from 8 to 12 (above appetite) and flags `quick` for review.
        set_appetite(world, "Finance", tolerance=8)
        self.rising = raise_risk(world, title="Rising costs", likelihood=2, consequence=4, decisions=[self.quick])
        review(world, self.rising, 3, 4)
        self.escalated = raise_risk(world, title="Cash runs out", likelihood=4, consequence=4)
        self.low = raise_risk(world, title="Minor delays", likelihood=1, consequence=2, domain_name="Safety")
        Risk.objects.filter(pk=self.low.pk).update(next_review_on=T - timedelta(days=1))
        closed = raise_risk(world, title="Passed", likelihood=5, consequence=5)
        risk_close(actor=lead, risk=closed, reason="It has passed.")

    def report(self, start, end, rag):
        return HighlightReport.objects.create(
            partnership=self.partnership,
            workstream=self.diabetes,
            period_start=start,
            period_end=end,
            rag=rag,
            progress="Progress.",
        )

    def meeting(self, *, days_ago: int, workstream=None, status=MeetingStatus.MINUTES_APPROVED) -> Meeting:
        return Meeting.objects.create(
            partnership=self.partnership,
            workstream=workstream,
            title=f"{workstream or 'Board'} meeting",
            starts_at=self.now - timedelta(days=days_ago),
            place="Civic Centre",
            status=status,
        )

    def action(
        self, workstream, owner, organisation, due_in, *, status=ActionStatus.OPEN, completed=None, meeting=None
    ):
        return Action.objects.create(
            partnership=self.partnership,
            workstream=workstream,
            meeting=meeting,
            description=f"Action due in {due_in} days for {owner.username}",
            owner=owner,
            owner_organisation=organisation,
            due_on=self.today + timedelta(days=due_in),
            status=status,
            completed_on=self.today + timedelta(days=completed) if completed is not None else None,
        )
