"""How the history pages, their CSV export and `/api/v1/audit-events/` present the audit trail. Who reads which
events is `access.audit_events_visible_to`.

A change to a shared record (an organisation, a delegation, an affiliation) is recorded once in the history of each
partnership that lists the organisation (`services._common.audit_shared`); the organisation's own history shows one
of those copies.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import capfirst

from core.audit import target_label
from core.history import Shown, present_history
from core.models import AuditEvent

from ..access import events_about_organisations
from ..models import Organisation, Partnership

# Copies of one change, recorded for each partnership in the same transaction, fall within this of each other.
_COPIES_WITHIN = timedelta(seconds=1)
# The event's place in its partnership's chain (docs/adr/0017) and the request that made it, for the export.
CHAIN_FIELDS = ("sequence", "request_id")


def _events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor", "target_type")


def partnership_events(partnership: Partnership) -> QuerySet[AuditEvent]:
    """Every event in the partnership's history, newest first: for its lead, whom the view has checked."""
    return _events().filter(partnership_id=partnership.pk)


def organisation_events(organisation: Organisation) -> QuerySet[AuditEvent]:
    """The changes to the organisation and its records, newest first, each change once (not once per partnership
    that lists it): for its administrators, whom the view has checked."""
    copies = AuditEvent.objects.filter(
        target_type=OuterRef("target_type"),
        target_id=OuterRef("target_id"),
        action=OuterRef("action"),
        summary=OuterRef("summary"),
        pk__lt=OuterRef("pk"),
        at__gte=ExpressionWrapper(OuterRef("at") - _COPIES_WITHIN, output_field=DateTimeField()),
    )
    return _events().filter(events_about_organisations([organisation.pk])).exclude(Exists(copies))


def with_partnership_codes(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """Each event with `partnership_code`, in the list's own query rather than one per event."""
    codes = Partnership.objects.filter(pk=OuterRef("partnership_id")).values("code")[:1]
    return events.annotate(partnership_code=Subquery(codes))


# --- Filters' choices ----------------------------------------------------------------------------------------------


def people_in_events(events: QuerySet[AuditEvent]) -> QuerySet:
    """The people who made at least one of the events: the history's "Person" filter."""
    return get_user_model().objects.filter(pk__in=events.values("actor_id")).order_by("first_name", "last_name")


def kind_of(content_type: ContentType) -> str:
    """A kind of record as a reader names it: "Decision", "Delegation"."""
    model = content_type.model_class()
    return capfirst(model._meta.verbose_name) if model else content_type.model


def kinds_in_events(events: QuerySet[AuditEvent]) -> list[tuple[str, str]]:
    """The kinds of record the events are about, as (value, label) by label: the "Kind of record" filter."""
    types = ContentType.objects.filter(pk__in=events.values("target_type_id"))
    return sorted(((target_label(content_type), kind_of(content_type)) for content_type in types), key=lambda c: c[1])


def content_type_named(value: str) -> ContentType | None:
    """The content type a filter names (`governance.decision`), or None for a name that is none."""
    app_label, _, model = value.partition(".")
    try:
        return ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return None


# --- Presenting a page of events -----------------------------------------------------------------------------------


def with_records(events: Iterable[AuditEvent], *, reader, partnership_id: int) -> list[AuditEvent]:
    """The events of a partnership's history, each with `kind` (what kind of record), `record` (a `Shown`: its
    name, with a link to its page) and `shown_changes` (core.history). One query per kind of record on the page, not
    per event. A record of another partnership (a shared delegation) is named without a link; one since deleted is
    said to be. The reader is the lead or a service administrator, who read every record of the partnership,
    confidential decisions included: nothing is redacted."""
    events = present_history(events, reader=reader, partnership_id=partnership_id)
    ids: dict[ContentType, set[int]] = defaultdict(set)
    for event in events:
        ids[event.target_type].add(event.target_id)
    shown = {content_type: _shown_targets(content_type, wanted, partnership_id) for content_type, wanted in ids.items()}
    for event in events:
        event.kind = kind_of(event.target_type)
        event.record = shown[event.target_type].get(event.target_id, Shown(f"{event.kind} (since deleted)"))
    return events


def _shown_targets(content_type: ContentType, ids: set[int], partnership_id: int) -> dict[int, Shown]:
    """The records of one kind, by id, named (their own name needs only their foreign keys, fetched in the same
    query) and linked where they belong to the partnership or to none."""
    model = content_type.model_class()
    if model is None:
        return {}
    related = [field.name for field in model._meta.concrete_fields if field.many_to_one]
    shown = {}
    for record in model._base_manager.filter(pk__in=ids).select_related(*related):
        owner = getattr(record, "partnership_id", None)
        if owner is not None and owner != partnership_id:
            shown[record.pk] = Shown("a record you cannot see")
            continue
        url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
        shown[record.pk] = Shown(
            getattr(record, "display_name", None) or str(record), "" if url.startswith("/api/") else url
        )
    return shown


def organisation_records(events: Iterable[AuditEvent], *, reader, organisation: Organisation) -> list[AuditEvent]:
    """The events of an organisation's history, each with `kind`, `record` and `shown_changes`: the organisation
    itself links to its page; its other records (delegations, memberships, people) are named by the summary, and
    in the changes only records of no partnership (people, organisations) are named."""
    events = present_history(events, reader=reader, partnership_id=None)
    for event in events:
        event.kind = kind_of(event.target_type)
        is_organisation = event.target_type.model_class() is Organisation and event.target_id == organisation.pk
        event.record = Shown(organisation.name, organisation.get_absolute_url()) if is_organisation else None
    return events


EXPORT_HEADER = ["When", "Who", "Action", "Kind of record", "Record", "Summary", "Changes", "Reason", "Link"]


def export_rows(events: QuerySet[AuditEvent], *, reader, partnership_id: int, base_url: str) -> Iterator[list]:
    """The CSV's rows, presented 500 events at a time so a long history costs a few queries per 500 rows, and the
    chain's sequence and request id where the audit log records them."""
    chunk: list[AuditEvent] = []
    for event in events.iterator(chunk_size=500):
        chunk.append(event)
        if len(chunk) == 500:
            yield from _export_chunk(chunk, reader=reader, partnership_id=partnership_id, base_url=base_url)
            chunk = []
    yield from _export_chunk(chunk, reader=reader, partnership_id=partnership_id, base_url=base_url)


def _export_chunk(events, *, reader, partnership_id, base_url) -> Iterator[list]:
    for event in with_records(events, reader=reader, partnership_id=partnership_id):
        changes = "; ".join(
            f"{change.label}: {_texts(change.before)} → {_texts(change.after)}" for change in event.shown_changes
        )
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.actor.display_name if event.actor else "System",
            event.action,
            event.kind,
            event.record.text,
            event.summary,
            changes,
            event.reason,
            base_url + event.record.url if event.record.url else "",
            *(getattr(event, name) for name in CHAIN_FIELDS),
        ]


def export_header() -> list[str]:
    return EXPORT_HEADER + [capfirst(name.replace("_", " ")) for name in CHAIN_FIELDS]


def _texts(values) -> str:
    return ", ".join(value.text for value in values) or "(none)"
