"""Demo data: thirteen decisions of the demo partnership QZZ in every state — a draft, one open for challenge, the
End of Life Care work-stream proposal awaiting `board`'s signature, approved ones (one with no challenge, one with
a recusal and partner boards' ratifications, a confidential one, an urgent one awaiting the board), rejected,
deferred, withdrawn, reopened and superseded — and a few entries in the register of interests. Decisions are linked
to the engagement that informs them and the "you said" items they answer (engagement/demo.py runs first): the End of
Life Care proposal has none from local authorities, whom its work-stream is expected to engage, so it is flagged.

It runs after partnerships/demo.py and workstreams/demo.py and uses what they made, by code, username, ODS code
and work-stream name; when they are not there it says so and does nothing. Every change goes through the services,
so the demo has an audit trail, votes and emails like real data. Running it again changes nothing: each decision
is looked up by its title first, and evidence is linked again only to a draft that has none.
"""

import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.models import SecondFactorMethod
from core.second_factor import Proof
from engagement.models import EngagementActivity, Feedback
from partnerships.models import DecisionCategory, Membership, Organisation, Partnership
from workstreams.models import WorkStream

from .. import services
from ..models import (
    EDITABLE_STATUSES,
    ChallengeKind,
    Decision,
    InterestDeclaration,
    InterestKind,
    Position,
    RatificationOutcome,
    Vote,
)
from . import risks as demo_risks

User = get_user_model()
CODE = "QZZ"
Category = DecisionCategory
CORE = ["RZ1", "QZZ", "RZ2", "RZ3"]  # the trusts and the ICB: their chief executives may sign most decisions

# Who signs for which organisation in the demo (partnerships/demo.py gives them their delegations).
SIGNATORY = {
    "RZ1": "board",
    "QZZ": "demo.icb.ceo",
    "RZ2": "demo.dales.ceo",
    "RZ3": "demo.mh.ceo",
    "RZ4": "demo.community.ceo",
    "ZC101": "demo.city.dass",
    "ZC102": "demo.county.dph",
    "ZG101": "demo.gpfed.cd",
}

# The engagement (activity titles) that informs a decision and what people said (themes) that it answers, from
# engagement/demo.py. End of Life Care: hospices, nurses, carers and the public were heard, local authorities never.
EVIDENCE = {
    "Shared staff bank for the two acute trusts": (["Staff side briefing on the programme"], []),
    "Establish the End of Life Care work-stream": (
        [
            "Hospice and district nurses: care at home",
            "Bereaved carers' listening event",
            "Advance care planning consultation",
            "Hospice volunteers' workshop",
        ],
        [
            "Give families one named contact in the last weeks of life.",
            "Plans should follow people between services.",
            "Volunteers could sit with people overnight.",
        ],
    ),
    "Joint winter plan 2026/27": (["MP briefing: winter and medicines supply"], []),
    "Discharge to assess, 2026 model": (
        ["Hospital doctors' discharge medicines audit"],
        ["Pharmacies should be told when a medicine is stopped."],
    ),
}


class Demo:
    """The partnership, its people and organisations, and the steps a decision goes through."""

    def __init__(self, partnership: Partnership):
        self.partnership = partnership
        self.people = {user.username: user for user in User.objects.filter(partnershiprole__content_object=partnership)}
        self.organisations = {
            organisation.ods_code or organisation.name: organisation
            for organisation in Organisation.objects.filter(
                pk__in=Membership.objects.filter(partnership=partnership).values("organisation_id")
            )
        }

    def person(self, username: str):
        return self.people[username]

    def evidence(self, title: str) -> dict[str, list]:
        """The demo engagement linked to the decision: what engagement/demo.py made of EVIDENCE[title]."""
        activities, themes = EVIDENCE.get(title, ([], []))
        return {
            "engagement_activities": list(
                EngagementActivity.objects.filter(partnership=self.partnership, title__in=activities)
            ),
            "feedback_addressed": list(Feedback.objects.filter(partnership=self.partnership, theme__in=themes)),
        }

    def propose(self, title, *, by="member", bind=None, **fields) -> Decision:
        if bind is not None:
            fields["bound_organisations"] = [self.organisations[key] for key in bind]
        return services.decision_propose(
            actor=self.person(by), partnership=self.partnership, title=title, **self.evidence(title), **fields
        )

    def challenge(self, decision, by, text, *, answer=None, kind=ChallengeKind.CHALLENGE):
        challenge = services.challenge_raise(actor=self.person(by), decision=decision, text=text, kind=kind)
        if answer:
            services.challenge_respond(actor=decision.proposer, challenge=challenge, response=answer)

    def open(self, decision, *, challenge=True):
        if challenge:
            services.decision_open_for_challenge(actor=self.person("lead"), decision=decision)
        services.decision_open_signoff(actor=self.person("lead"), decision=decision)

    def sign(self, decision, keys, vote=Vote.APPROVE, comment=""):
        # As if each signatory had just given a code from their app: the demo's signatories must have a second factor
        # where the service requires one, and their votes show it.
        proof = Proof(method=SecondFactorMethod.APP, at=int(time.time()))
        for key in keys:
            services.signoff_record(
                actor=self.person(SIGNATORY[key]),
                decision=decision,
                vote=vote,
                comment=comment,
                declares_no_interest=True,
                second_factor=proof,
            )

    def ratify(self, decision, key, body, outcome=RatificationOutcome.RATIFIED):
        services.ratification_record(
            actor=self.person("lead"),
            decision=decision,
            organisation=self.organisations[key],
            body=body,
            ratified_on=timezone.localdate(),
            outcome=outcome,
        )

    def refresh(self, decision) -> Decision:
        return Decision.objects.get(pk=decision.pk)


