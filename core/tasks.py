from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone

from . import outbox
from .audit import audit_anchor_heads
from .emails import send_once
from .forms import PasswordResetForInvitedForm
from .models import WorkerHeartbeat


@shared_task
def ping() -> str:
    """Answer 'pong': proves a worker takes tasks from the broker (`manage.py celery_ping`)."""
    return "pong"


@shared_task(bind=True)
def heartbeat(self) -> None:
    """Record that this worker is alive; run every minute by beat."""
    WorkerHeartbeat.objects.update_or_create(
        worker=self.request.hostname or "unknown", defaults={"last_seen": timezone.now()}
    )


@shared_task(ignore_result=True)
def run_outbox_message(pk: int) -> None:
    """Do one task from the outbox (core/outbox.py), handed over after the commit that wrote it."""
    outbox.run(pk)


@shared_task(ignore_result=True)
def run_due_outbox_messages() -> int:
    """Every minute (beat): do the outbox's tasks that were not handed over (broker down) or whose worker died."""
    return outbox.run_due()


@shared_task
def send_password_reset_email(email: str) -> None:
    """Email a reset link to each active account with this address, or to nobody. Run by the worker for every
    request, so a known and an unknown address take the same path and the same time in the web process."""
    scheme, _, domain = settings.SITE_URL.partition("://")
    form = PasswordResetForInvitedForm({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=scheme == "https",
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )


@shared_task
def send_second_factor_reset_email(event_id: int, user_id: int, reset_by: str) -> None:
    """Tell a person that their second factor was reset (the reset's audit event `event_id`), by whom, and what to
    do if they did not ask for it."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    context = {"user": user, "reset_by": reset_by, "site_url": settings.SITE_URL}
    send_once(
        key=f"second-factor-reset:{event_id}",
        recipient=user,
        subject="Your STP Portal second factor was reset",
        body=render_to_string("account/emails/second_factor_reset.txt", context),
    )


@shared_task
def record_audit_chain_heads() -> int:
    """Keep and log the head of every audit chain; run daily by beat. Returns how many heads were new."""
    return len(audit_anchor_heads())
