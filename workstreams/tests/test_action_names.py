"""One name for an action everywhere: its reference, "A17", followed by its description where there is room; and a
work-stream's status history reads as sentences ("Started by Mei Brennan", not "Active by Mei Brennan")."""

import csv
import io

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests.html import parse, text
from workstreams import services

pytestmark = pytest.mark.django_db


def test_an_action_is_named_by_its_reference_on_every_page_and_export(client, scene):
    meeting = scene.meeting(scene.diabetes)
    action = scene.action(meeting=meeting, description="Write the screening plan")
    name = f"A{action.pk}"
    assert action.reference == name
    assert str(action) == f"{name}: Write the screening plan"
    client.force_login(scene.member)

    page = client.get(action.get_absolute_url())
    assert parse(page).title.get_text().startswith(f"{name}: Write the screening plan")
    assert f"Action {name}" in text(page, "h1")
    for url in [reverse("workstreams:action_log", args=[scene.diabetes.pk]), meeting.get_absolute_url()]:
        # (text() puts a space between the link and the colon after it)
        assert f"{name}: Write the screening plan" in text(client.get(url)).replace(" :", ":"), url
    export = client.get(reverse("workstreams:action_log_export", args=[scene.diabetes.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[1][:2] == [name, "Write the screening plan"]
    assert f"Action {action.pk}" not in " ".join(text(client.get(url)) for url in [action.get_absolute_url()])


def test_the_history_of_an_action_names_it_by_its_reference(client, scene):
    action = scene.action(scene.diabetes, owner=scene.member)
    client.force_login(scene.member)
    client.post(reverse("workstreams:action_progress", args=[action.pk]), {"text": "Begun.", "status": "in_progress"})
    client.post(
        reverse("workstreams:action_update", args=[action.pk]),
        {
            "description": "Write the plan",
            "owner": scene.member.pk,
            "due_on": action.due_on.isoformat(),
        },
    )
    summaries = list(AuditEvent.objects.filter(action__startswith="action.").values_list("summary", flat=True))
    assert summaries and all(f"A{action.pk}" in summary for summary in summaries), summaries
    assert not any(f"Action {action.pk}" in summary for summary in summaries)


def test_the_status_history_reads_as_sentences(client, scene):
    services.workstream_change_status(
        actor=scene.board, workstream=scene.diabetes, status="paused", reason="Waiting for funding."
    )
    services.workstream_change_status(
        actor=scene.board, workstream=scene.diabetes, status="active", reason="Funding agreed."
    )
    client.force_login(scene.viewer)
    history = text(client.get(scene.diabetes.get_absolute_url()), "#status-history + ul")
    lead = scene.lead.display_name
    board = scene.board.display_name
    assert f"Proposed by {lead}." in history
    assert f"Accepted by {lead}. Agreed by the board." in history
    assert f"Started by {lead}. Group formed." in history
    assert f"Paused by {board}. Waiting for funding." in history
    assert f"Resumed by {board}. Funding agreed." in history
    assert "Active by" not in history
