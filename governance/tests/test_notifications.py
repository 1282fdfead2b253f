"""Decision emails go out after commit, to the right people, once each: a retried or re-run task never sends the
same email twice, and one that failed half-way sends only what it had not sent."""

from datetime import timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from core import emails, outbox
from core.models import OutboxMessage, SentEmail
from governance import services, tasks
from governance.models import Decision, SignOffRound, Visibility
from partnerships.models import Role

from .support import board_member, delegate, in_signoff, more_members, propose, sign, signatories

real_send_mail = emails.send_mail


def failing_on(call_numbers, error):
    """A send_mail that raises `error` on the given calls (1-based) and sends normally otherwise."""
    calls = {"count": 0}

    def send(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] in call_numbers:
            raise error
        return real_send_mail(*args, **kwargs)

    return send


@pytest.fixture
def signing(world):
    signatories(world)
    world.extra_signatories = [person for _, person in more_members(world, 2)]
    return world


def opened(world, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return in_signoff(world, **fields)


def recipients(kind=None):
    return sorted(address for email in mail.outbox for address in email.to if kind is None or kind in email.subject)


def test_opening_sign_off_emails_each_signatory_once_after_commit(signing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        decision = in_signoff(signing)
    assert mail.outbox == []  # nothing is sent inside the transaction
    for callback in callbacks:
        callback()
    assert recipients() == sorted(
        ["board@example.nhs.uk", "councildirector@example.nhs.uk", "extra0@example.nhs.uk", "extra1@example.nhs.uk"]
    )
    assert decision.reference in mail.outbox[0].subject
    assert f"/decisions/{decision.pk}/" in mail.outbox[0].body


def test_running_the_task_again_sends_nothing_more(signing, django_capture_on_commit_callbacks):
    decision = opened(signing, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    assert tasks.notify_signoff_opened.delay(decision.current_round_id).get() == 0
    assert len(mail.outbox) == sent == 4
    assert SentEmail.objects.count() == 4


def test_a_retry_after_a_mail_server_failure_half_way_sends_each_email_once(
    signing, django_capture_on_commit_callbacks
):
    with mock.patch.object(emails, "send_mail", failing_on({2}, SMTPException("421 try later"))):
        opened(signing, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    decision = Decision.objects.get()
    waiting = OutboxMessage.objects.get(task="governance.tasks.notify_signoff_opened")
    assert waiting.done_at is None and "421 try later" in waiting.last_error  # left in the outbox for the next run

    with freeze_time(timezone.now() + outbox.HANDOVER_GRACE + timedelta(seconds=1)):
        assert outbox.run_due() == 1  # the retry: beat's next run of the outbox
    assert len(mail.outbox) == 4
    assert len(set(recipients())) == 4
    assert SentEmail.objects.filter(key__startswith=f"signoff_opened:{decision.current_round_id}:").count() == 4


def test_a_task_that_crashed_half_way_then_runs_again_sends_only_the_rest(signing, django_capture_on_commit_callbacks):
    decision = propose(signing)
    services.decision_open_signoff(actor=signing.lead, decision=decision)
    decision.refresh_from_db()
    with (
        mock.patch.object(emails, "send_mail", failing_on({3}, RuntimeError("worker killed"))),
        pytest.raises(RuntimeError),
    ):
        tasks.notify_signoff_opened.apply(args=[decision.current_round_id], throw=True)
    assert len(mail.outbox) == 2
    assert SentEmail.objects.count() == 2  # the failed one left no record, so it is not lost

    tasks.notify_signoff_opened.delay(decision.current_round_id)
    assert len(mail.outbox) == 4
    assert len(set(recipients())) == 4


def test_reminders_go_to_organisations_still_to_sign_shortly_before_the_deadline(
    signing, django_capture_on_commit_callbacks
):
    decision = opened(signing, django_capture_on_commit_callbacks)
    sign(signing.board, decision)
    mail.outbox.clear()
    assert tasks.send_signoff_reminders() == 0  # two weeks to go
    SignOffRound.objects.filter(pk=decision.current_round_id).update(closes_at=timezone.now() + timedelta(hours=20))

    assert tasks.send_signoff_reminders() == 3
    assert "board@example.nhs.uk" not in recipients()
    assert all("Reminder" in email.subject for email in mail.outbox)
    assert tasks.send_signoff_reminders() == 0  # the hourly run does not remind twice
    assert len(mail.outbox) == 3


def test_the_outcome_goes_to_everyone_in_the_partnership_once(signing, django_capture_on_commit_callbacks):
    decision = opened(signing, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for person in [signing.board, signing.council_director, *signing.extra_signatories]:
            sign(person, decision)
    decision.refresh_from_db()
    assert decision.status == "approved"
    outcome = recipients("approved")
    assert len(outcome) == len(set(outcome))
    assert {"lead@example.nhs.uk", "viewer@example.nhs.uk", "member@example.nhs.uk"} <= set(outcome)
    assert "outsider@example.nhs.uk" not in outcome
    assert tasks.notify_decision_outcome.delay(decision.current_round_id).get() == 0


def test_the_outcome_of_a_confidential_decision_goes_only_to_those_who_may_read_it(
    signing, django_capture_on_commit_callbacks
):
    decision = opened(
        signing,
        django_capture_on_commit_callbacks,
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Commercial negotiation under way.",
        confidential_review_on=timezone.localdate() + timedelta(days=90),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for person in [signing.board, signing.council_director, *signing.extra_signatories]:
            sign(person, decision)
    outcome = set(recipients("approved"))
    assert "viewer@example.nhs.uk" not in outcome
    assert {"lead@example.nhs.uk", "member@example.nhs.uk", "ned@example.nhs.uk"} <= outcome  # member proposed it


def test_a_delegate_who_may_not_read_a_confidential_decision_is_not_emailed_its_title(
    signing, django_capture_on_commit_callbacks
):
    staff = board_member(signing, "financemanager", signing.trust, roles=(Role.MEMBER,))
    delegate(signing, staff, signing.trust)
    decision = opened(
        signing,
        django_capture_on_commit_callbacks,
        title="Sale of the Riverside site",
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Negotiation under way.",
        confidential_review_on=timezone.localdate() + timedelta(days=90),
    )
    assert "financemanager@example.nhs.uk" not in recipients()
    assert "board@example.nhs.uk" in recipients()
    assert all(decision.title in email.subject for email in mail.outbox)


def test_the_note_for_signatories_written_when_opening_sign_off_is_in_the_sign_off_needed_email(
    signing, django_capture_on_commit_callbacks
):
    decision = propose(signing)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_open_signoff(
            actor=signing.lead, decision=decision, reason="Please sign by Friday: the contract starts on Monday."
        )
    needed = [email for email in mail.outbox if email.subject.startswith("Sign-off needed")]
    assert len(needed) == 4
    for email in needed:
        assert f"A note for signatories from {signing.lead.display_name}:" in email.body
        assert "Please sign by Friday: the contract starts on Monday." in email.body
