"""Who may see and do what in work-streams, meetings and actions: one test per branch of workstreams.access."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from guardian.shortcuts import remove_perm

from partnerships.access import forget_roles
from partnerships.models import Role
from workstreams.access import (
    Access,
    actions_visible_to,
    get_action_for_user,
    get_agenda_item_for_user,
    get_group_member_for_user,
    get_highlight_report_for_user,
    get_meeting_for_user,
    get_paper_for_user,
    get_workstream_for_user,
    meetings_attended_by,
    meetings_visible_to,
    workstream_roles,
    workstreams_visible_to,
)

pytestmark = pytest.mark.django_db


def test_outsider_cannot_see_a_workstream_at_all(scene):
    with pytest.raises(Http404):
        get_workstream_for_user(scene.outsider, scene.diabetes.pk)


def test_a_missing_workstream_is_the_same_404(scene):
    with pytest.raises(Http404):
        get_workstream_for_user(scene.lead, scene.diabetes.pk + 1000)


@pytest.mark.parametrize("persona", ["viewer", "member", "ned", "board", "lead", "observer"])
def test_everyone_with_a_role_in_the_partnership_reads_every_workstream(scene, persona):
    assert get_workstream_for_user(getattr(scene, persona), scene.medicines.pk) == scene.medicines


@pytest.mark.parametrize("persona", ["member", "deputy", "board", "doctor", "lead"])
def test_the_group_and_the_partnership_lead_write(scene, persona):
    assert get_workstream_for_user(getattr(scene, persona), scene.diabetes.pk, Access.WRITE) == scene.diabetes


@pytest.mark.parametrize("persona", ["viewer", "ned", "observer", "pharmacist"])
def test_observers_and_people_outside_the_group_cannot_write(scene, persona):
    with pytest.raises(PermissionDenied):
        get_workstream_for_user(getattr(scene, persona), scene.diabetes.pk, Access.WRITE)


def test_a_diabetes_group_member_cannot_change_medicines_optimisation(scene):
    with pytest.raises(PermissionDenied):
        get_workstream_for_user(scene.member, scene.medicines.pk, Access.WRITE)


@pytest.mark.parametrize("persona", ["board", "deputy", "lead"])
def test_the_group_lead_deputy_and_partnership_lead_run_the_group(scene, persona):
    assert get_workstream_for_user(getattr(scene, persona), scene.diabetes.pk, Access.LEAD) == scene.diabetes


def test_a_plain_member_does_not_run_the_group(scene):
    with pytest.raises(PermissionDenied):
        get_workstream_for_user(scene.member, scene.diabetes.pk, Access.LEAD)


def test_a_group_seat_is_worth_nothing_once_the_partnership_role_is_gone(scene):
    remove_perm(f"partnerships.{Role.MEMBER}", scene.member, scene.partnership)
    forget_roles(scene.member)
    with pytest.raises(Http404):
        get_workstream_for_user(scene.member, scene.diabetes.pk)


def test_group_roles_are_looked_up_once_per_request(scene, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(3):
            workstream_roles(scene.member, scene.diabetes)


def test_meetings_take_their_access_from_the_workstream(scene):
    meeting = scene.meeting(scene.diabetes)
    assert get_meeting_for_user(scene.viewer, meeting.pk) == meeting
    assert get_meeting_for_user(scene.member, meeting.pk, Access.WRITE) == meeting
    with pytest.raises(PermissionDenied):
        get_meeting_for_user(scene.pharmacist, meeting.pk, Access.WRITE)
    with pytest.raises(Http404):
        get_meeting_for_user(scene.outsider, meeting.pk)
    with pytest.raises(Http404):
        get_meeting_for_user(scene.lead, meeting.pk + 1000)


@pytest.mark.parametrize("persona", ["lead", "board", "ned"])
def test_the_lead_and_board_members_write_board_meetings(scene, persona):
    meeting = scene.meeting()
    assert get_meeting_for_user(getattr(scene, persona), meeting.pk, Access.WRITE) == meeting


@pytest.mark.parametrize("persona", ["member", "viewer"])
def test_other_people_of_the_partnership_read_board_meetings_only(scene, persona):
    meeting = scene.meeting()
    assert get_meeting_for_user(getattr(scene, persona), meeting.pk) == meeting
    with pytest.raises(PermissionDenied):
        get_meeting_for_user(getattr(scene, persona), meeting.pk, Access.WRITE)


def test_only_the_partnership_lead_sets_the_board_rules(scene):
    meeting = scene.meeting()
    assert get_meeting_for_user(scene.lead, meeting.pk, Access.LEAD) == meeting
    with pytest.raises(PermissionDenied):
        get_meeting_for_user(scene.board, meeting.pk, Access.LEAD)


def test_agenda_items_and_papers_follow_their_meeting(scene):
    from workstreams import services
    from workstreams.models import AgendaPurpose

    meeting = scene.meeting(scene.diabetes)
    item = services.agenda_item_add(
        actor=scene.lead, meeting=meeting, title="Foot checks", purpose=AgendaPurpose.DISCUSSION
    )
    assert get_agenda_item_for_user(scene.member, item.pk, Access.WRITE) == item
    with pytest.raises(PermissionDenied):
        get_agenda_item_for_user(scene.viewer, item.pk, Access.WRITE)
    with pytest.raises(Http404):
        get_agenda_item_for_user(scene.outsider, item.pk)
    with pytest.raises(Http404):
        get_agenda_item_for_user(scene.lead, item.pk + 1000)
    with pytest.raises(Http404):
        get_paper_for_user(scene.lead, 12345)


def test_the_owner_records_progress_on_their_action_from_outside_the_group(scene):
    action = scene.action(scene.medicines, owner=scene.member)
    assert get_action_for_user(scene.member, action.pk, Access.PROGRESS) == action
    with pytest.raises(PermissionDenied):
        get_action_for_user(scene.member, action.pk, Access.WRITE)


def test_people_who_neither_own_nor_write_cannot_record_progress(scene):
    action = scene.action(scene.medicines, owner=scene.pharmacist)
    with pytest.raises(PermissionDenied):
        get_action_for_user(scene.member, action.pk, Access.PROGRESS)
    assert get_action_for_user(scene.pharmacist, action.pk, Access.PROGRESS) == action
    assert get_action_for_user(scene.lead, action.pk, Access.WRITE) == action


def test_board_actions_follow_the_board_rules(scene):
    action = scene.action(meeting=scene.meeting(), owner=scene.board)
    assert get_action_for_user(scene.ned, action.pk, Access.WRITE) == action
    with pytest.raises(PermissionDenied):
        get_action_for_user(scene.member, action.pk, Access.WRITE)
    with pytest.raises(Http404):
        get_action_for_user(scene.outsider, action.pk)
    with pytest.raises(Http404):
        get_action_for_user(scene.lead, action.pk + 1000)


def test_group_members_and_reports_follow_their_workstream(scene):
    from datetime import date

    from workstreams import services

    assert get_group_member_for_user(scene.board, scene.member_seat.pk, Access.LEAD) == scene.member_seat
    with pytest.raises(PermissionDenied):
        get_group_member_for_user(scene.member, scene.member_seat.pk, Access.LEAD)
    with pytest.raises(Http404):
        get_group_member_for_user(scene.outsider, scene.member_seat.pk)
    with pytest.raises(Http404):
        get_group_member_for_user(scene.lead, scene.member_seat.pk + 1000)
    report = services.highlight_report_create(
        actor=scene.member,
        workstream=scene.diabetes,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        rag="green",
        progress="On track.",
    )
    assert get_highlight_report_for_user(scene.viewer, report.pk) == report
    with pytest.raises(PermissionDenied):
        get_highlight_report_for_user(scene.viewer, report.pk, Access.WRITE)
    with pytest.raises(Http404):
        get_highlight_report_for_user(scene.outsider, report.pk)
    with pytest.raises(Http404):
        get_highlight_report_for_user(scene.lead, report.pk + 1000)


def test_lists_hold_only_the_partnerships_a_person_is_in(scene):
    scene.action(scene.diabetes)
    scene.meeting(scene.diabetes)
    assert set(workstreams_visible_to(scene.viewer)) == {scene.diabetes, scene.medicines}
    assert list(workstreams_visible_to(scene.outsider)) == []
    assert actions_visible_to(scene.viewer).count() == 1
    assert actions_visible_to(scene.outsider).count() == 0
    assert meetings_visible_to(scene.outsider).count() == 0


def test_a_person_attends_their_groups_meetings_and_the_boards_if_they_sit_on_it(scene):
    diabetes = scene.meeting(scene.diabetes)
    medicines = scene.meeting(scene.medicines)
    board = scene.meeting()
    assert set(meetings_attended_by(scene.member)) == {diabetes}
    assert set(meetings_attended_by(scene.pharmacist)) == {medicines}
    assert set(meetings_attended_by(scene.board)) == {diabetes, board}
    assert set(meetings_attended_by(scene.ned)) == {board}
    assert list(meetings_attended_by(scene.viewer)) == []
    assert list(meetings_attended_by(scene.outsider)) == []
