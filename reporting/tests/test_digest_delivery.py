"""Digests are built once and emailed once to each board member: building twice, re-running a task, retrying the
email task after a crash half-way, the broker going down, or the schedule's time passing while no worker ran."""

from datetime import datetime, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from freezegun import freeze_time
from kombu.exceptions import OperationalError

from core import emails
from core.audit import SYSTEM
from core.models import SentEmail
from core.tasks import run_outbox_message
from reporting import tasks
from reporting.models import Digest, DigestSchedule, DigestStatus
from reporting.selectors.digest_delivery import STALE_AFTER
from reporting.services.digests import digest_build, digest_request, digest_schedule_update

from .digest_support import a_week, built, schedules_off, text_of

pytestmark = pytest.mark.django_db

BOARD = sorted(
    [
        "lead@example.nhs.uk",
        "board@example.nhs.uk",
        "ned@example.nhs.uk",
        "councildirector@example.nhs.uk",
        "extra0@example.nhs.uk",
    ]
)
real_send_mail = emails.send_mail


def recipients() -> list[str]:
    return sorted(address for email in mail.outbox for address in email.to)


def email_to(address: str):
    return next(email for email in mail.outbox if email.to == [address])


@pytest.fixture
def week(world):
    return a_week(world)


@pytest.fixture
def unscheduled(world):
    """No schedule, so beat's runs in a test queue only the digests and emails the test is about."""
    schedules_off(world.partnership, world.other_partnership)


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks):
    """Run what services queue after commit (the worker's tasks, in-process in tests) as it is queued."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def test_building_twice_gives_one_digest_and_one_email_per_board_member(world, week, run_after_commit):
    mail.outbox.clear()  # the decisions' own emails
    first = run_after_commit(digest_build, actor=SYSTEM, partnership=world.partnership)
    assert recipients() == BOARD  # the lead, board members and non-executives; not members or viewers
    second = run_after_commit(digest_build, actor=SYSTEM, partnership=world.partnership)
    run_after_commit(tasks.build_digest.delay, world.partnership.pk, timezone.localdate().isoformat())
    assert tasks.email_digest.delay(first.pk).get() == 0
    assert first.pk == second.pk and Digest.objects.count() == 1
    assert recipients() == BOARD
    assert SentEmail.objects.filter(key__startswith=f"digest:{first.pk}:").count() == len(BOARD)
    assert Digest.objects.get().emailed_at is not None


def test_each_copy_opens_with_its_recipients_organisation_in_text_and_html(world, week, run_after_commit):
    mail.outbox.clear()
    digest = run_after_commit(digest_build, actor=SYSTEM, partnership=world.partnership)
    email = email_to("board@example.nhs.uk")
    assert email.subject == (
        f"Board digest: Demo Health and Care Partnership, week to {digest.period_end.day} {digest.period_end:%B %Y}"
    )
    text, html = email.body, email.alternatives[0].content
    assert text.index("FOR DEMO HOSPITALS NHS FOUNDATION TRUST") < text.index("THE WEEK IN BRIEF")
    assert "Draft the diabetes pathway" in text and "Brief the health scrutiny panel" not in text
    assert "For Demo Hospitals NHS Foundation Trust: what you must sign off, ratify or act on" in html
    assert f"/digests/{digest.pk}/pdf/" in text and f"/digests/{digest.pk}/pdf/" in html
    council = email_to("ned@example.nhs.uk").body
    assert "FOR DEMO CITY COUNCIL" in council and "Brief the health scrutiny panel" in council
    assert "Ratify at your own board" in email_to("extra0@example.nhs.uk").body


def test_the_email_task_retried_after_a_crash_half_way_sends_no_second_copy(world, week, run_after_commit):
    digest = built(world)
    Digest.objects.filter(pk=digest.pk).update(send_email=True)
    mail.outbox.clear()
    calls = {"count": 0}

    def crash_on_the_third(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] == 3:
            raise SMTPException("421 try again later")
        return real_send_mail(*args, **kwargs)

    with mock.patch.object(emails, "send_mail", crash_on_the_third), pytest.raises(Retry):
        tasks.email_digest.delay(digest.pk)  # Celery would retry it later
    assert len(mail.outbox) == 2
    assert Digest.objects.get().emailed_at is None
    assert tasks.email_digest.delay(digest.pk).get() == len(BOARD) - 2  # the retry sends only the rest
    assert tasks.email_digest.delay(digest.pk).get() == 0
    assert recipients() == BOARD
    assert Digest.objects.get().emailed_at is not None


def test_a_build_that_crashes_leaves_nothing_and_the_retry_builds_the_one_digest(world, week):
    crash = mock.patch("reporting.services.digests.digest_content", side_effect=RuntimeError("worker killed"))
    with crash, pytest.raises(RuntimeError):
        built(world)
    assert Digest.objects.count() == 0
    built(world)
    assert Digest.objects.get().status == DigestStatus.BUILT


def test_build_now_with_the_broker_down_builds_the_digest_here_and_the_emails_go_when_it_is_back(
    world, week, unscheduled, client, run_after_commit
):
    mail.outbox.clear()
    client.force_login(world.lead)
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")
    with (
        mock.patch("reporting.services.digests.broker_status", return_value="unavailable"),
        mock.patch.object(run_outbox_message, "apply_async", side_effect=refused),
    ):
        response = run_after_commit(client.post, "/partnerships/QZZ/digests/build/", follow=True)
    assert response.status_code == 200
    page = text_of(response)
    assert "The background worker could not be reached, so the digest was built here and now." in page
    assert "they will be sent to the board when the worker is back" in page
    digest = Digest.objects.get()
    assert digest.status == DigestStatus.BUILT and digest.emailed_at is None and mail.outbox == []
    assert response.redirect_chain[-1][0] == digest.get_absolute_url()
    assert "Emails waiting for the background worker" in text_of(client.get("/partnerships/QZZ/digests/"))

    # The worker is back: beat's next run, after a while, sends the emails, once.
    with freeze_time(timezone.now() + STALE_AFTER + timedelta(minutes=1)):
        run_after_commit(tasks.queue_due_digests.delay)
        run_after_commit(tasks.queue_due_digests.delay)
    assert recipients() == BOARD
    assert Digest.objects.count() == 1


def test_build_now_with_the_broker_up_queues_the_build_and_the_page_shows_it_queued(world, week, client):
    """Here the build task waits for a commit that a test's transaction never makes: as if no worker had run."""
    client.force_login(world.lead)
    with mock.patch("reporting.services.digests.broker_status", return_value="ok"):
        response = client.post("/partnerships/QZZ/digests/build/", follow=True)
    assert "Today's digest is queued" in text_of(response)
    digest = Digest.objects.get()
    assert digest.status == DigestStatus.QUEUED and digest.requested_by == world.lead
    assert f'id="digest-{digest.pk}"' in text_of(response) and "Queued" in text_of(response)
    with mock.patch("reporting.services.digests.broker_status", return_value="ok"):
        again = client.post("/partnerships/QZZ/digests/build/", follow=True)
    assert "Today's digest is already queued" in text_of(again)
    assert Digest.objects.count() == 1


