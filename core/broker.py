"""Whether the Celery broker can take work, asked without waiting long."""

from celery import current_app as app
from kombu.exceptions import OperationalError


def broker_status() -> str:
    """'ok' when a connection to the broker opens within a second, else 'unavailable'."""
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
    except (OperationalError, OSError):
        return "unavailable"
    return "ok"
