"""What every app's services share."""

from django.core.exceptions import ValidationError
from django.db import models

from .outbox import enqueue


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Model validation (field validators and constraints) before writing, so bad input is a 400, not a 500."""
    instance.full_clean(exclude=exclude)


def person(actor):
    """The actor as a user to store on a record (`uploaded_by`, `set_by`), or None for the system actor of
    management commands and background jobs, which is no one's account."""
    return actor if getattr(actor, "pk", None) is not None else None


def require_text(value: str | None, *, field: str, message: str) -> str:
    """The text without surrounding spaces; `message` on `field` when nothing is left."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def assign_fields(instance: models.Model, fields: dict, *, allowed: list[str]) -> None:
    """Set the given fields on `instance`; a field outside `allowed` is refused (a 400, not a silent write)."""
    refused = {name: "This cannot be changed here." for name in fields if name not in allowed}
    if refused:
        raise ValidationError(refused)
    for name, value in fields.items():
        setattr(instance, name, value)


def queue_after_commit(task: str, *args) -> None:
    """Have the worker run the Celery task at dotted path `task` once the transaction has committed (never if it rolls
    back). It is written to the outbox in this transaction (core/outbox.py), so a broker that is down delays it and
    loses nothing, and the change that was saved stands. The task is named by path so that services need not import
    the tasks that call them."""
    enqueue(task, *args)
