"""How the audit history reads. The stored `changes` keep ids and codes, as an audit record should; a reader sees
choice codes as their labels and related records' ids as their names, with links, resolved for a whole history in
one query per related model (`present_history`).

A related record is named only where the reader may already see it: it belongs to the page's partnership, or to
none (a person, an organisation, one of the eight default risk domains). A model some of a partnership may not read
in full (confidential decisions) is registered by its app with `register_readable`: the rule that says who reads
which, and what the others are shown instead. Core depends on no app, so the apps tell it.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst

from .models import AuditEvent


@dataclass(frozen=True)
class Shown:
    """One value as the reader sees it, with a link where they may follow it."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class ShownChange:
    """One changed field: its label, and the values before and after (empty for none)."""

    label: str
    before: tuple[Shown, ...]
    after: tuple[Shown, ...]


@dataclass(frozen=True)
class _ReadRule:
    readable_by: Callable  # (user) -> QuerySet of the records they may read in full
    redacted: Callable  # (record) -> str, what the others may know of it


_RULES: dict[type[models.Model], _ReadRule] = {}
_NOT_SHOWN = Shown("a record you cannot see")
_GONE = Shown("a record since deleted")


def register_readable(model: type[models.Model], *, readable_by: Callable, redacted: Callable) -> None:
    """Name `model`'s records in histories only to the readers `readable_by(user)` includes; the others see
    `redacted(record)`. Called from the app's `AppConfig.ready`."""
    _RULES[model] = _ReadRule(readable_by, redacted)


def present_history(events: Iterable[AuditEvent], *, reader, partnership_id: int | None) -> list[AuditEvent]:
    """The events, each given `shown_changes` (a list of `ShownChange`) for `reader` on a page of the partnership
    `partnership_id`. One query per related model named in the whole list, two for a registered one."""
    events = list(events)
    planned = [(event, _plan(event)) for event in events]
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for _event, plan in planned:
        for _name, field, pair in plan:
            model = _related_model(field)
            if model is not None:
                for value in pair:
                    wanted[model].update(_ids(value))
    names = {model: _names(model, ids, reader=reader, partnership_id=partnership_id) for model, ids in wanted.items()}
    for event, plan in planned:
        event.shown_changes = [
            ShownChange(
                label=capfirst(field.verbose_name) if field is not None else capfirst(name.replace("_", " ")),
                before=_shown(field, pair[0], names),
                after=_shown(field, pair[1], names),
            )
            for name, field, pair in plan
            if not (_is_empty(pair[0]) and _is_empty(pair[1]))
        ]
    return events


def shown_records(model_label: str, ids: Iterable[int], *, reader, partnership_id: int | None) -> dict[int, Shown]:
    """The records of `model_label` ("app.Model") named for `reader`, by id, in one query (two for a registered
    model): for a plain id a lower app keeps where a foreign key to a higher one cannot be (a work-stream's board
    decision). Ids of deleted records are missing."""
    return _names(apps.get_model(model_label), set(ids), reader=reader, partnership_id=partnership_id)


def field_label(model: type[models.Model], name: str) -> str:
    """The label a history gives `model`'s field `name`."""
    return capfirst(model._meta.get_field(name).verbose_name)


def shown_value(model: type[models.Model], name: str, value) -> str:
    """A stored value of `model`'s (not related) field `name` in words, as a history shows it; "" for none."""
    return "" if _is_empty(value) else _text(model._meta.get_field(name), value)


def _plan(event: AuditEvent) -> list[tuple[str, models.Field | None, list]]:
    """Each change of the event with the target model's field it names (None for a name that is no field)."""
    model = ContentType.objects.get_for_id(event.target_type_id).model_class()
    plan = []
    for name, pair in (event.changes or {}).items():
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            pair = [None, pair]
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            field = None
        if field is not None and not hasattr(field, "verbose_name"):  # a reverse relation: read as plain values
            field = None
        plan.append((name, field, list(pair)))
    return plan


def _related_model(field) -> type[models.Model] | None:
    if field is None or not field.is_relation or field.related_model is None:
        return None
    return field.related_model if (field.many_to_one or field.one_to_one or field.many_to_many) else None


def _ids(value) -> list[int]:
    values = value if isinstance(value, list | tuple) else [value]
    return [item for item in values if isinstance(item, int) and not isinstance(item, bool)]


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _names(model, ids: set[int], *, reader, partnership_id) -> dict[int, Shown]:
    """`Shown` for each record that still exists: its name and link if the reader may see it, else what they may
    know of it."""
    records = model._base_manager.filter(pk__in=ids)
    if any(field.name == "partnership" and field.many_to_one for field in model._meta.get_fields()):
        records = records.select_related("partnership")
    rule = _RULES.get(model)
    readable = set(rule.readable_by(reader).filter(pk__in=ids).values_list("pk", flat=True)) if rule else None
    shown = {}
    for record in records:
        owner = getattr(record, "partnership_id", None)
        if owner is not None and owner != partnership_id:
            shown[record.pk] = _NOT_SHOWN
        elif readable is not None and record.pk not in readable:
            shown[record.pk] = Shown(rule.redacted(record))
        else:
            url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
            if url.startswith("/api/"):  # a page links to pages, not to the API's JSON (one of the default domains)
                url = ""
            shown[record.pk] = Shown(getattr(record, "display_name", None) or str(record), url)
    return shown


def _shown(field, value, names: dict) -> tuple[Shown, ...]:
    if _is_empty(value):
        return ()
    model = _related_model(field)
    if model is not None:
        return tuple(names.get(model, {}).get(pk, _GONE) for pk in _ids(value))
    values = value if isinstance(value, list | tuple) else [value]
    return tuple(Shown(_text(field, item)) for item in values)


def _text(field, value) -> str:
    """A stored value in words: a choice's label, Yes or No, a date as NHS.UK writes it, 250,000 for 250000.00."""
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return formats.date_format(moment, "j F Y, H:i")
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return formats.date_format(date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    if isinstance(field, models.DecimalField) and isinstance(value, str | int | float):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)