def test_a_queued_build_whose_task_was_lost_is_built_by_the_next_beat_run(world, week, unscheduled, run_after_commit):
    with mock.patch.object(run_outbox_message, "apply_async", side_effect=OperationalError("broker gone")):
        run_after_commit(digest_request, actor=world.lead, partnership=world.partnership)
    assert Digest.objects.get().status == DigestStatus.QUEUED
    run_after_commit(tasks.queue_due_digests.delay)  # too soon: it may still be on its way
    assert Digest.objects.get().status == DigestStatus.QUEUED
    with freeze_time(timezone.now() + STALE_AFTER + timedelta(minutes=1)):
        run_after_commit(tasks.queue_due_digests.delay)
    assert Digest.objects.get().status == DigestStatus.BUILT


# --- The schedule --------------------------------------------------------------------------------------------------

MONDAY = datetime(2026, 12, 14, 7, 0)  # a Monday, in winter: UK time is UTC


def at(moment: datetime):
    return freeze_time(timezone.make_aware(moment))


def test_a_digest_whose_time_passed_while_no_worker_ran_is_built_on_the_next_beat_run(world, run_after_commit):
    with at(MONDAY - timedelta(days=10)):  # the partnership's week began long before
        a_week(world)
    mail.outbox.clear()
    with at(MONDAY + timedelta(days=2, hours=3)):  # Wednesday: no worker ran on Monday at 7am
        queued = run_after_commit(tasks.queue_due_digests.delay).get()
        digest = Digest.objects.get(partnership=world.partnership)
        assert digest.period_end == MONDAY.date() and digest.status == DigestStatus.BUILT
        assert queued == 2  # QZZ's, and the other partnership's (QYY) on the same default schedule
        assert recipients() == sorted([*BOARD, "outsider@example.nhs.uk"])  # QYY's lead has QYY's
        assert run_after_commit(tasks.queue_due_digests.delay).get() == 0  # nothing more is due
    assert len(mail.outbox) == len(BOARD) + 1 and Digest.objects.filter(partnership=world.partnership).count() == 1


