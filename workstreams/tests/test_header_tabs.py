"""The header highlights the tab a page sits under: proposing a work-stream, a highlight report or a meeting is
inside a partnership ("My partnerships"), not "My actions"; "My actions" and "My sign-offs" are those lists."""

from datetime import date

import pytest
from django.urls import reverse

from core.audit import SYSTEM
from tests.html import parse
from workstreams import services

pytestmark = pytest.mark.django_db


def highlighted_tabs(response) -> list[tuple[str, str]]:
    """The header links marked current, with how (aria-current "page" on the tab's own page, "true" below it)."""
    assert response.status_code == 200
    return [
        (" ".join(link.get_text(" ").split()), link["aria-current"])
        for link in parse(response).select(".nhsuk-header__navigation a[aria-current]")
    ]


@pytest.fixture
def pages(scene):
    meeting = scene.meeting(scene.diabetes)
    report = services.highlight_report_create(
        actor=SYSTEM,
        workstream=scene.diabetes,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        rag="green",
        progress="Fine.",
    )
    return {
        "propose a work-stream": reverse("workstreams:workstream_create", args=["QZZ"]),
        "a work-stream": scene.diabetes.get_absolute_url(),
        "a highlight report": report.get_absolute_url(),
        "write a highlight report": reverse("workstreams:highlight_report_create", args=[scene.diabetes.pk]),
        "a meeting": meeting.get_absolute_url(),
        "schedule a meeting": reverse("workstreams:meeting_create", args=[scene.diabetes.pk]),
        "the meetings": reverse("workstreams:meeting_list", args=[scene.diabetes.pk]),
        "an action": scene.action(scene.diabetes).get_absolute_url(),
    }


@pytest.mark.parametrize(
    "page",
    [
        "propose a work-stream",
        "a work-stream",
        "a highlight report",
        "write a highlight report",
        "a meeting",
        "schedule a meeting",
        "the meetings",
        "an action",
    ],
)
def test_pages_inside_a_partnership_highlight_my_partnerships(client, scene, pages, page):
    client.force_login(scene.board)
    assert highlighted_tabs(client.get(pages[page])) == [("My partnerships", "true")]


@pytest.mark.parametrize(
    ("url_name", "tab"),
    [
        ("partnerships:mine", "My partnerships"),
        ("workstreams:my_actions", "My actions"),
        ("governance:my_signoffs", "My sign-offs"),
    ],
)
def test_each_tabs_own_page_highlights_it_as_the_current_page(client, scene, url_name, tab):
    client.force_login(scene.board)
    assert highlighted_tabs(client.get(reverse(url_name))) == [(tab, "page")]


def test_help_highlights_no_tab(client, scene):
    client.force_login(scene.board)
    assert highlighted_tabs(client.get(reverse("core:help_index"))) == []
