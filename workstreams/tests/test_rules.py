"""One rule, one place: the work-stream pages offer a change exactly when its service would accept it.

For every role and every state of a work-stream, a meeting and an action, the page is read as that person — the
links and choices it shows — and each service is called as them inside a savepoint that is rolled back. The page
asks `workstreams.access` (`workstream_statuses_open_to`, `can_change_meeting`, …) and the services call the
`authorize_…` functions built on the same rules, so the two must agree.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.audit import SYSTEM
from tests.fixtures import PERSONAS, client_for
from tests.html import parse
from tests.rules import accepts, disagreements, links_on
from workstreams import services
from workstreams.models import Action, ActionStatus, Meeting, MeetingStatus, WorkStream, WorkStreamStatus
from workstreams.services import AttendanceLine

ROLES = [persona for persona in PERSONAS if persona != "anonymous"]


def choices_on(response, name: str = "status") -> set[str]:
    """The values a form on the page offers for `name` (radios or a select), or none if the page is not shown."""
    if response.status_code != 200:
        return set()
    page = parse(response)
    radios = {field["value"] for field in page.select(f"input[name={name}]")}
    return radios | {option["value"] for option in page.select(f"select[name={name}] option") if option.get("value")}


# --- A work-stream's status -------------------------------------------------------------------------------------------


def workstream_at(scene, status: str) -> WorkStream:
    """A new work-stream led by `board` (`member` in its group), moved to `status` by the partnership lead."""
    start = WorkStreamStatus.ACTIVE if status in (WorkStreamStatus.PAUSED, WorkStreamStatus.CLOSED) else status
    workstream = scene.workstream("Respiratory", lead=scene.board, status=start)
    services.group_member_add(actor=scene.lead, workstream=workstream, user=scene.member, role="member")
    if status != start:
        services.workstream_change_status(actor=scene.lead, workstream=workstream, status=status, reason="Agreed.")
    return WorkStream.objects.get(pk=workstream.pk)


@pytest.mark.parametrize("status", WorkStreamStatus.values)
def test_the_status_page_offers_each_move_exactly_when_the_service_would_accept(world, scene, client, status):
    workstream = workstream_at(scene, status)
    assert workstream.status == status
    targets = [to for to in WorkStreamStatus.values if to != status]
    found = []
    for persona in ROLES:  # one scene for every role: each service call is rolled back
        client = client_for(client, world, persona)
        shown = links_on(client.get(workstream.get_absolute_url()))
        offered_moves = choices_on(client.get(reverse("workstreams:workstream_status", args=[workstream.pk])))
        offered = {to: to in offered_moves for to in targets}
        accepted = {
            to: accepts(
                services.workstream_change_status,
                actor=getattr(world, persona),
                workstream=WorkStream.objects.get(pk=workstream.pk),
                status=to,
                reason="The group has agreed.",
            )
            for to in targets
        }
        offered["status page"] = reverse("workstreams:workstream_status", args=[workstream.pk]) in shown
        accepted["status page"] = any(accepted.values())
        found += [f"{persona}, {line}" for line in disagreements(offered, accepted)]
    assert found == []


# --- An action's status -----------------------------------------------------------------------------------------------


def action_at(scene, status: str) -> Action:
    """An action of Diabetes owned by `ned`, who has no seat in its group, moved to `status` by the group's lead."""
    action = scene.action(scene.diabetes, owner=scene.ned)
    if status == ActionStatus.DONE:
        services.action_complete(actor=scene.board, action=action)
    elif status != ActionStatus.OPEN:
        services.action_change_status(actor=scene.board, action=action, status=status)
    return Action.objects.get(pk=action.pk)


