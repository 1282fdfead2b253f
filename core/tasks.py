from celery import shared_task
from django.utils import timezone

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
