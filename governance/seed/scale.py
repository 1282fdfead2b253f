"""National-scale decisions for benchmarks (`manage.py seed_scale`), after the partnerships' and work-streams'
scale data: for every partnership about 400 decisions over five years, binding its full members, with their
sign-off rounds and votes, challenge and answers, declarations on decisions and a register of interests. `scale`
multiplies every count.

Rows are generated one partnership at a time and written with bulk inserts in batches, so memory stays flat. A
partnership that already has decisions is left alone, so running it again adds nothing. No audit records and no
emails: this is benchmark data, not history anyone made.
"""

import random
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from partnerships.models import (
    DecisionCategory,
    Delegation,
    Membership,
    MembershipKind,
    Partnership,
    PartnershipRole,
    Role,
)

from ..models import (
    Challenge,
    ChallengeKind,
    Decision,
    DecisionDeclaration,
    DecisionSettings,
    DecisionStatus,
    InterestDeclaration,
    InterestKind,
    Position,
    ReferenceCounter,
    SignOff,
    SignOffRound,
    Visibility,
    Vote,
)
from ..models.settings import DecisionRule
from . import scale_risks

BATCH_SIZE = 2000
DECISIONS = 400  # per partnership, over five years
YEARS = 5
# How older decisions ended; the last month's are still being made.
OUTCOMES = [
    (DecisionStatus.APPROVED, 64),
    (DecisionStatus.REJECTED, 8),
    (DecisionStatus.DEFERRED, 8),
    (DecisionStatus.WITHDRAWN, 6),
    (DecisionStatus.SUPERSEDED, 6),
    (DecisionStatus.IN_SIGNOFF, 8),  # reopened and signing again
]
RECENT = [DecisionStatus.DRAFT, DecisionStatus.OPEN_FOR_CHALLENGE, DecisionStatus.IN_SIGNOFF]
SUBJECTS = [
    "Joint winter plan",
    "Community diagnostic centre",
    "Shared care record extension",
    "Discharge to assess model",
    "Virtual ward expansion",
    "Estates rationalisation",
    "Mental health crisis café",
    "Falls prevention service",
    "Diabetes prevention programme",
    "Workforce bank partnership",
    "Population health dashboard",
    "Primary care access hubs",
    "Children's community nursing",
    "Social prescribing contract",
    "Stroke rehabilitation pathway",
]
QUESTIONS = [
    "What evidence supports the benefits claimed?",
    "Who was not consulted, and why?",
    "What happens if the funding is not renewed?",
    "How does this affect the smaller partners?",
    "Which risks were tested, and by whom?",
]


def count_at(base: float, scale: float) -> int:
    return max(1, round(base * scale))


def seed(*, scale: float, random_seed: int, progress, stdout) -> None:
    """Build decisions for every partnership that has people and no decisions yet."""
    rng = random.Random(random_seed)
    partnerships = list(
        Partnership.objects.filter(role_grants__isnull=False)
        .exclude(decisions__isnull=False)
        .distinct()
        .order_by("code")
    )
    if not partnerships:
        stdout.write("Decisions: every partnership has its decisions already (or has no people): nothing to do.")
        scale_risks.seed(scale=scale, random_seed=random_seed, progress=progress, stdout=stdout)
        return
    per_partnership = count_at(DECISIONS, scale)
    bars = {name: progress(per_partnership * len(partnerships) * size, name) for name, size in ESTIMATES.items()}
    written = defaultdict(int)
    today = timezone.now()
    with transaction.atomic():
        for partnership in partnerships:
            rows = PartnershipDecisions(partnership, per_partnership, rng, today)
            for name, model, objects in rows.build():
                for start in range(0, len(objects), BATCH_SIZE):
                    batch = objects[start : start + BATCH_SIZE]
                    model.objects.bulk_create(batch)
                    bars[name].update(len(batch))
                    written[name] += len(batch)
                rows.after_insert(name, objects)
    for bar in bars.values():
        bar.close()
    stdout.write(
        f"Decisions: {written['Decisions']} decisions, {written['Votes']} votes, {written['Challenges']} challenges "
        f"in {len(partnerships)} partnerships."
    )
    scale_risks.seed(scale=scale, random_seed=random_seed, progress=progress, stdout=stdout)  # after the decisions


ESTIMATES = {
    "Decisions": 1,
    "Bound organisations": 15,
    "Rounds": 1,
    "Votes": 12,
    "Challenges": 1.5,
    "Declarations": 10,
    "Interests": 0.2,
}


