"""Ratifying an urgent decision at the next board meeting: only a board meeting that was held, with its attendance
recorded as quorate, can; with none yet, the page says what to do instead."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from governance.models import Decision
from tests.html import error_summary, parse, text

from .support import approved, board_meeting, held_board_meeting

PAGE = "/decisions/{}/board-ratification/"


@pytest.fixture
def urgent(world):
    decision = approved(world, is_urgent=True, urgent_reason="The contract lapses on Friday.", actor=world.lead)
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - timedelta(days=10))
    return Decision.objects.get(pk=decision.pk)


def ratifications() -> int:
    return AuditEvent.objects.filter(action="decision.ratified_at_board").count()


def test_with_no_board_meeting_since_approval_the_page_says_to_hold_the_next_one_and_record_attendance(
    world, client, urgent
):
    upcoming = board_meeting(world, days_from_now=5)
    client.force_login(world.lead)
    page = client.get(PAGE.format(urgent.pk))

    assert page.status_code == 200
    assert parse(page).select_one("main form") is None and parse(page).select_one("main select") is None
    assert "can ratify it yet: only a board meeting that was held, with its attendance recorded as quorate" in text(
        page, "#why-not"
    )
    assert "Once the next board meeting is held, record on its page that it was held and who attended" in text(page)
    assert parse(page).select_one(f'main a[href="{upcoming.get_absolute_url()}"]') is not None


def test_with_no_board_meeting_scheduled_the_page_offers_to_schedule_one(world, client, urgent):
    client.force_login(world.lead)
    page = client.get(PAGE.format(urgent.pk))
    assert "No board meeting is scheduled." in text(page)
    assert parse(page).select_one('main a[href="/partnerships/QZZ/board/meetings/new/"]') is not None


def test_a_board_meeting_still_scheduled_with_no_attendance_cannot_ratify(world, client, urgent):
    meeting = board_meeting(world, days_from_now=-3)  # it has started, but nobody recorded that it was held
    client.force_login(world.lead)
    page = client.get(PAGE.format(urgent.pk))
    assert parse(page).select_one("main form") is None
    assert "is scheduled, not held" in text(page)

    response = client.post(PAGE.format(urgent.pk), {"meeting": meeting.pk})

    assert response.status_code == 400
    assert error_summary(response) == [
        (
            "Choose a board meeting held since the decision was approved, with its attendance recorded as quorate",
            "#id_meeting",
        )
    ]
    urgent.refresh_from_db()
    assert urgent.ratified_at_meeting is None and ratifications() == 0


@pytest.mark.parametrize(
    ("quorate", "message"),
    [(None, "is not recorded, so it does not show that the board was quorate"), (False, "was not quorate")],
    ids=["attendance not recorded", "not quorate"],
)
def test_a_held_board_meeting_that_was_not_shown_quorate_cannot_ratify(world, client, urgent, quorate, message):
    held_board_meeting(world, days_from_now=-3, quorate=quorate)
    client.force_login(world.lead)
    page = client.get(PAGE.format(urgent.pk))
    assert parse(page).select_one("main form") is None
    assert message in text(page)


def test_a_held_quorate_board_meeting_is_the_one_offered_and_it_ratifies(world, client, urgent):
    quorate = held_board_meeting(world, days_from_now=-3)
    held_board_meeting(world, days_from_now=-2, quorate=False)
    client.force_login(world.lead)
    options = parse(client.get(PAGE.format(urgent.pk))).select('select[name="meeting"] option[value]')
    assert [option["value"] for option in options if option["value"]] == [str(quorate.pk)]

    response = client.post(PAGE.format(urgent.pk), {"meeting": quorate.pk})

    assert response.status_code == 302
    urgent.refresh_from_db()
    assert urgent.ratified_at_meeting == quorate and ratifications() == 1