def seed(stdout) -> None:
    partnership = Partnership.objects.filter(code=CODE).first()
    if partnership is None:
        stdout.write("Decisions: skipped, the demo partnership QZZ is not there.")
        return
    demo = Demo(partnership)
    missing = {"lead", "member", "ned", *SIGNATORY.values()} - set(demo.people)
    if missing or not set(SIGNATORY) <= set(demo.organisations):
        stdout.write(f"Decisions: skipped, QZZ lacks the demo people or partners ({', '.join(sorted(missing))}).")
        return
    with transaction.atomic():
        _interests(demo)
        made = [title for title, build in DECISIONS if _make(demo, title, build)]
        _link_evidence(demo)
    count = Decision.objects.filter(partnership=partnership).count()
    stdout.write(f"Decisions: {count} in QZZ ({len(made)} new), {InterestDeclaration.objects.count()} interests.")
    demo_risks.seed(stdout)  # the risk register, after the decisions its risks link to


def _make(demo: Demo, title: str, build) -> bool:
    if Decision.objects.filter(partnership=demo.partnership, title=title).exists():
        return False
    build(demo, title)
    return True


def _link_evidence(demo: Demo) -> None:
    """For a database seeded before decisions took evidence: link it to the decisions that can still change."""
    for decision in Decision.objects.filter(
        partnership=demo.partnership, title__in=EVIDENCE, status__in=EDITABLE_STATUSES
    ).select_related("proposer", "partnership"):
        if decision.engagement_activities.exists() or decision.feedback_addressed.exists():
            continue
        evidence = demo.evidence(decision.title)
        if evidence["engagement_activities"] or evidence["feedback_addressed"]:
            services.decision_update(actor=decision.proposer, decision=decision, **evidence)


def _interests(demo: Demo) -> None:
    today = timezone.localdate()
    entries = [
        (
            "board",
            InterestKind.NON_FINANCIAL_PROFESSIONAL,
            "Trustee of Dales Hospice.",
            "Does not sign decisions about hospice contracts.",
            today - timedelta(days=700),
        ),
        (
            "demo.dales.ceo",
            InterestKind.FINANCIAL,
            "Non-executive director of Dales Diagnostics Ltd, paid.",
            "Leaves the meeting for items about diagnostics.",
            today - timedelta(days=400),
        ),
        (
            "demo.city.dass",
            InterestKind.INDIRECT,
            "Husband is a partner in a Northfield care home group.",
            "",
            today - timedelta(days=200),
        ),
    ]
    for username, kind, description, mitigation, since in entries:
        person = demo.person(username) if username in demo.people else None
        if person is None or InterestDeclaration.objects.filter(person=person, description=description).exists():
            continue
        services.interest_declare(
            actor=person,
            partnership=demo.partnership,
            kind=kind,
            description=description,
            valid_from=since,
            mitigation=mitigation,
        )


# --- The decisions ---------------------------------------------------------------------------------------------------


def _draft(demo, title):
    demo.propose(
        title,
        case="Share one bank of temporary nursing staff between the two acute trusts, so shifts are filled at NHS "
        "rates rather than by agencies.",
        category=Category.SERVICE_CHANGE,
        value_pounds=Decimal("120000"),
        bind=["RZ1", "RZ2"],
    )


