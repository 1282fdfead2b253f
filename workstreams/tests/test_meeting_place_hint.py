"""The meeting form's hints and its rule agree: a meeting needs a place, an online link, or both. The place's hint
used to say "leave blank for an online meeting", and the form then refused a meeting with neither."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.html import error_summary, text
from workstreams.models import Meeting

pytestmark = pytest.mark.django_db

NEXT_WEEK = (timezone.localdate() + timedelta(days=7)).isoformat()
MEETING = {"title": "", "day": NEXT_WEEK, "time": "14:00", "duration_minutes": "90", "place": "", "link": ""}


def test_the_meeting_form_says_a_meeting_needs_a_place_or_an_online_link(client, scene):
    client.force_login(scene.member)
    response = client.get(reverse("workstreams:meeting_create", args=[scene.diabetes.pk]))
    assert "A meeting needs a place, an online link, or both." in text(response)
    place_hint, link_hint = text(response, "#id_place-hint"), text(response, "#id_link-hint")
    assert place_hint == "A room and building. Leave blank if the meeting is only online."
    assert link_hint == "For example a Microsoft Teams link. Leave blank if everyone meets in person."


def test_a_meeting_with_neither_place_nor_link_is_refused_naming_the_place(client, scene):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:meeting_create", args=[scene.diabetes.pk]), MEETING)
    assert response.status_code == 400
    assert [link for _, link in error_summary(response)] == ["#id_place"]
    assert "an online link" in error_summary(response)[0][0]
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize(
    "where",
    [{"link": "https://teams.example.org/meet/1"}, {"place": "Room 4, Town Hall"}],
    ids=["online only", "in person only"],
)
def test_a_meeting_with_only_a_place_or_only_a_link_is_scheduled(client, scene, where):
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:meeting_create", args=[scene.diabetes.pk]), {**MEETING, **where})
    assert response.status_code == 302
    assert Meeting.objects.count() == 1
