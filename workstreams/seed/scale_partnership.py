"""One partnership's generated work-streams, groups, meetings, agenda, attendance, minutes, actions and reports,
written in a few bulk inserts (for `workstreams.scale`)."""

from datetime import datetime, time, timedelta
from types import SimpleNamespace

from django.utils import timezone

from partnerships.models import Role

from ..models import (
    Action,
    ActionNote,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    Attendance,
    GroupMember,
    GroupRole,
    HighlightReport,
    Meeting,
    MeetingStatus,
    MinutesVersion,
    WorkStream,
    WorkStreamRole,
    WorkStreamStatus,
    WorkStreamStatusChange,
)
from ..selectors.quorum import Entry, Seat, assess, board_of

BATCH_SIZE = 2000
WORKSTREAMS = 50
MEETINGS = 1500  # per partnership over five years, the board's monthly meetings included
ACTIONS = 15_000
YEARS = 5
BOARD_MEETINGS_A_YEAR = 12

PROGRAMMES = (  # noqa: SIM905 - a paragraph reads better than a column
    "Diabetes; Medicines Optimisation; End of Life Care; Urgent and Emergency Care; Mental Health; Cancer; "
    "Maternity; Children and Young People; Primary Care; Workforce; Digital; Learning Disability and Autism; "
    "Stroke; Cardiovascular Disease; Respiratory; Frailty; Planned Care; Outpatients; Diagnostics; Prevention; "
    "Population Health; Health Inequalities; Social Prescribing; Care Homes; Hospital Discharge; Community Services; "
    "Dementia; Carers; Housing and Health; Smoking Cessation; Healthy Weight; Alcohol; Falls; Musculoskeletal; "
    "Eye Care; Dermatology; Community Pharmacy; Dental; Ambulance Handover; Virtual Wards; Elective Recovery; "
    "Estates and Net Zero; Finance and Efficiency; Data and Intelligence; Personalised Care; Palliative Care; "
    "Children's Mental Health; Sexual Health; Neighbourhood Teams; Pathology"
).split("; ")
AGENDA = [
    ("Minutes and actions of the last meeting", AgendaPurpose.NOTE),
    ("Programme highlight report", AgendaPurpose.ASSURANCE),
    ("Risks and issues", AgendaPurpose.DISCUSSION),
    ("Business case", AgendaPurpose.DECISION),
    ("Engagement update", AgendaPurpose.NOTE),
]
ACTION_TEXTS = [
    "Circulate the revised plan to partners",
    "Bring a costed option to the next meeting",
    "Agree the data-sharing arrangement with the council",
    "Report progress against the trajectory",
    "Meet the provider collaborative to agree next steps",
    "Update the risk register",
    "Write to practices about the new pathway",
    "Confirm funding with the finance group",
]


def count_at(base: float, scale: float) -> int:
    """`base` at this scale, and at least one."""
    return max(1, round(base * scale))