def _open_for_challenge(demo, title):
    decision = demo.propose(
        title,
        case="One falls prevention service for older people, run by the community trust with the councils' "
        "reablement teams, replacing four separate schemes.",
        options_considered="Keep the four schemes; commission a single provider by tender.",
        reason_for_choice="Quickest to start and keeps the staff who know the patients.",
        category=Category.SERVICE_CHANGE,
        value_pounds=Decimal("340000"),
    )
    services.decision_open_for_challenge(actor=demo.person("member"), decision=decision)
    demo.challenge(decision, "ned", "How will people in the Upper Dales, an hour from the nearest base, be reached?")


def _end_of_life_care(demo, title):
    """The End of Life Care work-stream proposal: the partners have signed, except the trust (`board`)."""
    workstream = WorkStream.objects.filter(partnership=demo.partnership, name="End of Life Care").first()
    decision = demo.propose(
        title,
        by="lead",
        case="Establish the End of Life Care work-stream, as proposed: help people in the last year of life to be "
        "cared for, and to die, where they choose.",
        options_considered="Fold end of life care into the Ageing Well programme; do nothing.",
        reason_for_choice="It needs its own leadership group: four in ten people who die in hospital wanted to die "
        "at home.",
        category=Category.ESTABLISH_WORKSTREAM,
        workstream=workstream,
        bind=["RZ1", "QZZ", "RZ2", "RZ4", "ZG101"],
    )
    services.decision_open_for_challenge(actor=demo.person("lead"), decision=decision)
    demo.challenge(
        decision,
        "ned",
        "Has the hospice been asked to lead it, rather than the trust?",
        answer="Yes. Dales Hospice will co-chair the group with the trust.",
    )
    services.decision_open_signoff(actor=demo.person("lead"), decision=decision)
    demo.sign(decision, ["QZZ", "RZ2", "RZ4", "ZG101"])


def _approved_without_challenge(demo, title):
    decision = demo.propose(
        title,
        by="lead",
        case="The partners' joint winter plan: extra community beds, a single discharge hub, and the flu and "
        "COVID-19 vaccination campaign.",
        category=Category.STRATEGY,
        bind=CORE,
    )
    demo.open(decision, challenge=False)
    demo.sign(decision, CORE)


def _approved_with_recusal(demo, title):
    decision = demo.propose(
        title,
        case="Open a community diagnostic centre at Dales Valley: scans and tests closer to home, seven days a week.",
        options_considered="Extend the hospital's own department; buy scans from the independent sector.",
        reason_for_choice="Best value over ten years, and it frees hospital scanners for urgent patients.",
        category=Category.SERVICE_CHANGE,
        value_pounds=Decimal("200000"),
        bind=["RZ1", "QZZ", "RZ2", "RZ3", "ZC101", "ZC102"],
    )
    services.decision_open_for_challenge(actor=demo.person("member"), decision=decision)
    demo.challenge(
        decision,
        "ned",
        "What does it do to waiting times at the hospital, and who staffs it?",
        answer="Hospital waits for routine scans fall by about three weeks; the trust staffs it from its own rota.",
    )
    demo.challenge(
        decision,
        "demo.city.dass",
        "Is there a bus to the site?",
        kind=ChallengeKind.QUESTION,
        answer="Yes, the 42 every 20 minutes; the council will add an evening service.",
    )
    services.decision_open_signoff(actor=demo.person("lead"), decision=decision)
    services.decision_declare(
        actor=demo.person("demo.dales.ceo"),
        decision=decision,
        position=Position.CONFLICT,
        kind=InterestKind.FINANCIAL,
        description="Non-executive director of Dales Diagnostics Ltd, which bid to run the scanners.",
    )
    demo.sign(decision, ["RZ1", "QZZ", "RZ3", "ZC101"])
    demo.ratify(decision, "ZC102", "Dales County Council cabinet")


def _rejected(demo, title):
    decision = demo.propose(
        title,
        case="Close the Dales Valley minor injuries unit between midnight and 8am; fewer than four people a night "
        "use it.",
        category=Category.SERVICE_CHANGE,
        value_pounds=Decimal("0"),
        bind=["RZ1", "RZ2", "QZZ"],
    )
    demo.open(decision)
    demo.challenge(
        decision, "ned", "Were the people of the Dales asked?", answer="Not yet: we planned to consult after."
    )
    demo.sign(decision, ["RZ1", "QZZ"])
    demo.sign(decision, ["RZ2"], Vote.REJECT, "It is the only urgent care for forty miles at night. Consult first.")


def _deferred(demo, title):
    decision = demo.propose(
        title,
        by="lead",
        case="One estates strategy for all the partners' buildings, to release sites we no longer need.",
        category=Category.STRATEGY,
        bind=CORE,
    )
    demo.open(decision)
    demo.sign(decision, ["RZ1"])
    services.decision_defer(
        actor=demo.person("lead"), decision=decision, reason="Wait for the national estates review in the spring."
    )


