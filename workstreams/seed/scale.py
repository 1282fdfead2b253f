"""National-scale work-streams for benchmarks (`manage.py seed_scale`), after partnerships/scale.py has made the
partnerships and their people: for every partnership, about 50 work-streams with their groups, five years of
meetings (about 1,500, with agenda items, attendance and approved minutes), about 15,000 actions with progress
notes, and quarterly highlight reports. `scale` multiplies every count.

Rows are generated in memory one partnership at a time and written with bulk inserts in batches, so memory stays
flat however large the scale. A partnership that already has work-streams is left alone, so running it again adds
nothing. No audit records: this is benchmark data, not history anyone made.
"""

import random

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from partnerships.models import Partnership, PartnershipRole, Role

from ..models import GroupRole, WorkStream
from .scale_partnership import ACTIONS, BATCH_SIZE, MEETINGS, WORKSTREAMS, YEARS, PartnershipRows, count_at


def seed(*, scale: float, random_seed: int, progress, stdout) -> None:
    """Build the work-streams data for every partnership that has people and no work-streams yet."""
    rng = random.Random(random_seed)
    partnerships = list(
        Partnership.objects.filter(role_grants__isnull=False).exclude(workstreams__isnull=False).distinct()
    )
    if not partnerships:
        stdout.write("Work-streams: every partnership has its work-streams already (or has no people): nothing to do.")
        return
    people = _people(partnerships)
    permissions = _permissions()
    bars = _Bars(progress, len(partnerships), scale)
    today = timezone.localdate()
    with transaction.atomic():
        for partnership in partnerships:
            PartnershipRows(partnership, people[partnership.pk], permissions, scale, rng, today, bars).build()
    bars.close()
    stdout.write(
        f"Work-streams: {bars.written['Work-streams']} work-streams, {bars.written['Meetings']} meetings and "
        f"{bars.written['Actions']} actions in {len(partnerships)} partnerships."
    )


def _people(partnerships) -> dict[int, dict[str, list]]:
    """Each partnership's people by role: (user id, organisation id, is clinician), in id order for repeatability."""
    grants = (
        PartnershipRole.objects.filter(content_object__in=partnerships, permission__codename__in=Role.values)
        .values_list(
            "content_object_id",
            "permission__codename",
            "user_id",
            "user__profile__organisation_id",
            "user__profile__is_clinician",
        )
        .order_by("pk")
    )
    people: dict[int, dict[str, list]] = {partnership.pk: {} for partnership in partnerships}
    for partnership_id, role, user_id, organisation_id, clinician in grants:
        people[partnership_id].setdefault(role, []).append((user_id, organisation_id, bool(clinician)))
    return people


def _permissions() -> dict[str, Permission]:
    content_type = ContentType.objects.get_for_model(WorkStream)
    codenames = [role.codename for role in GroupRole]
    return {p.codename: p for p in Permission.objects.filter(content_type=content_type, codename__in=codenames)}


class _Bars:
    """One progress bar per kind of row, with totals estimated for all partnerships at this scale."""

    ESTIMATES = {
        "Work-streams": WORKSTREAMS,
        "Group members": WORKSTREAMS * 8,
        "Meetings": MEETINGS,
        "Agenda items": MEETINGS * 4,
        "Attendance": MEETINGS * 9,
        "Minutes versions": MEETINGS,
        "Actions": ACTIONS,
        "Action notes": ACTIONS * 1.5,
        "Highlight reports": WORKSTREAMS * YEARS * 4,
    }

    def __init__(self, progress, partnerships: int, scale: float):
        self.bars = {
            name: progress(count_at(estimate * partnerships, scale), name) for name, estimate in self.ESTIMATES.items()
        }
        self.written = dict.fromkeys(self.ESTIMATES, 0)

    def insert(self, name: str, model, rows: list) -> list:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            model.objects.bulk_create(batch)
            if name in self.bars:
                self.bars[name].update(len(batch))
                self.written[name] += len(batch)
        return rows

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