class PartnershipRows:
    """One partnership's work-streams, meetings and actions, generated and written in a few bulk inserts."""

    def __init__(self, partnership, people, permissions, scale, rng, today, bars):
        self.partnership, self.people, self.permissions = partnership, people, permissions
        self.scale, self.rng, self.today, self.bars = scale, rng, today, bars
        self.everyone = [person for group in people.values() for person in group]
        self.start = today - timedelta(days=365 * YEARS)

    def build(self) -> None:
        workstreams = self._workstreams()
        seats = self._groups(workstreams)
        board = self._board_seats()
        meetings = self._meetings(workstreams)
        items = self._agenda(meetings)
        self._attendance(meetings, seats, board)
        self._actions(meetings, items, seats, board)
        self._reports(workstreams)

    def _pick(self, *roles):
        pool = [person for role in roles for person in self.people.get(role, [])] or self.everyone
        return self.rng.choice(pool)

    def _workstreams(self) -> list[WorkStream]:
        count = count_at(WORKSTREAMS, self.scale)
        names = [
            PROGRAMMES[n % len(PROGRAMMES)] + (f" {n // len(PROGRAMMES) + 1}" if n >= len(PROGRAMMES) else "")
            for n in range(count)
        ]
        rows = []
        for name in names:
            status = self.rng.choices(
                [WorkStreamStatus.ACTIVE, WorkStreamStatus.PAUSED, WorkStreamStatus.CLOSED, WorkStreamStatus.PROPOSED],
                weights=[80, 5, 10, 5],
            )[0]
            lead = self._pick(Role.MEMBER, Role.BOARD_MEMBER)
            rag = "" if status == WorkStreamStatus.PROPOSED else self.rng.choice(["red", "amber", "green", "green"])
            rows.append(
                WorkStream(
                    partnership=self.partnership,
                    name=name,
                    priority_area=name,
                    purpose=f"Improve {name.lower()} across the partnership, together.",
                    lead_id=lead[0],
                    senior_responsible_owner_id=self._pick(Role.BOARD_MEMBER)[0],
                    clinical_lead_id=self._pick(Role.BOARD_MEMBER, Role.MEMBER)[0],
                    status=status,
                    status_changed_at=timezone.now(),
                    rag=rag,
                    rag_reason="From the latest highlight report." if rag else "",
                    rag_set_on=self.today if rag else None,
                    quorum_needs_clinician=self.rng.random() < 0.3,
                )
            )
        workstreams = self.bars.insert("Work-streams", WorkStream, rows)
        changes = []
        for workstream in workstreams:
            path = [WorkStreamStatus.PROPOSED]
            if workstream.status != WorkStreamStatus.PROPOSED:
                path += [WorkStreamStatus.ACCEPTED, WorkStreamStatus.ACTIVE]
            if workstream.status in (WorkStreamStatus.PAUSED, WorkStreamStatus.CLOSED):
                path.append(workstream.status)
            changes += [
                WorkStreamStatusChange(workstream=workstream, from_status=before, to_status=after, reason="Generated.")
                for before, after in zip(["", *path], path, strict=False)
            ]
        self.bars.insert("Status changes", WorkStreamStatusChange, changes)
        return workstreams

    def _groups(self, workstreams) -> dict[int, list[Seat]]:
        """Each group: its lead, 5 to 9 members, a deputy named for one of them and an observer."""
        members, grants, seats = [], [], {}
        ned_ids = {person[0] for person in self.people.get(Role.NON_EXECUTIVE, [])}
        for workstream in workstreams:
            lead = next(person for person in self.everyone if person[0] == workstream.lead_id)
            chosen = {lead[0]: (lead, GroupRole.LEAD)}
            for _ in range(self.rng.randint(5, 9)):
                person = self._pick(Role.MEMBER, Role.BOARD_MEMBER, Role.NON_EXECUTIVE)
                chosen.setdefault(person[0], (person, GroupRole.MEMBER))
            # A seat never lifts anyone above their partnership role: viewers only observe.
            for role, pool in ((GroupRole.DEPUTY, (Role.MEMBER,)), (GroupRole.OBSERVER, (Role.MEMBER, Role.VIEWER))):
                person = self._pick(*pool)
                chosen.setdefault(person[0], (person, role))
            group = []
            for (user_id, organisation_id, clinician), role in chosen.values():
                member = GroupMember(
                    workstream=workstream,
                    user_id=user_id,
                    organisation_id=organisation_id,
                    role=role,
                    is_clinician=clinician,
                    is_non_executive=user_id in ned_ids,
                    joined_on=self.start,
                )
                group.append(member)
                grants.append(
                    WorkStreamRole(
                        user_id=user_id, content_object=workstream, permission=self.permissions[role.codename]
                    )
                )
            members += group
            seats[workstream.pk] = group
        self.bars.insert("Group members", GroupMember, members)
        self.bars.insert("Work-stream roles", WorkStreamRole, grants)
        for group in seats.values():  # name each deputy for a member of their group
            deputy = next((member for member in group if member.role == GroupRole.DEPUTY), None)
            voting = [member for member in group if member.votes]
            if deputy is not None and voting:
                deputy.deputy_for = self.rng.choice(voting)
        GroupMember.objects.bulk_update([m for m in members if m.deputy_for_id], ["deputy_for"], batch_size=BATCH_SIZE)
        return {
            workstream_id: [
                Seat(
                    user=SimpleNamespace(pk=member.user_id),
                    role_label=member.role,
                    organisation=None,
                    votes=member.votes,
                    is_deputy=member.role == GroupRole.DEPUTY,
                    is_clinician=member.is_clinician,
                    is_non_executive=member.is_non_executive,
                    deputy_for_id=member.deputy_for.user_id if member.deputy_for_id else None,
                )
                for member in group
            ]
            for workstream_id, group in seats.items()
        }

    def _board_seats(self) -> list[Seat]:
        board = []
        for role in (Role.LEAD, Role.BOARD_MEMBER, Role.NON_EXECUTIVE):
            for user_id, _, clinician in self.people.get(role, []):
                board.append(
                    Seat(
                        user=SimpleNamespace(pk=user_id),
                        role_label=role,
                        organisation=None,
                        votes=True,
                        is_clinician=clinician,
                        is_non_executive=role == Role.NON_EXECUTIVE,
                    )
                )
        return board

    def _meetings(self, workstreams) -> list[Meeting]:
        total = count_at(MEETINGS, self.scale)
        board_count = min(total // 2 or 1, BOARD_MEETINGS_A_YEAR * YEARS)
        live = [w for w in workstreams if w.status != WorkStreamStatus.PROPOSED] or workstreams
        plan = [(None, number, board_count) for number in range(board_count)]
        per_stream, extra = divmod(total - board_count, len(live))
        for index, workstream in enumerate(live):
            count = per_stream + (1 if index < extra else 0)
            plan += [(workstream, number, count) for number in range(count)]
        now = timezone.now()
        rows = []
        for workstream, number, count in plan:
            # Spread evenly over five years, the last one a few weeks ahead.
            day = self.start + timedelta(days=round((365 * YEARS + 30) * (number + 1) / count))
            starts_at = timezone.make_aware(datetime.combine(day, time(14 if workstream is None else 10)))
            if starts_at > now:
                status = MeetingStatus.SCHEDULED
            elif day > self.today - timedelta(days=30):
                status = MeetingStatus.MINUTES_DRAFT
            else:
                status = MeetingStatus.MINUTES_APPROVED
            rows.append(
                Meeting(
                    partnership=self.partnership,
                    workstream=workstream,
                    title=f"{workstream.name} group meeting" if workstream else "Partnership board meeting",
                    starts_at=starts_at,
                    duration_minutes=90 if workstream else 150,
                    place="Meeting room 1, headquarters",
                    status=status,
                )
            )
        return self.bars.insert("Meetings", Meeting, rows)

    def _agenda(self, meetings) -> dict[int, list[AgendaItem]]:
        items, versions = {}, []
        rows = []
        for meeting in meetings:
            held = meeting.status != MeetingStatus.SCHEDULED
            agenda = [
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=title,
                    purpose=purpose,
                    presenter_id=self.rng.choice(self.everyone)[0],
                    minutes="Discussed and noted." if held else "",
                )
                for position, (title, purpose) in enumerate(AGENDA[: self.rng.randint(3, 5)], start=1)
            ]
            items[meeting.pk] = agenda
            rows += agenda
            if meeting.status == MeetingStatus.MINUTES_APPROVED:
                versions.append(
                    MinutesVersion(
                        meeting=meeting,
                        number=1,
                        approved_at=meeting.starts_at + timedelta(days=30),
                        items=[
                            {"position": i.position, "title": i.title, "purpose": i.purpose, "minutes": i.minutes}
                            for i in agenda
                        ],
                    )
                )
        self.bars.insert("Agenda items", AgendaItem, rows)
        self.bars.insert("Minutes versions", MinutesVersion, versions)
        return items

    def _attendance(self, meetings, seats, board) -> None:
        """Most come, some send apologies; quorum is computed with the same rule as the pages."""
        rows = []
        board_rule = board_of(self.partnership)
        for meeting in meetings:
            if meeting.status == MeetingStatus.SCHEDULED:
                continue
            expected = seats[meeting.workstream_id] if meeting.workstream_id else board
            entries = []
            for seat in expected:
                status = self.rng.choices(["present", "apologies", "absent"], weights=[78, 17, 5])[0]
                entries.append(Entry(seat.user.pk, status, seat.deputy_for_id if status == "present" else None))
                rows.append(
                    Attendance(
                        meeting=meeting, user_id=seat.user.pk, status=status, deputy_for_id=entries[-1].deputy_for_id
                    )
                )
            rule = meeting.workstream if meeting.workstream_id else board_rule
            result = assess(rule, expected, entries, {seat.user.pk: seat for seat in expected if seat.is_deputy})
            meeting.quorate, meeting.quorum_explanation = result.quorate, result.explanation
        self.bars.insert("Attendance", Attendance, rows)
        Meeting.objects.bulk_update(meetings, ["quorate", "quorum_explanation"], batch_size=BATCH_SIZE)

    def _actions(self, meetings, items, seats, board) -> None:
        held = [meeting for meeting in meetings if meeting.status != MeetingStatus.SCHEDULED]
        total = count_at(ACTIONS, self.scale)
        rows = []
        for number in range(total):
            meeting = held[number % len(held)] if held else None
            if meeting is None:
                break
            expected = seats[meeting.workstream_id] if meeting.workstream_id else board
            owner = self.rng.choice(expected).user.pk if expected else self.rng.choice(self.everyone)[0]
            meeting_day = timezone.localdate(meeting.starts_at)
            due = meeting_day + timedelta(days=self.rng.randint(14, 90))
            if due < self.today - timedelta(days=30):
                status = self.rng.choices(
                    [ActionStatus.DONE, ActionStatus.CANCELLED, ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
                    weights=[85, 5, 6, 4],
                )[0]
            else:
                status = self.rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE])
            completed = min(due + timedelta(days=self.rng.randint(-10, 20)), self.today)
            rows.append(
                Action(
                    partnership=self.partnership,
                    workstream_id=meeting.workstream_id,
                    meeting=meeting,
                    agenda_item=self.rng.choice(items[meeting.pk]),
                    description=self.rng.choice(ACTION_TEXTS),
                    owner_id=owner,
                    due_on=due,
                    status=status,
                    completed_on=max(completed, meeting_day) if status == ActionStatus.DONE else None,
                )
            )
        actions = self.bars.insert("Actions", Action, rows)
        notes = []
        for action in actions:
            if action.status == ActionStatus.OPEN and self.rng.random() < 0.5:
                continue
            notes.append(
                ActionNote(
                    action=action,
                    author_id=action.owner_id,
                    written_on=action.due_on - timedelta(days=7),
                    text="Under way.",
                )
            )
            if action.status != ActionStatus.OPEN:
                notes.append(
                    ActionNote(
                        action=action,
                        author_id=action.owner_id,
                        text="Finished." if action.status == ActionStatus.DONE else "",
                        from_status=ActionStatus.OPEN,
                        to_status=action.status,
                        written_on=action.completed_on or action.due_on,
                    )
                )
        self.bars.insert("Action notes", ActionNote, notes)

    def _reports(self, workstreams) -> None:
        rows = []
        for workstream in workstreams:
            if workstream.status == WorkStreamStatus.PROPOSED:
                continue
            quarter = self.start
            while quarter + timedelta(days=90) <= self.today:
                rows.append(
                    HighlightReport(
                        partnership=self.partnership,
                        workstream=workstream,
                        period_start=quarter,
                        period_end=quarter + timedelta(days=90),
                        rag=self.rng.choices(["green", "amber", "red"], weights=[60, 30, 10])[0],
                        progress="Delivery in line with the plan, with the exceptions below.",
                        risks_and_issues="Recruitment remains the main risk.",
                    )
                )
                quarter += timedelta(days=91)
        self.bars.insert("Highlight reports", HighlightReport, rows)