@pytest.mark.parametrize("status", ActionStatus.values)
def test_the_action_page_offers_each_move_exactly_when_the_service_would_accept(world, scene, client, status):
    action = action_at(scene, status)
    assert action.status == status
    targets = [to for to in ActionStatus.values if to != status]
    found = []
    for persona in ROLES:
        actor = getattr(world, persona)
        response = client_for(client, world, persona).get(action.get_absolute_url())
        offered_moves = choices_on(response)
        offered = {to: to in offered_moves for to in targets}
        accepted = {
            to: accepts(
                services.action_change_status,
                actor=actor,
                action=Action.objects.get(pk=action.pk),
                status=to,
                note="Moving on.",
            )
            for to in targets
        }
        offered["change"] = reverse("workstreams:action_update", args=[action.pk]) in links_on(response)
        accepted["change"] = accepts(
            services.action_update,
            actor=actor,
            action=Action.objects.get(pk=action.pk),
            description="Write the plan, with costs",
        )
        found += [f"{persona}, {line}" for line in disagreements(offered, accepted)]
    assert found == []


# --- A meeting --------------------------------------------------------------------------------------------------------


def meeting_at(scene, status: str) -> Meeting:
    """A Diabetes meeting a week ago with one agenda item, taken to `status` as the group would take it."""
    meeting = scene.meeting(scene.diabetes)
    item = services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Screening", purpose="decision")
    if status == MeetingStatus.CANCELLED:
        services.meeting_change_status(actor=SYSTEM, meeting=meeting, status=status, reason="No quorum expected.")
    elif status != MeetingStatus.SCHEDULED:
        services.meeting_change_status(actor=SYSTEM, meeting=meeting, status=MeetingStatus.HELD)
        services.attendance_record(actor=SYSTEM, meeting=meeting, lines=[AttendanceLine(scene.board, "present")])
        if status in (MeetingStatus.MINUTES_DRAFT, MeetingStatus.MINUTES_APPROVED):
            services.minutes_record(actor=SYSTEM, meeting=meeting, minutes={item.pk: "Agreed."})
        if status == MeetingStatus.MINUTES_APPROVED:
            services.minutes_approve(actor=SYSTEM, meeting=Meeting.objects.get(pk=meeting.pk))
    return Meeting.objects.get(pk=meeting.pk)


@pytest.mark.parametrize("status", MeetingStatus.values)
def test_the_meeting_page_offers_each_change_exactly_when_the_service_would_accept(world, scene, client, status):
    meeting = meeting_at(scene, status)
    assert meeting.status == status
    item = meeting.agenda_items.get()
    amendment = "A name was misspelt." if status == MeetingStatus.MINUTES_APPROVED else ""
    due_on = timezone.localdate() + timedelta(days=14)
    changes = {
        "details": ("meeting_update", meeting, services.meeting_update, {"place": "Room 2, Civic Centre"}),
        "add an item": (
            "agenda_item_create",
            meeting,
            services.agenda_item_add,
            {"title": "Budget", "purpose": "note"},
        ),
        "change an item": ("agenda_item_update", item, services.agenda_item_update, {"title": "Screening rates"}),
        "attach a paper": ("paper_create", item, services.paper_add, {"title": "Screening paper"}),
        "attendance": (
            "attendance",
            meeting,
            services.attendance_record,
            {"lines": [AttendanceLine(scene.member, "present")]},
        ),
        "minutes": (
            "minutes_edit",
            meeting,
            services.minutes_record,
            {"minutes": {item.pk: "Agreed, with a review in March."}, "amendment_reason": amendment},
        ),
        "approve the minutes": ("minutes_approve", meeting, services.minutes_approve, {}),
        "raise an action": (
            "meeting_action_create",
            meeting,
            services.action_create,
            {"description": "Book the venue", "owner": scene.member, "due_on": due_on},
        ),
    }
    found = []
    for persona in ROLES:
        shown = links_on(client_for(client, world, persona).get(meeting.get_absolute_url()))
        offered, accepted = {}, {}
        for name, (link, record, service, arguments) in changes.items():
            offered[name] = reverse(f"workstreams:{link}", args=[record.pk]) in shown
            if record is item:
                arguments = {**arguments, "item": type(item).objects.get(pk=item.pk)}
            else:
                arguments = {**arguments, "meeting": Meeting.objects.get(pk=meeting.pk)}
            if service is services.paper_add:  # a fresh upload each time: a file read once is empty
                arguments["file"] = SimpleUploadedFile("paper.pdf", b"%PDF-1 x")
            accepted[name] = accepts(service, actor=getattr(world, persona), **arguments)
        found += [f"{persona}, {line}" for line in disagreements(offered, accepted)]
    assert found == []
