"""The admin shows work-stream records without changing them, and the form pages give each element its own id
(so every radio and checkbox keeps its label)."""

from collections import Counter

import pytest
from django.urls import reverse

from core.audit import SYSTEM
from tests.factories import UserFactory
from tests.html import parse
from workstreams import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["workstream", "meeting", "action", "highlightreport"])
def test_staff_read_work_stream_records_in_the_admin_but_cannot_add_them(client, scene, model):
    scene.action(meeting=scene.meeting(scene.diabetes))
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:workstreams_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:workstreams_{model}_add")).status_code == 403


def test_form_pages_have_no_duplicate_ids(client, scene):
    meeting = scene.meeting(scene.diabetes)
    item = services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Budget", purpose="decision")
    pk = scene.diabetes.pk
    client.force_login(scene.lead)
    for url in [
        f"/workstreams/{pk}/status/",
        f"/workstreams/{pk}/rag/",
        f"/workstreams/{pk}/quorum/",
        f"/workstreams/{pk}/group/add/",
        f"/workstreams/{pk}/highlight-reports/new/",
        f"/meetings/{meeting.pk}/status/",
        f"/meetings/{meeting.pk}/attendance/",
        f"/agenda-items/{item.pk}/edit/",
        f"/workstreams/{pk}/actions/new/",
    ]:
        page = parse(client.get(url))
        ids = Counter(element["id"] for element in page.select("[id]"))
        assert [name for name, count in ids.items() if count > 1] == [], url
        for label in page.select("main label[for]"):
            target = page.find(id=label["for"])
            assert target is not None and target.name in {"input", "select", "textarea"}, (url, label["for"])
