"""Forms that could not be used yet were offered on their direct addresses and refused on submit; a button's
address opened in the browser answered an empty error. Now the page says why, and the address leads to the page."""

import pytest
from django.urls import reverse

from core.audit import SYSTEM
from tests.html import parse, text
from tests.rules import links_on
from workstreams import services

pytestmark = pytest.mark.django_db


def test_minutes_before_the_meeting_is_held_say_so_instead_of_offering_the_form(client, scene):
    meeting = scene.meeting(scene.diabetes, days_ago=-7)
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Budget", purpose="decision")
    client.force_login(scene.member)
    response = client.get(reverse("workstreams:minutes_edit", args=[meeting.pk]))
    assert response.status_code == 200
    assert text(response, "#refusal") == "Minutes can be written once the meeting has been held. Mark it as held first."
    assert parse(response).select("main form[method=post]") == []
    assert reverse("workstreams:minutes_edit", args=[meeting.pk]) not in links_on(
        client.get(meeting.get_absolute_url())
    )


def test_approving_minutes_that_are_not_drafted_says_so_instead_of_offering_the_button(client, scene):
    meeting = scene.meeting(scene.diabetes)
    services.meeting_change_status(actor=SYSTEM, meeting=meeting, status="held")
    client.force_login(scene.member)
    response = client.get(reverse("workstreams:minutes_approve", args=[meeting.pk]))
    assert response.status_code == 200
    assert text(response, "#refusal") == "There are no draft minutes to approve. Record the minutes first."
    assert parse(response).select("main form[method=post]") == []


def test_opening_an_actions_progress_address_goes_to_the_action(client, scene):
    action = scene.action(scene.diabetes)
    client.force_login(scene.member)
    response = client.get(reverse("workstreams:action_progress", args=[action.pk]))
    assert response.status_code == 302
    assert response["Location"] == action.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_opening_an_actions_progress_address_tells_an_outsider_nothing(client, scene):
    action = scene.action(scene.diabetes)
    client.force_login(scene.outsider)
    for pk in [action.pk, action.pk + 1000]:
        response = client.get(reverse("workstreams:action_progress", args=[pk]), follow=True)
        assert response.status_code == 404
