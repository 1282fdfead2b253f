"""The audit trail: services call `audit_record` inside their transaction for every governed change.

Each partnership's events, and the service's own (those of no partnership), form a hash chain: an event's hash is
SHA-256 over its content and the hash of the event before it, so changing, removing or inserting an event breaks
every link after it. `manage.py verify_audit` walks the chains; the daily task `record_audit_chain_heads` keeps
their heads (`AuditAnchor`); each board digest prints its partnership's head (docs/adr/0017).
"""

import hashlib
import json
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .models import AuditAnchor, AuditChainHead, AuditEvent
from .request_id import current_request_id
from .services import person

logger = logging.getLogger(__name__)

SERVICE_CHAIN = "service"  # the chain of events that belong to no partnership: accounts, tokens, sessions


class _System:
    """The actor for changes made by management commands and background jobs rather than a person."""

    pk = None
    is_authenticated = True
    is_superuser = True
    is_active = True

    def __str__(self) -> str:
        return "System"


SYSTEM = _System()

# The moment the demo's seed says a change happened, when it builds a history "as if" made over the past year.
_backdated_to: ContextVar[datetime | None] = ContextVar("audit_backdated_to", default=None)


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


def chain_of(partnership_id: int | None) -> str:
    """The name of the chain a partnership's events (or, for None, the service's own) belong to."""
    return SERVICE_CHAIN if partnership_id is None else str(partnership_id)


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
    """Record one change, inside the service's transaction: the record and its audit stand or fall together. The
    chain's head is locked until that transaction ends, so the writers of one partnership's history take turns."""
    target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return append_event(
        AuditEvent,
        AuditChainHead,
        target=target_label(target_type),
        at=_backdated_to.get() or timezone.now(),
        actor=person(actor),
        partnership_id=partnership_id,
        action=action,
        target_type=target_type,
        target_id=int(target.pk),
        summary=summary[:300],
        # As it will be read back, so the hash computed now is the one verify_audit computes from the row.
        changes=json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder)),
        reason=reason,
        request_id=current_request_id(),
    )


def append_event(event_model, head_model, *, target: str, **fields):
    """Add an event with `fields` at the end of its partnership's chain, locking the chain's head until the
    transaction ends. The models are passed in so that a data migration can append with its historical ones;
    `target` is the target's type as `target_label` names it."""
    with transaction.atomic(savepoint=False):  # a transaction of its own only when called outside one
        head, _ = head_model.objects.select_for_update().get_or_create(chain=chain_of(fields.get("partnership_id")))
        event = event_model(**fields, chain=head.chain, sequence=head.sequence + 1, previous_hash=head.hash)
        event.hash = event_hash(event, target)
        event.save(force_insert=True)
        head.sequence, head.hash, head.updated_at = event.sequence, event.hash, timezone.now()
        head.save(update_fields=["sequence", "hash", "updated_at"])
    return event


def target_label(content_type) -> str:
    """A content type as the hash names it, `app_label.model`: the same in every database, unlike its id."""
    return f"{content_type.app_label}.{content_type.model}"


def target_labels() -> dict[int, str]:
    """Every content type's id and its `target_label`: for reading many events without a query each."""
    return {content_type.pk: target_label(content_type) for content_type in ContentType.objects.all()}


def event_hash(event, target: str) -> str:
    """The SHA-256 (hex) of an event's content and its link to the event before. `target` is the target's type as
    `target_label` names it. Any object with the event's fields will do (the migration passes its historical
    model), and the same values give the same hash on SQLite and PostgreSQL."""
    content = {
        "chain": event.chain,
        "sequence": event.sequence,
        "previous_hash": event.previous_hash,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "partnership_id": event.partnership_id,
        "action": event.action,
        "target_type": target,
        "target_id": event.target_id,
        "summary": event.summary,
        "changes": event.changes,
        "reason": event.reason,
        "request_id": event.request_id,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def chain_length(partnership_id: int | None) -> int:
    """How many events a partnership's chain holds: a version number of everything in the partnership that every
    change moves, in its own transaction (the stored dashboard and the stored public pages are keyed on it)."""
    head = chain_head(partnership_id)
    return head.sequence if head else 0


def chain_head(partnership_id: int | None) -> AuditChainHead | None:
    """The last link of a partnership's chain (what a board digest prints), or None before its first event."""
    return AuditChainHead.objects.filter(chain=chain_of(partnership_id), sequence__gt=0).first()


@transaction.atomic
def audit_anchor_heads() -> list[AuditAnchor]:
    """Keep every chain's head as an anchor, and log it, so that a later rewrite of the chain from its start shows.
    Safe to run again: a head already kept is kept once. Returns the anchors made by this call."""
    made = []
    for head in AuditChainHead.objects.filter(sequence__gt=0).order_by("chain"):
        anchor, created = AuditAnchor.objects.get_or_create(
            chain=head.chain, sequence=head.sequence, defaults={"hash": head.hash}
        )
        if created:
            made.append(anchor)
            logger.info("Audit chain %s: head %s at event %s", head.chain, head.hash, head.sequence)
    return made


@contextmanager
def backdated(moment: datetime):
    """Record the events written inside as made at `moment`: for the demo's seed, which builds a year of history
    today. The chain's order stays the order of writing; only the time each event says it happened is earlier."""
    token = _backdated_to.set(moment)
    try:
        yield
    finally:
        _backdated_to.reset(token)


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


class Chain:
    """What the walk knows of one chain: its last event, how many it read, and its first break."""

    def __init__(self, name: str):
        self.name = name
        self.count = 0
        self.sequence = 0
        self.hash = ""
        self.broken = ""
        self.anchors = dict(AuditAnchor.objects.filter(chain=name).values_list("sequence", "hash"))

    def check(self, event: AuditEvent, label: str) -> None:
        """Take the next event; note the first thing wrong with the chain and stop checking it after that."""
        self.count += 1
        if self.broken:
            return
        where = f"event {event.sequence} (id {event.pk}, {event.action})"
        if event.sequence != self.sequence + 1:
            gone = f"event {self.sequence + 1} is" if event.sequence == self.sequence + 2 else "events are"
            self.broken = f"{where}: {gone} missing before it (the last one read was {self.sequence})"
        elif event.previous_hash != self.hash:
            self.broken = f"{where}: its link does not match the hash of event {self.sequence} before it"
        elif event_hash(event, label) != event.hash:
            self.broken = f"{where}: its content does not match its hash (changed after it was written)"
        elif event.sequence in self.anchors and self.anchors[event.sequence] != event.hash:
            self.broken = f"{where}: it does not match the head kept for this place (the chain was rewritten)"
        self.sequence, self.hash = event.sequence, event.hash

    def finish(self, head: AuditChainHead | None) -> None:
        """Check that the chain ends where its head says and that no kept head lies beyond its end."""
        if self.broken:
            return
        if head is None:
            self.broken = "the chain has no head"
        elif (head.sequence, head.hash) != (self.sequence, self.hash):
            self.broken = (
                f"the chain ends at event {self.sequence} but its head says {head.sequence}: "
                "events were removed from its end, or added without the head"
            )
        elif self.anchors and max(self.anchors) > self.sequence:
            self.broken = f"a head was kept at event {max(self.anchors)}, beyond the chain's end"
