"""Demo data: three work-streams in the demo partnership QZZ (Medicines Optimisation and Diabetes, both active, and
End of Life Care, proposed), with four months of group and board meetings, attendance, minutes, actions (some
overdue) and highlight reports. `member` sits in the Diabetes group.

It runs after partnerships/demo.py and uses what that made, by code and username; when QZZ or its people are not
there it says so and does nothing. Everything goes through the services with `SYSTEM` as the actor, so the demo
has an audit trail like real data. Running it again changes nothing: work-streams are looked up by name, and a
work-stream (or the board) that already has meetings gets no more. Dates are relative to the day of the first run.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from core.audit import SYSTEM
from partnerships.models import Partnership

from .. import services
from ..models import Action, AgendaPurpose, GroupRole, Meeting, WorkStream, WorkStreamStatus
from ..selectors.quorum import expected_seats
from ..selectors.workstreams import people_in
from ..services import AttendanceLine

CODE = "QZZ"

# name, priority area, purpose, scope, benefits, resources, lead, senior responsible owner, clinical lead, status
WORKSTREAMS = [
    (
        "Medicines Optimisation",
        "Better value from medicines",
        "Make sure people get the most benefit from their medicines, safely, across hospital, community and "
        "primary care.",
        "Prescribing in GP practices, hospital discharge medicines, care home medication reviews.",
        "Fewer medicine-related admissions; £2.4 million a year saved on low-value prescribing.",
        "A lead pharmacist from each trust one day a week; £180,000 for care home reviews.",
        "demo.gpfed.cd",
        "demo.icb.ceo",
        "demo.gpfed.cd",
        WorkStreamStatus.ACTIVE,
    ),
    (
        "Diabetes",
        "Long-term conditions",
        "Prevent type 2 diabetes where we can, and help people living with diabetes stay well.",
        "Adults at risk or living with diabetes: prevention programme, structured education, foot and eye care.",
        "More people completing the 8 care processes; fewer amputations; 3,000 more people on the prevention "
        "programme each year.",
        "A programme manager (in post), £350,000 from the transformation fund.",
        "board",
        "demo.icb.ceo",
        "demo.county.dph",
        WorkStreamStatus.ACTIVE,
    ),
    (
        "End of Life Care",
        "Ageing well",
        "Help people in the last year of life to be cared for, and to die, where they choose.",
        "Adults in the last year of life, their carers, and the services around them.",
        "Fewer deaths in hospital for people who wanted to die at home; every care home using one care plan.",
        "A clinical lead for 2 sessions a week; hospice time for training care homes.",
        "demo.cvs.ceo",
        None,
        "demo.mh.ceo",
        WorkStreamStatus.PROPOSED,
    ),
]

# username, group role, the username of the member a deputy stands in for
GROUPS = {
    "Medicines Optimisation": [
        ("demo.gpfed.cd", GroupRole.LEAD, None),
        ("demo.mh.ceo", GroupRole.MEMBER, None),
        ("demo.dales.ceo", GroupRole.MEMBER, None),
        ("ned", GroupRole.MEMBER, None),
        ("demo.city.dass", GroupRole.OBSERVER, None),
    ],
    "Diabetes": [
        ("board", GroupRole.LEAD, None),
        ("member", GroupRole.MEMBER, None),
        ("demo.county.dph", GroupRole.MEMBER, None),
        ("demo.icb.chair", GroupRole.MEMBER, None),
        ("demo.community.ceo", GroupRole.DEPUTY, "demo.county.dph"),
        ("demo.healthwatch", GroupRole.OBSERVER, None),
    ],
}

# Agenda items of each meeting: title, purpose, presenter (username), minutes.
AGENDAS = {
    "Medicines Optimisation": [
        ("Minutes and actions of the last meeting", AgendaPurpose.NOTE, "demo.gpfed.cd", "Agreed as a true record."),
        (
            "Low-value prescribing dashboard",
            AgendaPurpose.ASSURANCE,
            "demo.mh.ceo",
            "Spend on low-value items is down 6% on last year. Two practices are outliers and will be visited.",
        ),
        (
            "Care home medication reviews",
            AgendaPurpose.DECISION,
            "demo.dales.ceo",
            "The group agreed to fund reviews in 40 more care homes from April.",
        ),
    ],
    "Diabetes": [
        ("Minutes and actions of the last meeting", AgendaPurpose.NOTE, "board", "Agreed as a true record."),
        (
            "Prevention programme referrals",
            AgendaPurpose.ASSURANCE,
            "member",
            "Referrals are 12% below plan. The council will promote the programme through its health checks.",
        ),
        (
            "Foot protection service",
            AgendaPurpose.DISCUSSION,
            "demo.county.dph",
            "Waiting times for podiatry are 9 weeks. The group asked for options to bring them under 4 weeks.",
        ),
    ],
    None: [
        ("Minutes and matters arising", AgendaPurpose.NOTE, "lead", "Agreed as a true record."),
        (
            "Work-stream highlight reports",
            AgendaPurpose.ASSURANCE,
            "lead",
            "The board noted the reports. Diabetes is amber because prevention referrals are below plan.",
        ),
        ("Winter plan", AgendaPurpose.DECISION, "demo.icb.ceo", "The board agreed the winter plan."),
    ],
}

# Actions arising at each held meeting: description, owner (username), days after the meeting it is due.
ACTIONS = {
    "Medicines Optimisation": [
        ("Visit the two outlier practices and report back", "demo.mh.ceo", 28),
        ("Draft the specification for care home medication reviews", "ned", 42),
    ],
    "Diabetes": [
        ("Agree a joint campaign with the council's health checks team", "member", 21),
        ("Bring options to cut podiatry waiting times under 4 weeks", "demo.county.dph", 35),
    ],
    None: [("Circulate the final winter plan to every partner's board", "lead", 14)],
}

MEETINGS_BACK = 4  # months of history, plus one meeting to come


def seed(stdout) -> None:
    """Create the demo work-streams, meetings and actions, unless they are there already."""
    partnership = Partnership.objects.filter(code=CODE).first()
    if partnership is None:
        stdout.write("Work-streams: skipped, the demo partnership QZZ is not there.")
        return
    people = {user.username: user for user in people_in(partnership).select_related("profile")}
    if "lead" not in people or "member" not in people:
        stdout.write("Work-streams: skipped, QZZ has no demo lead or member.")
        return
    with transaction.atomic():
        workstreams = [_workstream(partnership, row, people) for row in WORKSTREAMS]
        for workstream in workstreams:
            if workstream.is_live and not workstream.meetings.exists():
                _history(partnership, workstream, people)
        if not partnership.meetings.board().exists():
            _history(partnership, None, people)
    stdout.write(
        f"Work-streams: {len(workstreams)} in QZZ, {partnership.meetings.count()} meetings, "
        f"{partnership.actions.count()} actions ({partnership.actions.overdue().count()} overdue)."
    )


def _workstream(partnership, row, people) -> WorkStream:
    name, priority, purpose, scope, benefits, resources, lead, owner, clinical, status = row
    workstream = WorkStream.objects.filter(partnership=partnership, name=name).first()
    if workstream is not None:
        return workstream
    workstream = services.workstream_propose(
        actor=SYSTEM,
        partnership=partnership,
        name=name,
        priority_area=priority,
        purpose=purpose,
        scope=scope,
        expected_benefits=benefits,
        resources=resources,
        lead=people.get(lead) or people["lead"],
        senior_responsible_owner=people.get(owner),
        clinical_lead=people.get(clinical),
    )
    seats = {}
    for username, role, deputy_for in GROUPS.get(name, []):
        user = people.get(username)
        if user is None:
            continue
        seat = workstream.group_members.filter(user=user, left_on__isnull=True).first()
        if seat is None:
            seat = services.group_member_add(
                actor=SYSTEM, workstream=workstream, user=user, role=role, deputy_for=seats.get(deputy_for)
            )
        seats[username] = seat
    if status != WorkStreamStatus.PROPOSED:
        services.workstream_accept(actor=SYSTEM, workstream=workstream, reason="Agreed by the partnership board.")
        services.workstream_change_status(
            actor=SYSTEM, workstream=workstream, status=WorkStreamStatus.ACTIVE, reason="The group has met."
        )
    if name == "Diabetes":
        services.workstream_quorum_update(
            actor=SYSTEM,
            workstream=workstream,
            quorum_minimum=3,
            quorum_percentage=None,
            quorum_needs_clinician=True,
            quorum_needs_non_executive=False,
        )
    return workstream


def _meeting_days(today: date) -> list[date]:
    """The second Tuesdays of the last few months before today, and the next one from today on."""
    days = []
    for back in range(MEETINGS_BACK + 1, -3, -1):
        months = today.year * 12 + today.month - 1 - back
        month_start = date(months // 12, months % 12 + 1, 1)
        first_tuesday = month_start + timedelta(days=(1 - month_start.weekday()) % 7)
        days.append(first_tuesday + timedelta(days=7))
    past = [day for day in days if day < today]
    return past[-(MEETINGS_BACK + 1) :] + [next(day for day in days if day >= today)]


def _history(partnership, workstream, people) -> None:
    """A workstream's (or the board's) meetings: held ones with minutes and actions, and one to come."""
    key = workstream.name if workstream else None
    days = _meeting_days(timezone.localdate())
    held = days[:-1]
    for index, day in enumerate(days):
        starts_at = timezone.make_aware(datetime.combine(day, time(10 if workstream else 14)))
        meeting = services.meeting_create(
            actor=SYSTEM,
            workstream=workstream,
            partnership=None if workstream else partnership,
            starts_at=starts_at,
            duration_minutes=90 if workstream else 150,
            place="Meeting room 2, Northfield Civic Centre" if workstream else "Council Chamber, Northfield",
            link="https://teams.example.nhs.uk/meet/" + (f"ws-{workstream.pk}" if workstream else "board"),
        )
        items = [
            services.agenda_item_add(
                actor=SYSTEM, meeting=meeting, title=title, purpose=purpose, presenter=people.get(presenter)
            )
            for title, purpose, presenter, _ in AGENDAS[key]
        ]
        if day not in held:
            continue
        services.meeting_change_status(actor=SYSTEM, meeting=meeting, status="held")
        _attendance(meeting, index, people)
        minutes = {item.pk: text for item, (*_, text) in zip(items, AGENDAS[key], strict=True)}
        services.minutes_record(actor=SYSTEM, meeting=meeting, minutes=minutes)
        last_held = day == held[-1]
        if not last_held:
            services.minutes_approve(actor=SYSTEM, meeting=meeting)
        _actions(meeting, items, people, key, completed=index < len(held) - 2)
    if workstream is not None and len(held) >= 2:
        _reports(workstream, held)


def _attendance(meeting: Meeting, index: int, people) -> None:
    """Most come; someone sends apologies each time, and at one meeting a deputy stands in."""
    seats = expected_seats(meeting)
    lines = []
    for number, seat in enumerate(seats):
        if seat.is_deputy:
            status = "present" if index == 1 else "apologies"
            lines.append(AttendanceLine(seat.user, status))
            continue
        away = number == (index % max(1, len(seats)))
        if index == 1 and seat.user.username == "demo.county.dph":
            away = True
        lines.append(AttendanceLine(seat.user, "apologies" if away else "present"))
    services.attendance_record(actor=SYSTEM, meeting=meeting, lines=lines)


def _actions(meeting: Meeting, items, people, key, *, completed: bool) -> None:
    meeting_day = timezone.localdate(meeting.starts_at)
    for number, (description, owner, due_after) in enumerate(ACTIONS[key]):
        action = services.action_create(
            actor=SYSTEM,
            meeting=meeting,
            agenda_item=items[-1],
            description=description,
            owner=people.get(owner) or people["lead"],
            due_on=meeting_day + timedelta(days=due_after),
        )
        if completed:
            services.action_note_add(actor=SYSTEM, action=action, text="Under way.", status="in_progress")
            services.action_complete(actor=SYSTEM, action=action, note="Done and reported to the group.")
            # History: the service dates completion today; these were done around their due date, one in three late.
            done_on = action.due_on + timedelta(days=4 if number % 3 == 2 else -3)
            Action.objects.filter(pk=action.pk).update(completed_on=min(done_on, timezone.localdate()))


def _reports(workstream: WorkStream, held: list[date]) -> None:
    for start, end, rag, progress in [
        (held[-2], held[-1] - timedelta(days=1), "green", "On plan for the period."),
        (
            held[-1],
            held[-1] + timedelta(days=27),
            "amber" if workstream.name == "Diabetes" else "green",
            "Prevention referrals are below plan." if workstream.name == "Diabetes" else "On plan for the period.",
        ),
    ]:
        if end > timezone.localdate():
            end = timezone.localdate()
        services.highlight_report_create(
            actor=SYSTEM,
            workstream=workstream,
            period_start=start,
            period_end=max(start, end),
            rag=rag,
            progress=progress,
            risks_and_issues="Recruitment to two posts is slower than planned.",
            asks_of_board="None this period." if rag == "green" else "Support a joint campaign with councils.",
        )
