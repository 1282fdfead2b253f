"""National-scale risk registers for benchmarks (`manage.py seed_scale`), after the decisions: for every partnership
about 500 risks raised over three years at every tier, each with its reviews and the score history they wrote, the
board's appetite in the eight domains, and links to open actions and approved decisions. `scale` multiplies the
count.

Rows are generated one partnership at a time and written with bulk inserts in batches. A partnership that already
has risks is left alone, so running it again adds nothing. No audit records: this is benchmark data, not history
anyone made.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from partnerships.access import ROLES_ALLOWED
from partnerships.access import Action as PartnershipAction
from partnerships.models import Membership, Partnership, PartnershipRole
from workstreams.models import Action, WorkStream

from ..models import (
    AppetiteLevel,
    Decision,
    DecisionStatus,
    ReviewFrequency,
    Risk,
    RiskAppetite,
    RiskDomain,
    RiskReview,
    RiskScoreChange,
    RiskSettings,
    RiskSource,
    RiskStatus,
    RiskTier,
    add_months,
)

BATCH_SIZE = 2000
RISKS = 500  # per partnership
YEARS = 3
TIERS = [(RiskTier.PARTNERSHIP, 30), (RiskTier.WORKSTREAM, 50), (RiskTier.ORGANISATION, 20)]
SUBJECTS = [
    ("Workforce gaps in", "community nursing"),
    ("Financial pressure on", "acute services"),
    ("Demand exceeding capacity in", "urgent care"),
    ("Data security of", "shared records"),
    ("Delays to", "the estates programme"),
    ("Quality concerns in", "care homes"),
    ("Regulatory findings at", "mental health wards"),
    ("Public opposition to", "service changes"),
    ("Supplier failure for", "patient transport"),
    ("Waiting times for", "diagnostics"),
]
APPETITE = {  # domain name: (level, tolerance)
    "Safety": (AppetiteLevel.AVERSE, 6),
    "Quality": (AppetiteLevel.MINIMAL, 8),
    "Workforce": (AppetiteLevel.CAUTIOUS, 12),
    "Statutory and regulatory": (AppetiteLevel.MINIMAL, 6),
    "Reputation": (AppetiteLevel.CAUTIOUS, 10),
    "Finance": (AppetiteLevel.CAUTIOUS, 12),
    "Service delivery": (AppetiteLevel.OPEN, 12),
    "Partnership and governance": (AppetiteLevel.OPEN, 15),
}
ESTIMATES = {"Risks": 1, "Reviews": 6, "Score history": 7, "Risk links": 0.5}


def count_at(base: float, scale: float) -> int:
    return max(1, round(base * scale))


def seed(*, scale: float, random_seed: int, progress, stdout) -> None:
    """Build a risk register for every partnership that has people and no risks yet."""
    rng = random.Random(random_seed)
    partnerships = list(
        Partnership.objects.filter(role_grants__isnull=False).exclude(risks__isnull=False).distinct().order_by("code")
    )
    if not partnerships:
        stdout.write("Risks: every partnership has its risk register already (or has no people): nothing to do.")
        return
    per_partnership = count_at(RISKS, scale)
    bars = {name: progress(round(per_partnership * len(partnerships) * size), name) for name, size in ESTIMATES.items()}
    written = defaultdict(int)
    with transaction.atomic():
        for partnership in partnerships:
            register = PartnershipRisks(partnership, per_partnership, rng, timezone.now())
            for name, model, objects in register.build():
                for start in range(0, len(objects), BATCH_SIZE):
                    batch = objects[start : start + BATCH_SIZE]
                    model.objects.bulk_create(batch)
                    bars[name].update(len(batch))
                    written[name] += len(batch)
                register.after_insert(name, objects)
    for bar in bars.values():
        bar.close()
    stdout.write(
        f"Risks: {written['Risks']} risks, {written['Reviews']} reviews, {written['Score history']} scores "
        f"in {len(partnerships)} partnerships."
    )


class PartnershipRisks:
    """One partnership's risk register, its reviews, score history and links, as lists of unsaved rows."""

    def __init__(self, partnership: Partnership, count: int, rng: random.Random, now: datetime):
        self.partnership, self.count, self.rng, self.now = partnership, count, rng, now
        self.today = timezone.localdate(now)
        self.people = list(
            PartnershipRole.objects.filter(
                content_object=partnership, permission__codename__in=ROLES_ALLOWED[PartnershipAction.CONTRIBUTE]
            )
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()
        )
        self.workstreams = list(
            WorkStream.objects.filter(partnership=partnership).order_by("pk").values_list("pk", "name")
        )
        self.organisations = list(
            Membership.objects.current()
            .filter(partnership=partnership)
            .order_by("organisation_id")
            .values_list("organisation_id", "organisation__name")
        )
        self.domains = list(RiskDomain.objects.filter(partnership__isnull=True).order_by("position"))
        self.actions = list(
            Action.objects.open().filter(partnership=partnership).order_by("pk").values_list("pk", flat=True)[:2000]
        )
        self.decisions = list(
            Decision.objects.filter(partnership=partnership, status=DecisionStatus.APPROVED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.risks: list[Risk] = []
        self.reviews: list[RiskReview] = []
        self.plans: dict[int, list] = {}  # position of the risk -> its assessments (day, likelihood, consequence)

    def build(self):
        """(progress bar name, model, rows) in the order they must be written."""
        settings, _ = RiskSettings.objects.get_or_create(partnership=self.partnership)
        self._appetite()
        if not self.people or not self.domains:
            return
        yield "Risks", Risk, self._risks()
        settings.last_number = len(self.risks)
        settings.save(update_fields=["last_number"])
        yield "Reviews", RiskReview, self._reviews()
        yield "Score history", RiskScoreChange, self._history()
        links = self._links()
        yield "Risk links", Risk.actions.through, links["actions"]
        yield "Risk links", Risk.decisions.through, links["decisions"]

    def after_insert(self, name: str, objects: list) -> None:
        if name == "Risks":
            # created_at is set on insert; the register runs over three years, so it is written again.
            Risk.objects.bulk_update(objects, ["created_at"], batch_size=BATCH_SIZE)

    def _appetite(self) -> None:
        have = set(RiskAppetite.objects.filter(partnership=self.partnership).values_list("domain_id", flat=True))
        RiskAppetite.objects.bulk_create(
            [
                RiskAppetite(
                    partnership=self.partnership,
                    domain=domain,
                    level=APPETITE[domain.name][0],
                    tolerance=APPETITE[domain.name][1],
                )
                for domain in self.domains
                if domain.name in APPETITE and domain.pk not in have
            ]
        )

    def _walk(self, value: int) -> int:
        return min(5, max(1, value + self.rng.choice([-1, 0, 0, 0, 1])))

    def _plan(self, raised: date, every: int, closed_on: date | None) -> list[tuple[date, int, int]]:
        """The first assessment and one per review, each a small step from the last."""
        likelihood, consequence = self.rng.randint(1, 5), self.rng.randint(2, 5)
        plan = [(raised, likelihood, consequence)]
        day = add_months(raised, every)
        last_day = closed_on or self.today
        while day <= last_day:
            likelihood, consequence = self._walk(likelihood), self._walk(consequence)
            plan.append((day, likelihood, consequence))
            day = add_months(day, every)
        if closed_on is None and len(plan) > 1 and self.rng.random() < 0.15:
            plan.pop()  # this review was missed: the risk is overdue
        return plan

    def _risks(self) -> list[Risk]:
        code = self.partnership.code
        tiers, weights = zip(*TIERS, strict=True)
        start = self.today - timedelta(days=365 * YEARS)
        raised_days = sorted(start + timedelta(days=self.rng.randrange(365 * YEARS)) for _ in range(self.count))
        for number, raised in enumerate(raised_days, start=1):
            tier = self.rng.choices(tiers, weights)[0]
            if tier == RiskTier.WORKSTREAM and not self.workstreams:
                tier = RiskTier.PARTNERSHIP
            if tier == RiskTier.ORGANISATION and not self.organisations:
                tier = RiskTier.PARTNERSHIP
            workstream = self.rng.choice(self.workstreams) if tier == RiskTier.WORKSTREAM else None
            organisation = self.rng.choice(self.organisations) if tier == RiskTier.ORGANISATION else None
            every = self.rng.choice(ReviewFrequency.values)
            closed_on = None
            if self.rng.random() < 0.15 and (self.today - raised).days > 60:
                closed_on = raised + timedelta(days=self.rng.randrange(30, (self.today - raised).days))
            plan = self._plan(raised, every, closed_on)
            first, last = plan[0], plan[-1]
            subject, about = self.rng.choice(SUBJECTS)
            where = workstream[1] if workstream else organisation[1] if organisation else "the partnership"
            risk = Risk(
                partnership=self.partnership,
                number=number,
                reference=f"{code}-R-{number:03d}",
                title=f"{subject} {about} ({where})",
                cause="Generated for benchmarks: what gives rise to the risk.",
                event="Generated for benchmarks: what could happen.",
                effect="Generated for benchmarks: the harm if it happens.",
                domain=self.rng.choice(self.domains),
                source=self.rng.choice([RiskSource.INTERNAL] * 3 + [RiskSource.EXTERNAL]),
                tier=tier,
                workstream_id=workstream[0] if workstream else None,
                organisation_id=organisation[0] if organisation else None,
                owner_id=self.rng.choice(self.people),
                overseen_by="Partnership board" if tier != RiskTier.WORKSTREAM else f"{where} group",
                objective="Generated for benchmarks: the objective it threatens.",
                controls="Monthly monitoring by the owner.",
                initial_likelihood=first[1],
                initial_consequence=first[2],
                current_likelihood=last[1],
                current_consequence=last[2],
                target_likelihood=max(1, min(first[1], last[1]) - 1),
                target_consequence=min(first[2], last[2]),
                target_on=raised + timedelta(days=365),
                review_every=every,
                next_review_on=add_months(last[0], every),
                last_reviewed_on=last[0] if len(plan) > 1 else None,
                status=RiskStatus.CLOSED if closed_on else RiskStatus.OPEN,
                closed_on=closed_on,
                closed_reason="Managed within business as usual." if closed_on else "",
                raised_by_id=self.rng.choice(self.people),
            )
            risk.created_at = timezone.make_aware(datetime.combine(raised, time(10, 0)))
            self.plans[len(self.risks)] = plan
            self.risks.append(risk)
        return self.risks

    def _reviews(self) -> list[RiskReview]:
        for position, risk in enumerate(self.risks):
            plan = self.plans[position]
            risk.reviews_made = []
            for (day, likelihood, consequence), before in zip(plan[1:], plan, strict=False):
                review = RiskReview(
                    risk_id=risk.pk,
                    reviewed_on=day,
                    reviewer_id=risk.owner_id,
                    likelihood=likelihood,
                    consequence=consequence,
                    previous_score=before[1] * before[2],
                    note="Reviewed by the owner with the group.",
                    next_review_on=add_months(day, risk.review_every),
                    recorded_at=timezone.make_aware(datetime.combine(day, time(15, 0))),
                )
                risk.reviews_made.append(review)
                self.reviews.append(review)
        return self.reviews

    def _history(self) -> list[RiskScoreChange]:
        history = []
        for position, risk in enumerate(self.risks):
            raised, likelihood, consequence = self.plans[position][0]
            history.append(
                RiskScoreChange(
                    risk_id=risk.pk,
                    changed_on=raised,
                    recorded_at=risk.created_at,
                    changed_by_id=risk.raised_by_id,
                    likelihood=likelihood,
                    consequence=consequence,
                    reason="Raised: the first assessment.",
                )
            )
            for review in risk.reviews_made:
                history.append(
                    RiskScoreChange(
                        risk_id=risk.pk,
                        changed_on=review.reviewed_on,
                        recorded_at=review.recorded_at,
                        changed_by_id=review.reviewer_id,
                        likelihood=review.likelihood,
                        consequence=review.consequence,
                        previous_score=review.previous_score,
                        reason=review.note,
                        review_id=review.pk,
                    )
                )
        return history

    def _links(self) -> dict[str, list]:
        actions, decisions = [], []
        for risk in self.risks:
            if self.actions and self.rng.random() < 0.3:
                for action_id in set(self.rng.sample(self.actions, min(2, len(self.actions)))):
                    actions.append(Risk.actions.through(risk_id=risk.pk, action_id=action_id))
            if self.decisions and self.rng.random() < 0.1:
                decisions.append(Risk.decisions.through(risk_id=risk.pk, decision_id=self.rng.choice(self.decisions)))
        return {"actions": actions, "decisions": decisions}