class PartnershipDecisions:
    """One partnership's decisions and everything hanging off them, as lists of unsaved rows."""

    def __init__(self, partnership: Partnership, count: int, rng: random.Random, now):
        self.partnership, self.count, self.rng, self.now = partnership, count, rng, now
        self.organisations = list(
            Membership.objects.current()
            .filter(partnership=partnership, kind=MembershipKind.FULL)
            .order_by("organisation_id")
            .values_list("organisation_id", flat=True)
        )
        self.people: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
        for role, user_id, organisation_id in (
            PartnershipRole.objects.filter(content_object=partnership)
            .order_by("user_id")
            .values_list("permission__codename", "user_id", "user__profile__organisation_id")
        ):
            self.people[role].append((user_id, organisation_id))
        self.signers = defaultdict(list)  # organisation id -> (user id, delegation id)
        for delegation_id, organisation_id, user_id in (
            Delegation.objects.filter(partnership=partnership, delegate__isnull=False)
            .order_by("pk")
            .values_list("pk", "organisation_id", "delegate_id")
        ):
            self.signers[organisation_id].append((user_id, delegation_id))
        self.contributors = [
            person
            for role in (Role.LEAD, Role.BOARD_MEMBER, Role.NON_EXECUTIVE, Role.MEMBER)
            for person in self.people[role]
        ]
        self.decisions: list[Decision] = []
        self.rounds: list[SignOffRound] = []

    def build(self):
        """(progress bar name, model, rows) in the order they must be written."""
        DecisionSettings.objects.get_or_create(partnership=self.partnership)
        if not self.contributors:
            return
        yield "Decisions", Decision, self._decisions()
        yield "Bound organisations", Decision.bound_organisations.through, self._bound()
        yield "Rounds", SignOffRound, self._rounds()
        yield "Votes", SignOff, self._votes()
        yield "Challenges", Challenge, self._challenges()
        yield "Declarations", DecisionDeclaration, self._declarations()
        yield "Interests", InterestDeclaration, self._interests()

    def after_insert(self, name: str, objects: list) -> None:
        if name == "Decisions":
            # created_at is set on insert; the history runs over five years, so it is written again.
            Decision.objects.bulk_update(objects, ["created_at"], batch_size=BATCH_SIZE)
            counters = defaultdict(int)
            for decision in objects:
                counters[decision.year] = max(counters[decision.year], decision.number)
            ReferenceCounter.objects.bulk_create(
                [
                    ReferenceCounter(partnership=self.partnership, year=year, last_number=n)
                    for year, n in counters.items()
                ]
            )
            self._supersede(objects)
        if name == "Rounds":
            for decision in self.decisions:
                decision.current_round = decision.rounds_made[-1] if decision.rounds_made else None
            Decision.objects.bulk_update(self.decisions, ["current_round"], batch_size=BATCH_SIZE)

    def _supersede(self, decisions: list[Decision]) -> None:
        replaced = []
        for position, decision in enumerate(decisions):
            if not decision.to_supersede:
                continue
            later = next((d for d in decisions[position + 1 :] if d.status == DecisionStatus.APPROVED), None)
            if later is not None:
                decision.status, decision.superseded_by_id = DecisionStatus.SUPERSEDED, later.pk
                replaced.append(decision)
        Decision.objects.bulk_update(replaced, ["status", "superseded_by"], batch_size=BATCH_SIZE)

    def _decisions(self) -> list[Decision]:
        start = self.now - timedelta(days=365 * YEARS)
        moments = sorted(start + timedelta(seconds=self.rng.randrange(365 * YEARS * 86400)) for _ in range(self.count))
        numbers = defaultdict(int)
        outcomes, weights = zip(*OUTCOMES, strict=True)
        for created in moments:
            year = timezone.localtime(created).year
            numbers[year] += 1
            recent = (self.now - created).days < 30
            status = self.rng.choice(RECENT) if recent else self.rng.choices(outcomes, weights)[0]
            confidential = self.rng.random() < 0.08
            decision = Decision(
                partnership=self.partnership,
                reference=f"{self.partnership.code}-{year}-{numbers[year]:03d}",
                year=year,
                number=numbers[year],
                title=f"{self.rng.choice(SUBJECTS)} {year}/{numbers[year]}",
                case="Generated for benchmarks: the case, costs and benefits of the proposal.",
                category=self.rng.choice(DecisionCategory.values),
                value_pounds=self.rng.choice([None, 50_000, 250_000, 900_000, 2_000_000]),
                proposer_id=self.rng.choice(self.contributors)[0],
                status=status,
                is_urgent=self.rng.random() < 0.03,
                visibility=Visibility.CONFIDENTIAL if confidential else Visibility.PUBLIC,
                confidential_reason="Commercial negotiation." if confidential else "",
                confidential_review_on=(created + timedelta(days=180)).date() if confidential else None,
                decided_at=created + timedelta(days=30)
                if status in (DecisionStatus.APPROVED, DecisionStatus.REJECTED, DecisionStatus.SUPERSEDED)
                else None,
            )
            decision.urgent_reason = "It could not wait for the board." if decision.is_urgent else ""
            # Written as approved, then pointed at the later decision that replaced it (see after_insert).
            decision.to_supersede = status == DecisionStatus.SUPERSEDED
            if decision.to_supersede:
                decision.status = DecisionStatus.APPROVED
            decision.created_at = created
            decision.rounds_made = []
            self.decisions.append(decision)
        return self.decisions

    def _bound(self) -> list:
        through = Decision.bound_organisations.through
        return [
            through(decision_id=decision.pk, organisation_id=organisation_id)
            for decision in self.decisions
            for organisation_id in self.organisations
        ]

    def _rounds(self) -> list[SignOffRound]:
        for decision in self.decisions:
            if decision.status in (DecisionStatus.DRAFT, DecisionStatus.OPEN_FOR_CHALLENGE):
                continue
            if decision.status == DecisionStatus.WITHDRAWN and self.rng.random() < 0.5:
                continue
            reopened = decision.status == DecisionStatus.IN_SIGNOFF and (self.now - decision.created_at).days > 30
            for number in (1, 2) if reopened else (1,):
                opened = decision.created_at + timedelta(days=14 * number)
                last = number == (2 if reopened else 1)
                still_open = last and decision.status == DecisionStatus.IN_SIGNOFF
                outcome = DecisionStatus.APPROVED if decision.status == DecisionStatus.SUPERSEDED else decision.status
                round_ = SignOffRound(
                    decision_id=decision.pk,
                    number=number,
                    opened_at=min(opened, self.now - timedelta(days=1)) if still_open else opened,
                    closes_at=self.now + timedelta(days=7) if still_open else opened + timedelta(days=14),
                    closed_at=None if still_open else opened + timedelta(days=14),
                    outcome="" if still_open else (outcome if last else DecisionStatus.APPROVED),
                    reason="Circumstances changed." if number == 2 else "",
                    rule=DecisionRule.UNANIMOUS,
                    quorum_percentage=50,
                    majority_percentage=50,
                )
                decision.rounds_made.append(round_)
                self.rounds.append(round_)
        return self.rounds

    def _votes(self) -> list[SignOff]:
        votes = []
        for decision in self.decisions:
            for round_ in decision.rounds_made:
                share = 0.5 if round_.closed_at is None else 0.9
                for organisation_id in self.organisations:
                    if not self.signers[organisation_id] or self.rng.random() > share:
                        continue
                    user_id, delegation_id = self.rng.choice(self.signers[organisation_id])
                    rejecting = round_.outcome == DecisionStatus.REJECTED and self.rng.random() < 0.3
                    votes.append(
                        SignOff(
                            round_id=round_.pk,
                            decision_id=decision.pk,
                            organisation_id=organisation_id,
                            signatory_id=user_id,
                            delegation_id=delegation_id,
                            vote=Vote.REJECT if rejecting else self.rng.choice([Vote.APPROVE] * 9 + [Vote.ABSTAIN]),
                            comment="The cost falls unevenly on the partners." if rejecting else "",
                            signed_at=round_.opened_at + timedelta(hours=self.rng.randrange(1, 300)),
                        )
                    )
        return votes

    def _challenges(self) -> list[Challenge]:
        challenges = []
        non_executives = {user_id for user_id, _ in self.people[Role.NON_EXECUTIVE]}
        for decision in self.decisions:
            if decision.status == DecisionStatus.DRAFT:
                continue
            for _ in range(self.rng.choice([0, 0, 1, 1, 2, 3, 4])):
                user_id, organisation_id = self.rng.choice(self.contributors)
                answered = decision.status != DecisionStatus.OPEN_FOR_CHALLENGE or self.rng.random() < 0.5
                raised = decision.created_at + timedelta(hours=self.rng.randrange(1, 300))
                challenges.append(
                    Challenge(
                        decision_id=decision.pk,
                        kind=self.rng.choice(ChallengeKind.values),
                        text=self.rng.choice(QUESTIONS),
                        raised_by_id=user_id,
                        raised_by_organisation_id=organisation_id,
                        is_non_executive=user_id in non_executives,
                        raised_at=raised,
                        response="Answered at the board, with the evidence attached." if answered else "",
                        responded_by_id=decision.proposer_id if answered else None,
                        responded_at=raised + timedelta(days=2) if answered else None,
                    )
                )
        return challenges

    def _declarations(self) -> list[DecisionDeclaration]:
        declarations = []
        for decision in self.decisions:
            if not decision.rounds_made:
                continue
            declared = set()
            for organisation_id in self.organisations:
                for user_id, _ in self.signers[organisation_id][:1]:
                    if user_id in declared:
                        continue
                    declared.add(user_id)
                    conflict = self.rng.random() < 0.04
                    declarations.append(
                        DecisionDeclaration(
                            decision_id=decision.pk,
                            person_id=user_id,
                            organisation_id=organisation_id,
                            position=Position.CONFLICT if conflict else Position.NO_INTEREST,
                            kind=InterestKind.FINANCIAL if conflict else "",
                            description="A director of a bidding company." if conflict else "",
                        )
                    )
        return declarations

    def _interests(self) -> list[InterestDeclaration]:
        start = self.now.date() - timedelta(days=365 * YEARS)
        return [
            InterestDeclaration(
                partnership=self.partnership,
                person_id=user_id,
                kind=self.rng.choice(InterestKind.values),
                description="Trustee of a local charity.",
                valid_from=start + timedelta(days=self.rng.randrange(365 * YEARS)),
            )
            for user_id, _ in self.people[Role.BOARD_MEMBER] + self.people[Role.NON_EXECUTIVE]
            if self.rng.random() < 0.6
        ]
