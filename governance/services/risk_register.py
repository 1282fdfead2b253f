"""How a partnership scores its risks, set by its lead: the bands and escalation score, the board's appetite in
each domain, and the partnership's own risk domains."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record, changes_between, snapshot
from core.services import full_clean, person, require_text
from partnerships.access import Action, authorize
from partnerships.models import Partnership

from ..models import RiskAppetite, RiskDomain, RiskSettings
from ._common import settings_update

SETTINGS_FIELDS = ["low_max", "moderate_max", "high_max", "escalation_score"]
APPETITE_FIELDS = ["level", "tolerance", "statement"]


@transaction.atomic
def risk_settings_update(*, actor, partnership: Partnership, **fields) -> RiskSettings:
    """Set where each band ends and the escalation score (lead only). Bands and escalation are worked out from the
    scores whenever they are read, so the register, heat map and board list follow the change at once."""
    return settings_update(
        RiskSettings,
        actor=actor,
        partnership=partnership,
        fields=fields,
        allowed=SETTINGS_FIELDS,
        action="risk_settings.updated",
        summary=f"{actor} changed how {partnership.name} scores risks",
    )


@transaction.atomic
def risk_appetite_set(
    *, actor, partnership: Partnership, domain: RiskDomain, level: str, tolerance: int, statement: str = ""
) -> tuple[RiskAppetite, bool]:
    """Set the board's appetite for one domain: a level and the highest score it tolerates (lead only). Returns
    the appetite and whether it was new. Risks above it are flagged as soon as it is saved."""
    authorize(actor, partnership, Action.MANAGE)
    if domain is None or domain.partnership_id not in (None, partnership.pk):
        raise ValidationError({"domain": "Choose a risk domain of this partnership."})
    appetite = RiskAppetite.objects.select_for_update().filter(partnership=partnership, domain=domain).first()
    created = appetite is None
    if created:
        appetite = RiskAppetite(partnership=partnership, domain=domain)
    before = {} if created else snapshot(appetite, APPETITE_FIELDS)
    appetite.level, appetite.tolerance, appetite.statement = level, tolerance, (statement or "").strip()
    appetite.set_by = person(actor)
    full_clean(appetite)
    appetite.save()
    changes = changes_between(before, snapshot(appetite, APPETITE_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="risk_appetite.set",
            target=appetite,
            summary=f"{actor} set the appetite for {domain.name.lower()} risks: "
            f"{appetite.get_level_display().lower()}, tolerance {appetite.tolerance}",
            changes=changes,
            partnership_id=partnership.pk,
        )
    return appetite, created


@transaction.atomic
def risk_domain_create(*, actor, partnership: Partnership, name: str, description: str = "") -> RiskDomain:
    """Add a risk domain of the partnership's own, beside the eight every partnership has (lead only)."""
    authorize(actor, partnership, Action.MANAGE)
    name = require_text(name, field="name", message="Enter the name of the risk domain.")
    if RiskDomain.objects.for_partnership(partnership).filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a risk domain called {name}."})
    domain = RiskDomain(partnership=partnership, name=name, description=(description or "").strip())
    full_clean(domain)
    domain.save()
    audit_record(
        actor=actor,
        action="risk_domain.created",
        target=domain,
        summary=f"{actor} added the risk domain {domain.name}",
        changes=changes_between({}, snapshot(domain, ["name", "description"])),
        partnership_id=partnership.pk,
    )
    return domain
