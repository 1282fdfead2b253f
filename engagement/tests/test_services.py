"""The engagement services: who may write, what is refused with a clear message, and that a refusal writes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from core.audit import history_for
from engagement import services
from engagement.models import FeedbackStatus, Method
from workstreams.models import Action as WorkStreamAction

from .support import group, log, written

pytestmark = pytest.mark.django_db


def refused(call, field: str | None = None) -> dict:
    """Run a service call that must fail validation and write nothing; return its messages."""
    before = written()
    with pytest.raises(ValidationError) as caught:
        call()
    assert written() == before
    messages = caught.value.message_dict
    if field is not None:
        assert field in messages, messages
    return messages


def test_logging_an_activity_records_groups_counts_links_and_an_audit_event(ew, today):
    activity = log(
        ew.partnership,
        actor=ew.member,
        held_on=today,
        title="Diabetes pathway workshop",
        method=Method.WORKSHOP,
        reach={"patients-carers": 14, "gps": 6},
        workstreams=[ew.diabetes],
        organisations=[ew.trust],
        themes_heard="Longer appointments",
    )
    assert {row.group.slug: row.people_count for row in activity.reach.all()} == {"patients-carers": 14, "gps": 6}
    assert list(activity.workstreams.all()) == [ew.diabetes]
    assert activity.logged_by == ew.member
    event = history_for(activity).get()
    assert event.action == "engagement_activity.logged"
    assert event.changes["reach"] == [None, {"GPs": 6, "Patients and carers": 14}]


@pytest.mark.parametrize(("count", "message"), [(-3, "cannot be negative"), (0, "enter at least 1")])
def test_a_negative_or_zero_count_is_refused(ew, today, count, message):
    messages = refused(lambda: log(ew.partnership, held_on=today, reach={"gps": count}), "reach")
    assert message in messages["reach"][0]
    assert messages["reach"][0].startswith("GPs: ")


def test_an_activity_must_reach_someone(ew, today):
    messages = refused(lambda: log(ew.partnership, held_on=today, reach={}), "reach")
    assert messages["reach"] == ["Enter how many people you reached from at least one group."]


def test_a_future_date_is_refused(ew, today):
    messages = refused(lambda: log(ew.partnership, held_on=today + timedelta(days=1), reach={"gps": 1}), "held_on")
    assert "cannot be in the future" in messages["held_on"][0]


def test_markup_and_overlong_titles_are_refused(ew, today):
    refused(lambda: log(ew.partnership, held_on=today, reach={"gps": 1}, title="<script>alert(1)</script>"), "title")
    refused(lambda: log(ew.partnership, held_on=today, reach={"gps": 1}, title="x" * 201), "title")


def test_a_consultation_needs_every_gunning_answer(ew, today):
    messages = refused(
        lambda: log(
            ew.partnership,
            held_on=today,
            reach={"public-communities": 200},
            method=Method.CONSULTATION,
            gunning_formative=True,
        )
    )
    assert set(messages) == {
        "gunning_sufficient_information",
        "gunning_adequate_time",
        "gunning_conscientious_consideration",
    }
    activity = log(
        ew.partnership,
        held_on=today,
        reach={"public-communities": 200},
        method=Method.CONSULTATION,
        gunning_formative=True,
        gunning_sufficient_information=True,
        gunning_adequate_time=False,
        gunning_conscientious_consideration=True,
    )
    assert activity.gunning_failed == ["adequate time given"]


def test_gunning_answers_are_dropped_for_a_method_that_is_not_a_consultation(ew, today):
    activity = log(ew.partnership, held_on=today, reach={"gps": 2}, method=Method.MEETING, gunning_formative=False)
    activity.refresh_from_db()
    assert activity.gunning_formative is None


def test_seldom_heard_groups_must_be_named_when_reached(ew, today):
    refused(
        lambda: log(ew.partnership, held_on=today, reach={"gps": 1}, reached_seldom_heard=True), "seldom_heard_groups"
    )
    refused(
        lambda: log(ew.partnership, held_on=today, reach={"gps": 1}, seldom_heard_groups="Young carers"),
        "reached_seldom_heard",
    )


def test_another_partnerships_work_stream_organisation_or_group_is_refused(ew, today):
    refused(lambda: log(ew.partnership, held_on=today, reach={"gps": 1}, workstreams=[ew.elsewhere]), "workstreams")
    refused(
        lambda: log(ew.partnership, held_on=today, reach={"gps": 1}, organisations=[ew.other_trust]), "organisations"
    )
    theirs = services.stakeholder_group_add(actor=ew.outsider, partnership=ew.other_partnership, name="Pharmacists")
    refused(
        lambda: services.activity_log(
            actor=ew.lead,
            partnership=ew.partnership,
            held_on=today,
            title="Visit",
            method="meeting",
            level="inform",
            reach={theirs: 3},
        ),
        "reach",
    )


def test_an_unknown_field_is_refused(ew, today):
    refused(lambda: log(ew.partnership, held_on=today, reach={"gps": 1}, partnership_id=99), "partnership_id")


@pytest.mark.parametrize("persona", ["member", "ned", "board", "lead"])
def test_every_role_but_viewer_logs_activities(ew, today, persona):
    assert log(ew.partnership, actor=getattr(ew, persona), held_on=today, reach={"gps": 1}).pk


def test_a_viewer_may_not_log_and_an_outsider_cannot_see_the_partnership(ew, today):
    before = written()
    with pytest.raises(PermissionDenied):
        log(ew.partnership, actor=ew.viewer, held_on=today, reach={"gps": 1})
    with pytest.raises(Http404):
        log(ew.partnership, actor=ew.outsider, held_on=today, reach={"gps": 1})
    assert written() == before


def test_updating_an_activity_replaces_its_groups_and_records_what_changed(ew, today):
    activity = log(ew.partnership, held_on=today, reach={"gps": 1, "nurses": 2}, workstreams=[ew.diabetes])
    services.activity_update(
        actor=ew.member, activity=activity, reach={group("nurses"): 5}, workstreams=[ew.medicines], title="Renamed"
    )
    activity.refresh_from_db()
    assert activity.title == "Renamed"
    assert {row.group.slug: row.people_count for row in activity.reach.all()} == {"nurses": 5}
    assert list(activity.workstreams.all()) == [ew.medicines]
    changed = history_for(activity).first()
    assert changed.action == "engagement_activity.updated"
    assert set(changed.changes) == {"title", "reach", "workstreams"}


def test_a_refused_update_leaves_the_activity_as_it_was(ew, today):
    activity = log(ew.partnership, held_on=today, reach={"gps": 1})
    refused(lambda: services.activity_update(actor=ew.member, activity=activity, reach={group("gps"): -1}), "reach")
    assert activity.reach.get().people_count == 1


def test_attachments_are_checked_by_type_and_content(ew, today):
    activity = log(ew.partnership, held_on=today, reach={"gps": 1})
    fake = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    messages = refused(lambda: services.attachment_add(actor=ew.member, activity=activity, file=fake), "file")
    assert messages["file"] == ["The file is not a real PDF."]
    real = SimpleUploadedFile("slides.pdf", b"%PDF-1.7 slides", content_type="application/pdf")
    attachment = services.attachment_add(actor=ew.member, activity=activity, file=real)
    assert attachment.title == "slides.pdf"
    assert attachment.size == len(b"%PDF-1.7 slides")


# --- Feedback ---------------------------------------------------------------------------------------------------


@pytest.fixture
def workshop(ew, today):
    return log(
        ew.partnership,
        held_on=today - timedelta(days=7),
        title="Diabetes workshop",
        reach={"patients-carers": 12, "gps": 4},
        workstreams=[ew.diabetes],
    )


def test_feedback_comes_from_groups_the_activity_reached(ew, workshop):
    feedback = services.feedback_record(
        actor=ew.member, activity=workshop, theme="Appointments after work", groups=[group("patients-carers")]
    )
    assert feedback.status == FeedbackStatus.OPEN
    assert feedback.partnership == ew.partnership
    messages = refused(
        lambda: services.feedback_record(actor=ew.member, activity=workshop, theme="More", groups=[group("mps")]),
        "groups",
    )
    assert messages["groups"] == ["Choose from the groups this activity reached: GPs, Patients and carers."]
    refused(lambda: services.feedback_record(actor=ew.member, activity=workshop, theme="", groups=[group("gps")]))
    refused(lambda: services.feedback_record(actor=ew.member, activity=workshop, theme="Fine", groups=[]), "groups")


def test_a_response_moves_feedback_on_and_an_outcome_is_final(ew, workshop, today):
    feedback = services.feedback_record(actor=ew.member, activity=workshop, theme="Parking", groups=[group("gps")])
    services.feedback_respond(actor=ew.member, feedback=feedback, response="We asked the trust", status="responded")
    services.feedback_respond(
        actor=ew.member,
        feedback=feedback,
        response="New spaces open",
        status="acted_on",
        fed_back_on=today,
        published=True,
    )
    feedback.refresh_from_db()
    assert (feedback.status, feedback.published, feedback.responded_by) == ("acted_on", True, ew.member)
    messages = refused(
        lambda: services.feedback_respond(
            actor=ew.member, feedback=feedback, response="Changed our minds", status="not_taken_forward", reason="Cost"
        ),
        "status",
    )
    assert "cannot change" in messages["status"][0]


def test_not_taken_forward_needs_a_reason_and_a_response_needs_words(ew, workshop):
    feedback = services.feedback_record(actor=ew.member, activity=workshop, theme="A new clinic", groups=[group("gps")])
    refused(
        lambda: services.feedback_respond(
            actor=ew.member, feedback=feedback, response="We looked at it", status="not_taken_forward"
        ),
        "reason",
    )
    refused(
        lambda: services.feedback_respond(actor=ew.member, feedback=feedback, response=" ", status="responded"),
        "response",
    )
    refused(
        lambda: services.feedback_respond(actor=ew.member, feedback=feedback, response="Yes", status="open"), "status"
    )


def test_the_date_fed_back_cannot_be_before_the_activity_or_in_the_future(ew, workshop, today):
    feedback = services.feedback_record(actor=ew.member, activity=workshop, theme="Signage", groups=[group("gps")])
    for day in (workshop.held_on - timedelta(days=1), today + timedelta(days=1)):
        refused(
            lambda day=day: services.feedback_respond(
                actor=ew.member, feedback=feedback, response="Done", status="acted_on", fed_back_on=day
            ),
            "fed_back_on",
        )


def test_the_action_it_led_to_must_belong_to_the_partnership(ew, workshop, today):
    feedback = services.feedback_record(actor=ew.member, activity=workshop, theme="Leaflets", groups=[group("gps")])
    theirs = WorkStreamAction.objects.create(
        partnership=ew.other_partnership,
        workstream=ew.elsewhere,
        description="Print leaflets",
        owner=ew.outsider,
        due_on=today,
    )
    refused(
        lambda: services.feedback_respond(
            actor=ew.member, feedback=feedback, response="Printing", status="acted_on", action=theirs
        ),
        "action",
    )
    ours = WorkStreamAction.objects.create(
        partnership=ew.partnership, workstream=ew.diabetes, description="Print leaflets", owner=ew.member, due_on=today
    )
    services.feedback_respond(actor=ew.member, feedback=feedback, response="Printing", status="acted_on", action=ours)
    assert list(ours.engagement_feedback.all()) == [feedback]


def test_a_viewer_may_not_record_or_respond(ew, workshop):
    feedback = services.feedback_record(actor=ew.member, activity=workshop, theme="Transport", groups=[group("gps")])
    with pytest.raises(PermissionDenied):
        services.feedback_record(actor=ew.viewer, activity=workshop, theme="More", groups=[group("gps")])
    with pytest.raises(PermissionDenied):
        services.feedback_respond(actor=ew.viewer, feedback=feedback, response="Done", status="acted_on")


# --- Expectations and groups --------------------------------------------------------------------------------------


def test_the_group_and_the_lead_set_expectations_others_may_not(ew):
    expectation = services.expectation_set(
        actor=ew.member, workstream=ew.diabetes, group=group("patients-carers"), interval_days=90
    )
    again = services.expectation_set(
        actor=ew.lead, workstream=ew.diabetes, group=group("patients-carers"), interval_days=60
    )
    assert again.pk == expectation.pk and again.interval_days == 60
    with pytest.raises(PermissionDenied):  # member is not in the Medicines Optimisation group
        services.expectation_set(actor=ew.member, workstream=ew.medicines, group=group("gps"), interval_days=90)
    with pytest.raises(PermissionDenied):
        services.expectation_set(actor=ew.board, workstream=ew.diabetes, group=group("gps"), interval_days=90)
    with pytest.raises(Http404):
        services.expectation_set(actor=ew.outsider, workstream=ew.diabetes, group=group("gps"), interval_days=90)
    services.expectation_remove(actor=ew.member, expectation=again)
    assert not ew.diabetes.engagement_expectations.exists()


@pytest.mark.parametrize("days", [0, 6, 731, -90])
def test_an_interval_out_of_range_is_refused(ew, days):
    refused(
        lambda: services.expectation_set(actor=ew.lead, workstream=ew.diabetes, group=group("gps"), interval_days=days),
        "interval_days",
    )


def test_the_lead_adds_a_partnership_group_once_and_only_under_a_main_group(ew):
    pharmacists = services.stakeholder_group_add(
        actor=ew.lead, partnership=ew.partnership, name="Community pharmacists", parent=group("clinicians")
    )
    assert (pharmacists.slug, pharmacists.parent, pharmacists.partnership) == (
        "community-pharmacists",
        group("clinicians"),
        ew.partnership,
    )
    refused(lambda: services.stakeholder_group_add(actor=ew.lead, partnership=ew.partnership, name="GPs"), "name")
    refused(
        lambda: services.stakeholder_group_add(
            actor=ew.lead, partnership=ew.partnership, name="Locums", parent=group("gps")
        ),
        "parent",
    )
    refused(lambda: services.stakeholder_group_add(actor=ew.lead, partnership=ew.partnership, name="<b>x</b>"), "name")
    with pytest.raises(PermissionDenied):
        services.stakeholder_group_add(actor=ew.member, partnership=ew.partnership, name="Students")
