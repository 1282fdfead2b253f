"""Service rules that later apps rely on, or that the pages cannot reach: acceptance on a board decision, the
audit trail, and checks that keep records consistent."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from core.audit import SYSTEM, history_for
from workstreams import services
from workstreams.models import GroupRole, WorkStreamStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(scene):
    return scene.workstream("End of Life Care", lead=scene.member, status=WorkStreamStatus.PROPOSED)


def test_an_approved_board_decision_accepts_a_proposal_and_is_recorded(scene, proposal):
    decision = SimpleNamespace(pk=41, partnership_id=scene.partnership.pk)
    services.workstream_accept(actor=scene.board, workstream=proposal, decision=decision, reason="")
    proposal.refresh_from_db()
    change = proposal.status_changes.first()
    assert (proposal.status, change.decision_id, change.reason) == ("accepted", 41, "Accepted by board decision 41.")
    assert history_for(proposal).filter(action="workstream.status_changed").exists()


def test_a_decision_of_another_partnership_accepts_nothing(scene, proposal):
    decision = SimpleNamespace(pk=41, partnership_id=scene.world.other_partnership.pk)
    with pytest.raises(ValidationError, match="another partnership"):
        services.workstream_accept(actor=SYSTEM, workstream=proposal, decision=decision, reason="")
    proposal.refresh_from_db()
    assert proposal.status == WorkStreamStatus.PROPOSED


def test_without_a_decision_only_the_partnership_lead_accepts_and_must_say_why(scene, proposal):
    with pytest.raises(PermissionDenied):
        services.workstream_accept(actor=scene.board, workstream=proposal, reason="Agreed.")
    with pytest.raises(ValidationError, match="Say why the work-stream is accepted."):
        services.workstream_accept(actor=scene.lead, workstream=proposal, reason="  ")
    proposal.refresh_from_db()
    assert proposal.status == WorkStreamStatus.PROPOSED


def test_an_accepted_workstream_cannot_be_accepted_again(scene):
    decision = SimpleNamespace(pk=7, partnership_id=scene.partnership.pk)
    with pytest.raises(ValidationError, match="cannot become accepted"):
        services.workstream_accept(actor=SYSTEM, workstream=scene.diabetes, decision=decision, reason="")


def test_an_outsider_cannot_even_try(scene, proposal):
    from django.http import Http404

    with pytest.raises(Http404):
        services.workstream_change_status(
            actor=scene.outsider, workstream=proposal, status=WorkStreamStatus.CLOSED, reason="x"
        )


def test_services_refuse_fields_they_do_not_change(scene):
    with pytest.raises(ValidationError, match="This cannot be changed here."):
        services.workstream_update(actor=scene.lead, workstream=scene.diabetes, status="closed")
    with pytest.raises(ValidationError, match="This is not part of the quorum rule."):
        services.workstream_quorum_update(actor=scene.lead, workstream=scene.diabetes, name="X")


def test_a_deputy_stands_in_only_for_a_current_lead_or_member_of_the_same_group(scene):
    observer = scene.diabetes.group_members.get(user=scene.observer)
    deputy = scene.diabetes.group_members.get(user=scene.deputy)
    with pytest.raises(ValidationError, match="A deputy stands in for a current lead or member of the same group."):
        services.group_member_update(actor=scene.lead, member=deputy, deputy_for=observer)
    medicines_lead = scene.medicines.group_members.get()
    with pytest.raises(ValidationError, match="same group"):
        services.group_member_update(actor=scene.lead, member=deputy, deputy_for=medicines_lead)


def test_a_member_who_stops_being_a_voting_member_stops_having_a_deputy(scene):
    services.group_member_update(actor=scene.lead, member=scene.member_seat, role=GroupRole.OBSERVER)
    assert scene.diabetes.group_members.get(user=scene.deputy).deputy_for is None


def test_every_write_leaves_an_audit_record_with_the_partnership(scene):
    from core.models import AuditEvent

    meeting = scene.meeting(scene.diabetes)
    action = scene.action(meeting=meeting)
    services.action_note_add(actor=scene.member, action=action, text="Started.", status="in_progress")
    events = set(AuditEvent.objects.filter(partnership_id=scene.partnership.pk).values_list("action", flat=True))
    assert {
        "workstream.proposed",
        "group_member.added",
        "meeting.created",
        "action.created",
        "action.status_changed",
    } <= events


def test_a_calendar_address_is_for_signed_in_people_only():
    with pytest.raises(PermissionDenied):
        services.calendar_feed_reset(actor=AnonymousUser())
