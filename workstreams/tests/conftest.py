"""Work-stream fixtures: the demo partnership's personas, plus two work-streams and the people who run them.

- Diabetes (active): `board` leads it, `member` is a member, `deputy` is a named deputy for `member`,
  `observer` observes; the clinician `doctor` is a member.
- Medicines Optimisation (active): led by `pharmacist`, who has a member role in the partnership. `member` is not
  in this group, so `member` may read it and change nothing.
- `ned`, `viewer` and the partnership `lead` hold no group seat; `outsider` has no role in the partnership.
"""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.audit import SYSTEM
from partnerships.models import Role
from tests.factories import ProfileFactory, UserFactory, grant
from workstreams import services
from workstreams.models import GroupRole, WorkStreamStatus
from workstreams.services import AttendanceLine


class Scene:
    def __init__(self, world):
        self.world = world
        self.partnership = world.partnership
        for name in ["lead", "board", "ned", "member", "viewer", "outsider"]:
            setattr(self, name, getattr(world, name))
        self.doctor = self.person("doctor", "Consultant diabetologist", clinician=True)
        self.deputy = self.person("deputy", "Deputy programme manager")
        self.observer = self.person("observer", "Healthwatch officer")
        self.pharmacist = self.person("pharmacist", "Chief pharmacist")

        self.diabetes = self.workstream("Diabetes", lead=self.board)
        self.member_seat = services.group_member_add(
            actor=self.lead, workstream=self.diabetes, user=self.member, role=GroupRole.MEMBER
        )
        services.group_member_add(actor=self.lead, workstream=self.diabetes, user=self.doctor, role=GroupRole.MEMBER)
        services.group_member_add(
            actor=self.lead,
            workstream=self.diabetes,
            user=self.deputy,
            role=GroupRole.DEPUTY,
            deputy_for=self.member_seat,
        )
        services.group_member_add(
            actor=self.lead, workstream=self.diabetes, user=self.observer, role=GroupRole.OBSERVER
        )
        self.medicines = self.workstream("Medicines Optimisation", lead=self.pharmacist)

    def person(self, username, title, *, clinician=False):
        user = UserFactory(username=username)
        ProfileFactory(user=user, organisation=self.world.trust, job_title=title, is_clinician=clinician)
        grant(user, self.partnership, Role.MEMBER)
        return user

    def workstream(self, name, *, lead, status=WorkStreamStatus.ACTIVE):
        workstream = services.workstream_propose(
            actor=self.lead, partnership=self.partnership, name=name, purpose=f"Improve {name.lower()} care.", lead=lead
        )
        if status != WorkStreamStatus.PROPOSED:
            services.workstream_accept(actor=self.lead, workstream=workstream, reason="Agreed by the board.")
        if status == WorkStreamStatus.ACTIVE:
            services.workstream_change_status(
                actor=self.lead, workstream=workstream, status=WorkStreamStatus.ACTIVE, reason="Group formed."
            )
        return workstream

    def meeting(self, workstream=None, *, days_ago=7, **fields):
        """A meeting `days_ago` days ago (negative for the future) of the work-stream, or of the board."""
        return services.meeting_create(
            actor=SYSTEM,
            workstream=workstream,
            partnership=None if workstream else self.partnership,
            starts_at=timezone.now() - timedelta(days=days_ago),
            place="Boardroom, Civic Centre",
            **fields,
        )

    def action(self, workstream=None, *, owner=None, due_in_days=14, meeting=None, description="Write the plan"):
        return services.action_create(
            actor=SYSTEM,
            workstream=workstream,
            meeting=meeting,
            description=description,
            owner=owner or self.member,
            due_on=timezone.localdate() + timedelta(days=due_in_days),
        )


@pytest.fixture
def scene(world) -> Scene:
    return Scene(world)


@pytest.fixture
def records(scene):
    """One record of each kind for Diabetes and the board, for detail, update and verb URLs."""
    meeting = scene.meeting(scene.diabetes)
    services.meeting_change_status(actor=SYSTEM, meeting=meeting, status="held")
    item = services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Screening", purpose="decision")
    paper = services.paper_add(actor=SYSTEM, item=item, title="Paper", file=SimpleUploadedFile("p.pdf", b"%PDF-1 x"))
    services.attendance_record(actor=SYSTEM, meeting=meeting, lines=[AttendanceLine(scene.member, "present")])
    services.minutes_record(actor=SYSTEM, meeting=meeting, minutes={item.pk: "Agreed."})
    board_meeting = scene.meeting()
    return {
        "meeting": meeting,
        "item": item,
        "paper": paper,
        "board_meeting": board_meeting,
        "action": scene.action(scene.diabetes, owner=scene.doctor),
        "board_action": scene.action(meeting=board_meeting, owner=scene.lead),
        "seat": scene.member_seat,
        "report": services.highlight_report_create(
            actor=SYSTEM,
            workstream=scene.diabetes,
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            rag="green",
            progress="Fine.",
        ),
    }
