"""What every app's services share."""

import logging

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def assign_fields(instance: models.Model, fields: dict, *, allowed: list[str]) -> None:
    """Set the given fields on `instance`; a field outside `allowed` is refused (a 400, not a silent write)."""
    refused = {name: "This cannot be changed here." for name in fields if name not in allowed}
    if refused:
        raise ValidationError(refused)
    for name, value in fields.items():
        setattr(instance, name, value)


def queue_after_commit(task: str, *args) -> None:
    """Send the Celery task at dotted path `task` to the worker once the transaction has committed (never if it rolls
    back). When the broker cannot take it, the change that was saved stands and the page still answers; the failure
    is logged. The task is named by path so that services need not import the tasks that call them."""

    def send() -> None:
        try:
            import_string(task).apply_async(args=args, retry=False)
        except (OperationalError, OSError):
            logger.warning("Could not queue %s%s: the broker is not answering.", task, args)

    transaction.on_commit(send)
