"""Demo data for the risk register of the demo partnership QZZ: the board's appetite in each domain (and a domain of
its own, digital and cyber security), and 22 risks at partnership, work-stream and organisation level with a year
of reviews. Some sit above appetite, some are escalated to the board, four reviews are overdue, and the radiographer
vacancies risk, linked to the approved community diagnostic centre, rose above tolerance six days ago, so that
decision shows "review suggested".

Called at the end of `governance/demo.py: seed()`, after the decisions. Everything goes through the services, so the
register has its score history and audit trail (its events recorded as at the day each step happened: the audit
trail's events cannot be changed afterwards); then the register's dates are moved back to match. Running
it again changes nothing: each risk is looked up by its title.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.audit import backdated
from partnerships.models import Membership, Organisation, Partnership
from workstreams.models import Action, WorkStream

from ..models import Decision, Risk, RiskDomain, RiskReview, RiskScoreChange, RiskTier, add_months
from ..selectors.risks import decisions_review_suggested
from ..services.risk_register import risk_appetite_set, risk_domain_create
from ..services.risk_reviews import risk_review
from ..services.risks import risk_raise
from .risk_specs import CYBER, RISKS, Spec

User = get_user_model()
CODE = "QZZ"

# domain, level, tolerance, statement
APPETITE = [
    ("Safety", "averse", 6, "We will not accept risks that could cause avoidable harm to patients or staff."),
    (
        "Quality",
        "minimal",
        8,
        "We accept little risk to the quality of care, and only for a clear benefit to patients.",
    ),
    ("Workforce", "cautious", 12, "We will try new ways of working where staff are supported and safe."),
    ("Statutory and regulatory", "minimal", 6, "We meet our legal duties; we do not test them."),
    ("Reputation", "cautious", 10, "We will make changes the public may question if we have listened and can explain."),
    ("Finance", "cautious", 12, "We will invest to save where the evidence is good, within the system's budget."),
    ("Service delivery", "open", 12, "We will change how services run to improve them, accepting some disruption."),
    ("Partnership and governance", "open", 15, "We will take decisions together before every detail is settled."),
    (CYBER, "minimal", 8, "We protect patients' data; we accept little risk to it."),
]


def seed(stdout) -> None:
    partnership = Partnership.objects.filter(code=CODE).first()
    if partnership is None:
        stdout.write("Risks: skipped, the demo partnership QZZ is not there.")
        return
    people = {user.username: user for user in User.objects.filter(partnershiprole__content_object=partnership)}
    if not {"lead", *(spec.owner for spec in RISKS)} <= set(people):
        stdout.write("Risks: skipped, QZZ lacks the demo people.")
        return
    defaults = set(RiskDomain.objects.filter(partnership=None).values_list("name", flat=True))
    if not {name for name, *_ in APPETITE if name != CYBER} <= defaults:
        stdout.write("Risks: skipped, the eight default risk domains are missing (`manage.py migrate` adds them).")
        return
    with transaction.atomic():
        _appetite(partnership, people["lead"])
        made = [spec.title for spec in RISKS if _make(partnership, people, spec)]
    count = Risk.objects.filter(partnership=partnership).count()
    flagged = decisions_review_suggested(partnership).count()
    stdout.write(f"Risks: {count} in QZZ ({len(made)} new); {flagged} decision(s) with a review suggested.")


def _appetite(partnership: Partnership, lead) -> None:
    if not RiskDomain.objects.filter(partnership=partnership, name=CYBER).exists():
        risk_domain_create(
            actor=lead,
            partnership=partnership,
            name=CYBER,
            description="Attacks on systems, loss of data, and failures of shared digital services.",
        )
    domains = {domain.name: domain for domain in RiskDomain.objects.for_partnership(partnership)}
    for name, level, tolerance, statement in APPETITE:
        risk_appetite_set(
            actor=lead,
            partnership=partnership,
            domain=domains[name],
            level=level,
            tolerance=tolerance,
            statement=statement,
        )


def _at(days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(11, 0)))


def _make(partnership: Partnership, people: dict, spec: Spec) -> bool:
    if Risk.objects.filter(partnership=partnership, title=spec.title).exists():
        return False
    owner = people[spec.owner]
    (raised_days, likelihood, consequence, _), *reviews = spec.history
    links = {}
    if spec.tier == RiskTier.WORKSTREAM:
        links["workstream"] = WorkStream.objects.get(partnership=partnership, name=spec.where)
    if spec.tier == RiskTier.ORGANISATION:
        links["organisation"] = Organisation.objects.get(
            ods_code=spec.where, pk__in=Membership.objects.filter(partnership=partnership).values("organisation_id")
        )
    actions = [
        Action.objects.open().filter(partnership=partnership, description__startswith=start).order_by("due_on").first()
        for start in spec.actions
    ]
    with backdated(_at(raised_days)):
        risk = risk_raise(
            actor=owner,
            partnership=partnership,
            title=spec.title,
            cause=spec.cause,
            event=spec.event,
            effect=spec.effect,
            domain=RiskDomain.objects.for_partnership(partnership).get(name=spec.domain),
            owner=owner,
            overseen_by=spec.overseen_by,
            objective=spec.objective,
            likelihood=likelihood,
            consequence=consequence,
            target_likelihood=spec.target[0],
            target_consequence=spec.target[1],
            tier=spec.tier,
            source=spec.source,
            controls=spec.controls,
            assurances=spec.assurances,
            control_gaps=spec.control_gaps,
            assurance_gaps=spec.assurance_gaps,
            target_on=timezone.localdate() + timedelta(days=270),
            review_every=spec.every,
            actions=[action for action in actions if action is not None],
            decisions=list(Decision.objects.filter(partnership=partnership, title__in=spec.decisions)),
            **links,
        )
    _move_back(risk, raised_days)
    for days_ago, likelihood, consequence, note in reviews:
        with backdated(_at(days_ago)):
            review = risk_review(
                actor=owner,
                risk=risk,
                likelihood=likelihood,
                consequence=consequence,
                note=note,
                reviewed_on=timezone.localdate() - timedelta(days=days_ago),
            )
        _move_review_back(review, days_ago)
    return True


def _move_back(risk: Risk, days_ago: int) -> None:
    """As if it had been raised `days_ago`: the register's dates and its first assessment."""
    moment = _at(days_ago)
    Risk.objects.filter(pk=risk.pk).update(
        created_at=moment, next_review_on=add_months(moment.date(), risk.review_every)
    )
    RiskScoreChange.objects.filter(risk=risk).update(changed_on=moment.date(), recorded_at=moment)
    risk.created_at = moment


def _move_review_back(review: RiskReview, days_ago: int) -> None:
    moment = _at(days_ago)
    RiskReview.objects.filter(pk=review.pk).update(recorded_at=moment)
    RiskScoreChange.objects.filter(review=review).update(recorded_at=moment)
