"""Whether the Celery broker can take work, asked without waiting long."""

from celery import current_app as app
from kombu.exceptions import OperationalError

from .models import WorkerHeartbeat


def broker_status() -> str:
    """'ok' when a connection to the broker opens within a second, else 'unavailable'."""
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
    except (OperationalError, OSError):
        return "unavailable"
    return "ok"


def worker_last_seen():
    """When a Celery worker last said it was alive (its heartbeat task), or None if none ever has. One query."""
    return WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
