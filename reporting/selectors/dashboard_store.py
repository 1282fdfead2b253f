"""The partnership dashboard from stored figures: each section's figures are built once and kept in the cache (Redis
in production, a folder every process shares on the embedded default), until something they count changes or the
day turns.

What tells a stored section that it is stale is the partnership's audit chain, which every change to what the
partnership's dashboard shows already extends in the change's own transaction (core/audit.py;
tests/test_admin_audit.py fails when a write leaves no event; a shared organisation's change, or a person's renamed in
the admin, is recorded in every partnership that lists them). Each stored section carries the chain's head as it was
read *before* the section was built. A view reads the head (one row, by its unique key); when it has moved on, one
query lists the apps whose records the new events are about, and only the sections that count those apps' records
are built again; the others are stored again under the new head unchanged. A change committed while a section was
being built leaves that section stamped with the older head, so the next view builds it once more: work repeated,
never a stale figure. A write that records no event (a bulk load outside
the services) is not seen until the day turns or the cache is cleared.

The day is in the key, so figures that depend on the date (overdue, days waiting, the last 30 days, the twelve
months of trends) roll over at midnight; the partnership's `cache_identity` is too, so a database rebuilt from
scratch (a new demo, a restored backup) never meets the figures of the one before.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from core.audit import chain_length, chain_of
from core.models import AuditEvent
from partnerships.models import Partnership

from ..charts import trend_charts
from .dashboard import (
    PartnershipDashboard,
    action_figures,
    engagement_figures,
    health_figures,
    risk_figures,
    workstream_figures,
)
from .dashboard_decisions import decision_figures
from .dashboard_trends import trends

# Kept for a day at most: the key changes at midnight anyway.
TIMEOUT = 24 * 60 * 60
# Bump when a section's figures change shape, so that stored ones of the old shape are never read.
VERSION = 2


@dataclass(frozen=True)
class Section:
    """One section of the dashboard: how its figures are built, and the apps whose records they count."""

    name: str
    build: Callable[[Partnership, date, dict[str, Any]], Any]  # (partnership, today, sections built so far)
    counts: frozenset[str]


def _trends(partnership: Partnership, today: date, built: dict[str, Any]) -> dict[str, Any]:
    figures = trends(partnership, today, built["risks"].heat_map.settings)
    return {"figures": figures, "charts": trend_charts(figures)}


# In the order they are built: the trends read the risk settings the risk section has just read. An app's records
# count in a section when the section's queries read them: names of work-streams, organisations and people included.
SECTIONS = [
    Section("workstreams", lambda p, today, _: workstream_figures(p), frozenset({"workstreams", "core"})),
    Section(
        "actions",
        lambda p, today, _: action_figures(p, today),
        frozenset({"workstreams", "partnerships"}),
    ),
    Section(
        "decisions",
        lambda p, today, _: decision_figures(p, today),
        frozenset({"governance", "partnerships", "core"}),
    ),
    Section("risks", lambda p, today, _: risk_figures(p, today), frozenset({"governance"})),
    Section(
        "engagement",
        lambda p, today, _: engagement_figures(p, today),
        frozenset({"engagement", "workstreams", "partnerships"}),
    ),
    Section(
        "health",
        lambda p, today, _: health_figures(p, today),
        frozenset({"governance", "workstreams", "partnerships", "core"}),
    ),
    Section("trends", _trends, frozenset({"workstreams", "governance"})),
]


@dataclass
class Stored:
    """A section's figures, the partnership's chain's head they are current at, and the head they were built at."""

    sequence: int
    figures: Any
    built: int


@dataclass
class StoredDashboard:
    """The dashboard's figures, with the charts drawn from its trends, which sections this read built afresh, and a
    name for each section's figures as built (`versions`), which changes whenever they are built again: what the
    page keys the stored HTML of a section on."""

    dashboard: PartnershipDashboard
    charts: dict
    rebuilt: list[str]
    versions: dict[str, str]


def _key(partnership: Partnership, today: date, section: str) -> str:
    return f"dashboard:{VERSION}:{partnership.cache_identity}:{today.isoformat()}:{section}"


def _apps_changed_since(chain: str, sequence: int) -> set[str]:
    """The apps whose records the chain's events after `sequence` are about: one query."""
    events = AuditEvent.objects.filter(chain=chain, sequence__gt=sequence)
    return set(events.values_list("target_type__app_label", flat=True).distinct().order_by())


def stored_dashboard(partnership: Partnership, *, today: date | None = None) -> StoredDashboard:
    """Every figure of the partnership's dashboard, from the cache where it is current and built where it is not.
    One query when nothing has changed (the chain's head); one more, and the stale sections' own, after a change."""
    today = today or timezone.localdate()
    chain = chain_of(partnership.pk)
    head = chain_length(partnership.pk)  # before building: a change committed meanwhile makes the next read build again
    keys = {section.name: _key(partnership, today, section.name) for section in SECTIONS}
    found: dict[str, Stored] = cache.get_many(keys.values())
    stored = {name: found.get(key) for name, key in keys.items()}
    behind = [each.sequence for each in stored.values() if each is not None and each.sequence != head]
    ahead = any(sequence > head for sequence in behind)  # a database rebuilt under the cache
    changed = _apps_changed_since(chain, min(behind)) if behind and not ahead else set()

    built: dict[str, Any] = {}
    rebuilt: list[str] = []
    to_store: dict[str, Stored] = {}
    versions: dict[str, str] = {}
    for section in SECTIONS:
        each = stored[section.name]
        if each is None or (each.sequence != head and (ahead or section.counts & changed)):
            each = Stored(head, section.build(partnership, today, built), built=head)
            rebuilt.append(section.name)
            to_store[keys[section.name]] = each
        elif each.sequence != head:  # nothing it counts has changed: the same figures, under the new head
            each = Stored(head, each.figures, built=each.built)
            to_store[keys[section.name]] = each
        built[section.name] = each.figures
        versions[section.name] = f"{keys[section.name]}@{each.built}"
    if to_store:
        cache.set_many(to_store, TIMEOUT)

    trend = built["trends"]
    dashboard = PartnershipDashboard(
        partnership=partnership,
        today=today,
        workstreams=built["workstreams"],
        actions=built["actions"],
        decisions=built["decisions"],
        risks=built["risks"],
        engagement=built["engagement"],
        health=built["health"],
        trends=trend["figures"],
    )
    return StoredDashboard(dashboard=dashboard, charts=trend["charts"], rebuilt=rebuilt, versions=versions)
