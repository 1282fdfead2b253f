"""The audit trail: services call `audit_record` inside their transaction for every governed change."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent
from .services import person


class _System:
    """The actor for changes made by management commands and background jobs rather than a person."""

    pk = None
    is_authenticated = True
    is_superuser = True
    is_active = True

    def __str__(self) -> str:
        return "System"


SYSTEM = _System()


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """The values of `fields` on `instance`, in a form JSON can store (ids for relations)."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname) if field.is_relation and field.many_to_one else getattr(instance, name)
        values[name] = _jsonable(value)
    return values


def changes_between(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value differs."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    summary: str,
    changes: dict | None = None,
    reason: str = "",
    partnership_id: int | None = None,
) -> AuditEvent:
    """Record one change, inside the service's transaction: the record and its audit stand or fall together."""
    return AuditEvent.objects.create(
        actor=person(actor),
        partnership_id=partnership_id,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        summary=summary[:300],
        changes=changes or {},
        reason=reason,
    )


def history_for(target: models.Model):
    """The audit events of one record, newest first, with their actors."""
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False), target_id=target.pk
    ).select_related("actor")


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    return value