def _withdrawn(demo, title):
    decision = demo.propose(
        title,
        case="Merge the back offices of the GP federation and the primary care networks.",
        category=Category.OTHER,
        bind=["ZG101", "QZZ"],
    )
    services.decision_withdraw(
        actor=demo.person("member"), decision=decision, reason="The practices want to agree it among themselves first."
    )


def _reopened(demo, title):
    decision = demo.propose(
        title,
        case="Extend the shared care record to the area's care homes, so staff see hospital letters and medicines.",
        category=Category.SERVICE_CHANGE,
        value_pounds=Decimal("90000"),
        bind=["RZ1", "QZZ", "ZC101"],
    )
    demo.open(decision)
    demo.challenge(decision, "ned", "Do residents consent?", answer="Yes, through the care home's existing process.")
    demo.sign(decision, ["RZ1", "QZZ", "ZC101"])
    services.decision_reopen(
        actor=demo.person("lead"),
        decision=decision,
        reason="The supplier's price rose by a third after approval: the partners must agree the new cost.",
    )
    demo.sign(demo.refresh(decision), ["QZZ"])


def _superseded_pair(demo, title):
    earlier = demo.propose(
        title,
        case="Discharge to assess: people leave hospital as soon as they are well enough and are assessed at home.",
        category=Category.SERVICE_CHANGE,
        value_pounds=Decimal("150000"),
        bind=["RZ1", "QZZ", "ZC101"],
    )
    demo.open(earlier)
    demo.challenge(earlier, "ned", "Who pays for the first week of care?", answer="The ICB, from the discharge fund.")
    demo.sign(earlier, ["RZ1", "QZZ", "ZC101"])
    later = demo.propose(
        "Discharge to assess, 2026 model",
        case="The 2026 model adds the county council's reablement team and seven-day working.",
        category=Category.SERVICE_CHANGE,
        value_pounds=Decimal("210000"),
        bind=["RZ1", "QZZ", "ZC101"],
    )
    demo.open(later)
    demo.challenge(later, "ned", "What did the first year show?", answer="Stays fell by 1.4 days.")
    demo.sign(later, ["RZ1", "QZZ", "ZC101"])
    services.decision_supersede(
        actor=demo.person("lead"),
        decision=demo.refresh(earlier),
        superseded_by=demo.refresh(later),
        reason="The 2026 model replaces it from April.",
    )


def _confidential(demo, title):
    decision = demo.propose(
        title,
        by="lead",
        case="Buy the Riverside clinic from its landlord for the community hub, at the price in the confidential "
        "annex.",
        category=Category.FINANCE,
        value_pounds=Decimal("1400000"),
        bind=["RZ1", "QZZ"],
        visibility="confidential",
        confidential_reason="Commercial negotiation with the landlord is under way.",
        confidential_review_on=timezone.localdate() + timedelta(days=120),
    )
    demo.open(decision)
    demo.challenge(decision, "ned", "Was the price independently valued?", answer="Yes, by the District Valuer.")
    demo.sign(decision, ["RZ1", "QZZ"])


def _urgent(demo, title):
    decision = demo.propose(
        title,
        by="lead",
        case="Fund extra ambulance handover staff at both emergency departments for six weeks, from Monday.",
        category=Category.FINANCE,
        value_pounds=Decimal("95000"),
        bind=["RZ1", "RZ2", "QZZ"],
        is_urgent=True,
        urgent_reason="Handover delays passed four hours; the next board meeting is a month away.",
    )
    demo.open(decision, challenge=False)
    demo.sign(decision, ["RZ1", "RZ2", "QZZ"])  # approved: the next board meeting must ratify it


DECISIONS = [
    ("Shared staff bank for the two acute trusts", _draft),
    ("Joint falls prevention service", _open_for_challenge),
    ("Establish the End of Life Care work-stream", _end_of_life_care),
    ("Joint winter plan 2026/27", _approved_without_challenge),
    ("Community diagnostic centre at Dales Valley", _approved_with_recusal),
    ("Close Dales Valley minor injuries unit overnight", _rejected),
    ("Single estates strategy", _deferred),
    ("Merge primary care back offices", _withdrawn),
    ("Shared care record for care homes", _reopened),
    ("Discharge to assess, 2025 model", _superseded_pair),
    ("Purchase of the Riverside clinic", _confidential),
    ("Emergency ambulance handover staff", _urgent),
]
