"""A button's address (a view that only acts on a POST) opened in the browser, from a bookmark, a reload or a shared
link, leads to the page the button is on instead of an empty "405" answer; it never acts, and it tells a stranger
no more than the page itself would."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.audit import SYSTEM
from engagement import services as engagement_services
from engagement.models import ActivityAttachment, EngagementExpectation
from engagement.tests.support import group, log
from workstreams import services as workstream_services

pytestmark = pytest.mark.django_db

APPS = ["core", "partnerships", "workstreams", "engagement", "governance", "reporting"]


@pytest.fixture
def records(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    workstream = workstream_services.workstream_propose(
        actor=world.lead, partnership=world.partnership, name="Diabetes", purpose="Better care.", lead=world.board
    )
    action = workstream_services.action_create(
        actor=SYSTEM,
        workstream=workstream,
        description="Write the plan",
        owner=world.member,
        due_on=timezone.localdate(),
    )
    activity = log(
        world.partnership,
        held_on=timezone.localdate(),
        reach={"patients-carers": 9},
        attachment=SimpleUploadedFile("notes.pdf", b"%PDF-1 notes"),
    )
    expectation = engagement_services.expectation_set(
        actor=world.lead, workstream=workstream, group=group("patients-carers"), interval_days=90
    )
    return {
        "action": action,
        "activity": activity,
        "attachment": ActivityAttachment.objects.get(activity=activity),
        "expectation": expectation,
    }


def button_addresses(records) -> list[tuple[str, str]]:
    """Every POST-only address of the site, with the page its button is on."""
    action, activity = records["action"], records["activity"]
    return [
        (reverse("workstreams:action_progress", args=[action.pk]), action.get_absolute_url()),
        (reverse("reporting:digest_build_now", args=["QZZ"]), reverse("reporting:digest_list", args=["QZZ"])),
        (reverse("engagement:attachment_add", args=[activity.pk]), activity.get_absolute_url()),
        (reverse("engagement:attachment_remove", args=[records["attachment"].pk]), activity.get_absolute_url()),
        (
            reverse("engagement:expectation_remove", args=[records["expectation"].pk]),
            reverse("engagement:expectation_list", args=["QZZ"]),
        ),
        (reverse("logout"), reverse("core:start")),
    ]


def test_opening_a_buttons_address_goes_to_the_page_the_button_is_on(client, world, records):
    client.force_login(world.lead)
    for address, page in button_addresses(records):
        response = client.get(address)
        assert (response.status_code, response.get("Location")) == (302, page), address
    assert EngagementExpectation.objects.filter(pk=records["expectation"].pk).exists()
    assert ActivityAttachment.objects.filter(pk=records["attachment"].pk).exists()
    assert client.get(reverse("workstreams:my_actions")).status_code == 200, "opening sign-out signed them out"


def test_opening_a_buttons_address_tells_an_outsider_nothing(client, world, records):
    client.force_login(world.outsider)
    for address, _ in button_addresses(records)[:-1]:
        assert client.get(address, follow=True).status_code == 404, address


def test_a_buttons_address_still_refuses_other_methods(client, world, records):
    client.force_login(world.lead)
    response = client.put(reverse("workstreams:action_progress", args=[records["action"].pk]))
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_no_page_answers_a_get_with_an_empty_405():
    """Every POST-only page view uses core.http.post_only, not Django's require_POST."""
    views = [
        path
        for app in APPS
        for path in Path(settings.BASE_DIR, app).rglob("*.py")
        if "views" in path.parts or path.name == "views.py"
    ]
    assert len(views) > 10
    found = []
    for path in views:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Name) and node.id == "require_POST":
                found.append(f"{path}: require_POST")
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "require_http_methods"
                and isinstance(node.args[0], ast.List)
                and [getattr(item, "value", None) for item in node.args[0].elts] == ["POST"]
            ):
                found.append(f"{path}: require_http_methods(['POST'])")
    assert found == []