def test_the_default_schedule_is_weekly_on_monday_at_7am(world):
    schedule = DigestSchedule.for_partnership(world.partnership)
    assert schedule.description == "Weekly, on Mondays at 7am"
    now = timezone.make_aware(MONDAY)
    assert schedule.last_due_at(now) == now
    assert schedule.last_due_at(now - timedelta(seconds=1)) == now - timedelta(days=7)
    assert schedule.next_due_at(now) == now + timedelta(days=7)


def test_a_schedule_change_counts_from_its_next_time_and_off_builds_nothing(world, run_after_commit):
    with at(MONDAY + timedelta(days=2)):  # Wednesday: the lead moves the digest to Tuesdays at 9am
        digest_schedule_update(actor=world.lead, partnership=world.partnership, frequency="weekly", weekday=1, hour=9)
        run_after_commit(tasks.queue_due_digests.delay)
        assert not Digest.objects.filter(partnership=world.partnership).exists()  # not for yesterday's time
    with at(MONDAY + timedelta(days=8, hours=3)):  # the next Tuesday, at 10am
        run_after_commit(tasks.queue_due_digests.delay)
        assert Digest.objects.get(partnership=world.partnership).period_end == (MONDAY + timedelta(days=8)).date()
    with at(MONDAY + timedelta(days=9)):
        digest_schedule_update(actor=world.lead, partnership=world.partnership, frequency="off", weekday=1, hour=9)
    with at(MONDAY + timedelta(days=30)):
        run_after_commit(tasks.queue_due_digests.delay)
    assert Digest.objects.filter(partnership=world.partnership).count() == 1


def test_only_the_lead_or_the_system_builds_and_never_for_a_day_to_come(world):
    with pytest.raises(PermissionDenied):
        digest_build(actor=world.board, partnership=world.partnership)
    with pytest.raises(PermissionDenied):
        digest_schedule_update(actor=world.viewer, partnership=world.partnership, frequency="off", weekday=0, hour=7)
    with pytest.raises(ValidationError):
        digest_build(actor=world.lead, partnership=world.partnership, period_end=timezone.localdate() + timedelta(1))
    with pytest.raises(ValidationError):
        digest_schedule_update(actor=world.lead, partnership=world.partnership, frequency="weekly", weekday=9, hour=7)
    assert Digest.objects.count() == DigestSchedule.objects.count() == 0


# --- The management command ----------------------------------------------------------------------------------------


def test_build_digests_builds_every_partnership_once_and_says_so(world, capsys):
    call_command("build_digests", "--all", "--no-email")
    assert sorted(Digest.objects.values_list("partnership__code", flat=True)) == ["QYY", "QZZ"]
    out = capsys.readouterr()
    assert "2 built, 0 already built (no emails)" in out.out
    assert "Board digests: 100%" in out.err  # the progress bar, with counts and time left
    call_command("build_digests", "--partnership", "qzz", "--no-email")
    assert "0 built, 1 already built" in capsys.readouterr().out
    assert Digest.objects.count() == 2 and mail.outbox == []
    assert not Digest.objects.filter(send_email=True).exists()  # never emailed later by the sweep either


def test_build_digests_refuses_an_unknown_partnership_or_no_choice(world):
    with pytest.raises(CommandError, match="There is no partnership QXX"):
        call_command("build_digests", "--partnership", "QXX")
    with pytest.raises(CommandError):
        call_command("build_digests")
    with pytest.raises(CommandError, match="not come yet"):
        call_command("build_digests", "--all", "--period-end", (timezone.localdate() + timedelta(1)).isoformat())
    assert Digest.objects.count() == 0
