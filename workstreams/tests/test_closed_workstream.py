"""A closed work-stream stays on record but takes no more ratings, meetings, actions or highlight reports: its pages
stop offering them, their addresses say why instead of showing a form, and the services (pages and API) refuse."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import SYSTEM
from tests.fixtures import PERSONAS, client_for
from tests.html import error_summary, parse, text
from tests.rules import accepts, disagreements, links_on
from workstreams import services
from workstreams.models import Action, HighlightReport, Meeting, WorkStream, WorkStreamStatus

from .api_support import api_as

pytestmark = pytest.mark.django_db

ROLES = [persona for persona in PERSONAS if persona != "anonymous"]
CLOSED_SAYS = {
    "workstream_rag": "Diabetes is closed: its RAG rating no longer changes.",
    "meeting_create": "Diabetes is closed: it holds no more meetings.",
    "action_create": "Diabetes is closed: no more actions are raised for it.",
    "highlight_report_create": "Diabetes is closed: it writes no more highlight reports.",
}
NEXT_WEEK = timezone.localdate() + timedelta(days=7)
POSTED = {
    "workstream_rag": {"rag": "red", "reason": "Nobody left to do it."},
    "meeting_create": {"day": NEXT_WEEK.isoformat(), "time": "10:00", "duration_minutes": 60, "place": "Room 1"},
    "action_create": {"description": "Write the plan", "owner": "member", "due_on": NEXT_WEEK.isoformat()},
    "highlight_report_create": {
        "period_start": "2026-11-01",
        "period_end": "2026-11-30",
        "rag": "green",
        "progress": "Wound up.",
    },
}


def close(scene, workstream=None) -> WorkStream:
    workstream = workstream or scene.diabetes
    services.workstream_change_status(actor=scene.lead, workstream=workstream, status="closed", reason="Done.")
    return WorkStream.objects.get(pk=workstream.pk)


def posted(scene, name):
    data = dict(POSTED[name])
    if data.get("owner") == "member":
        data["owner"] = scene.member.pk
    return data


def test_a_closed_workstream_offers_no_rating_meeting_action_or_highlight_report(client, scene):
    close(scene)
    client.force_login(scene.lead)
    response = client.get(scene.diabetes.get_absolute_url())
    shown = links_on(response)
    for name in CLOSED_SAYS:
        assert reverse(f"workstreams:{name}", args=[scene.diabetes.pk]) not in shown, name
    assert "This work-stream is closed." in text(response)
    assert reverse("workstreams:meeting_create", args=[scene.diabetes.pk]) not in links_on(
        client.get(reverse("workstreams:meeting_list", args=[scene.diabetes.pk]))
    )
    assert reverse("workstreams:action_create", args=[scene.diabetes.pk]) not in links_on(
        client.get(reverse("workstreams:action_log", args=[scene.diabetes.pk]))
    )


@pytest.mark.parametrize("name", CLOSED_SAYS)
def test_a_closed_workstreams_form_addresses_say_it_is_closed_instead_of_offering_a_form(client, scene, name):
    close(scene)
    client.force_login(scene.member)
    response = client.get(reverse(f"workstreams:{name}", args=[scene.diabetes.pk]))
    assert response.status_code == 200
    assert text(response, "#refusal") == CLOSED_SAYS[name]
    assert parse(response).select("main form[method=post]") == []


@pytest.mark.parametrize("name", CLOSED_SAYS)
def test_a_closed_workstream_refuses_a_rating_meeting_action_or_highlight_report(client, scene, name):
    close(scene)
    client.force_login(scene.member)
    response = client.post(reverse(f"workstreams:{name}", args=[scene.diabetes.pk]), posted(scene, name))
    assert response.status_code == 400
    assert error_summary(response)[0][0] == CLOSED_SAYS[name]
    scene.diabetes.refresh_from_db()
    assert scene.diabetes.rag == ""
    assert scene.diabetes.meetings.count() == scene.diabetes.actions.count() == 0
    assert scene.diabetes.highlight_reports.count() == 0


def test_a_closed_workstreams_highlight_report_is_no_longer_changed(client, scene):
    report = services.highlight_report_create(
        actor=SYSTEM,
        workstream=scene.diabetes,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        rag="green",
        progress="Fine.",
    )
    close(scene)
    client.force_login(scene.member)
    assert reverse("workstreams:highlight_report_update", args=[report.pk]) not in links_on(
        client.get(report.get_absolute_url())
    )
    url = reverse("workstreams:highlight_report_update", args=[report.pk])
    assert text(client.get(url), "#refusal") == CLOSED_SAYS["highlight_report_create"]
    data = {**POSTED["highlight_report_create"], "period_start": "2026-10-01", "period_end": "2026-10-31"}
    assert client.post(url, {**data, "rag": "red"}).status_code == 400
    assert HighlightReport.objects.get(pk=report.pk).rag == "green"


def test_a_meeting_of_a_closed_workstream_takes_no_new_actions(client, scene):
    meeting = scene.meeting(scene.diabetes)
    close(scene)
    client.force_login(scene.member)
    url = reverse("workstreams:meeting_action_create", args=[meeting.pk])
    assert url not in links_on(client.get(meeting.get_absolute_url()))
    assert text(client.get(url), "#refusal") == CLOSED_SAYS["action_create"]
    response = client.post(url, posted(scene, "action_create"))
    assert response.status_code == 400
    assert Action.objects.count() == 0


def test_the_api_refuses_a_closed_workstream_a_rating_meeting_action_or_highlight_report(scene):
    close(scene)
    client = api_as(scene, "member")
    diabetes = scene.diabetes.pk
    for url, data in [
        (reverse("api:workstream-rag", args=[diabetes]), {"rag": "red", "reason": "Nobody left."}),
        (
            reverse("api:meeting-list"),
            {"workstream": diabetes, "starts_at": f"{NEXT_WEEK.isoformat()}T10:00:00Z", "place": "Room 1"},
        ),
        (
            reverse("api:action-list"),
            {"workstream": diabetes, "description": "x", "owner": scene.member.pk, "due_on": NEXT_WEEK.isoformat()},
        ),
        (
            reverse("api:highlight-report-list"),
            {"workstream": diabetes, **POSTED["highlight_report_create"]},
        ),
    ]:
        response = client.post(url, data, format="json")
        assert response.status_code == 400, (url, response.content)
        assert "Diabetes is closed" in str(response.json()), url
    assert Meeting.objects.count() == Action.objects.count() == HighlightReport.objects.count() == 0


@pytest.mark.parametrize("status", [WorkStreamStatus.ACTIVE, WorkStreamStatus.CLOSED])
def test_the_workstream_page_offers_each_step_exactly_when_its_service_would_accept(world, scene, client, status):
    workstream = scene.diabetes if status == WorkStreamStatus.ACTIVE else close(scene)
    steps = {
        "workstream_rag": lambda actor: services.workstream_set_rag(
            actor=actor, workstream=WorkStream.objects.get(pk=workstream.pk), rag="red", reason="Behind plan."
        ),
        "meeting_create": lambda actor: services.meeting_create(
            actor=actor,
            workstream=WorkStream.objects.get(pk=workstream.pk),
            starts_at=timezone.now() + timedelta(days=7),
            place="Room 1",
        ),
        "action_create": lambda actor: services.action_create(
            actor=actor,
            workstream=WorkStream.objects.get(pk=workstream.pk),
            description="Write the plan",
            owner=scene.member,
            due_on=NEXT_WEEK,
        ),
        "highlight_report_create": lambda actor: services.highlight_report_create(
            actor=actor,
            workstream=WorkStream.objects.get(pk=workstream.pk),
            period_start=date(2026, 11, 1),
            period_end=date(2026, 11, 30),
            rag="green",
            progress="Fine.",
        ),
    }
    found = []
    for persona in ROLES:
        shown = links_on(client_for(client, world, persona).get(workstream.get_absolute_url()))
        offered = {name: reverse(f"workstreams:{name}", args=[workstream.pk]) in shown for name in steps}
        accepted = {name: accepts(step, actor=getattr(world, persona)) for name, step in steps.items()}
        found += [f"{persona}, {line}" for line in disagreements(offered, accepted)]
    assert found == []
