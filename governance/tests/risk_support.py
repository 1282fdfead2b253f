"""Building blocks for the risk tests: domains, appetite, a work-stream with its lead, and risks at a given score."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from governance.models import Risk, RiskDomain, RiskScoreChange, RiskTier
from governance.services.risk_register import risk_appetite_set, risk_settings_update
from governance.services.risk_reviews import risk_review
from governance.services.risks import risk_raise
from tests.factories import ProfileFactory, UserFactory, grant
from workstreams.models import WorkStream, WorkStreamStatus
from workstreams.services.groups import make_group_lead


def domain(name: str = "Finance") -> RiskDomain:
    """One of the eight default domains. A transactional test (browser, concurrency) empties the tables it ran on,
    the data migration's domains among them, so the next one puts them back."""
    found = RiskDomain.objects.filter(partnership=None, name=name).first()
    if found is None:
        import_module("governance.migrations.0002_default_risk_domains").add_defaults(apps, None)
        found = RiskDomain.objects.get(partnership=None, name=name)
    return found


def set_appetite(world, name: str = "Finance", *, tolerance: int = 8, level: str = "cautious"):
    appetite, _ = risk_appetite_set(
        actor=world.lead, partnership=world.partnership, domain=domain(name), level=level, tolerance=tolerance
    )
    return appetite


def set_matrix(world, **fields):
    return risk_settings_update(actor=world.lead, partnership=world.partnership, **fields)


def workstream_with_lead(world, *, name: str = "Diabetes", username: str = "wslead"):
    """An active work-stream whose group is led by a new person with the member role in the partnership."""
    from partnerships.models import Role

    lead = UserFactory(username=username, first_name="Wendy", last_name="Stream")
    ProfileFactory(user=lead, organisation=world.council, job_title="Programme director")
    grant(lead, world.partnership, Role.MEMBER)
    workstream = WorkStream.objects.create(
        partnership=world.partnership,
        name=name,
        purpose="Prevent type 2 diabetes and help people living with it stay well.",
        status=WorkStreamStatus.ACTIVE,
    )
    make_group_lead(workstream, lead)
    return workstream, lead


def raise_risk(
    world,
    *,
    likelihood=3,
    consequence=3,
    actor=None,
    owner=None,
    title="Community nursing vacancies",
    domain_name="Finance",
    target=(1, 1),
    **fields,
) -> Risk:
    values = {
        "title": title,
        "cause": "Too few community nurses are being trained locally.",
        "event": "District nursing teams cannot cover every visit.",
        "effect": "Missed care at home and avoidable admissions.",
        "domain": domain(domain_name),
        "owner": owner or world.member,
        "overseen_by": "Partnership board",
        "objective": "Care closer to home",
        "likelihood": likelihood,
        "consequence": consequence,
        "target_likelihood": target[0],
        "target_consequence": target[1],
        "tier": RiskTier.PARTNERSHIP,
    }
    values.update(fields)
    return risk_raise(actor=actor or world.member, partnership=world.partnership, **values)


def review(world, risk: Risk, likelihood: int, consequence: int, *, actor=None, note="Reviewed at the board.", **kw):
    return risk_review(
        actor=actor or world.lead, risk=risk, likelihood=likelihood, consequence=consequence, note=note, **kw
    )


def backdate(risk: Risk, days: int) -> Risk:
    """Move the risk's raising (and its first assessment) `days` into the past, as if it had been on the register."""
    moment = timezone.now() - timedelta(days=days)
    Risk.objects.filter(pk=risk.pk).update(created_at=moment)
    RiskScoreChange.objects.filter(risk=risk, previous_score__isnull=True).update(changed_on=moment.date())
    risk.refresh_from_db()
    return risk
