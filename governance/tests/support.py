"""Building blocks for the governance tests: signatories with delegations, decisions at each stage, meetings."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from governance import services
from governance.models import Decision, DecisionSettings, Vote
from partnerships.models import DecisionCategory, OrganisationKind, Role
from tests.factories import DelegationFactory, ProfileFactory, UserFactory, grant, member_of
from workstreams.models import Meeting, MeetingStatus, WorkStream, WorkStreamStatus

LONG_AGO = timezone.localdate() - timedelta(days=400)


def delegate(world, user, organisation, *, limit="1000000", categories=None, **kwargs):
    """A delegation in force in the world's partnership for `user` to sign for `organisation`."""
    return DelegationFactory(
        partnership=world.partnership,
        organisation=organisation,
        delegate=user,
        limit_pounds=None if limit is None else Decimal(limit),
        categories=categories or list(DecisionCategory.values),
        valid_from=kwargs.pop("valid_from", LONG_AGO),
        **kwargs,
    )


def board_member(world, username, organisation, *, title="Chief executive", roles=(Role.BOARD_MEMBER,)):
    user = UserFactory(username=username)
    ProfileFactory(user=user, organisation=organisation, job_title=title)
    grant(user, world.partnership, *roles)
    return user


def signatories(world):
    """`board` signs for the trust and a council director for the council: the two full members of QZZ."""
    world.council_director = board_member(world, "councildirector", world.council, title="Director of adult care")
    delegate(world, world.board, world.trust)
    delegate(world, world.council_director, world.council)
    return world


def more_members(world, count: int, *, signed: bool = True):
    """`count` more full-member organisations, each with a board member who may sign for it."""
    people = []
    for number in range(count):
        organisation = member_of(world.partnership, name=f"Extra Partner {number}", kind=OrganisationKind.VCSE)
        person = board_member(world, f"extra{number}", organisation)
        if signed:
            delegate(world, person, organisation)
        people.append((organisation, person))
    return people


def propose(world, *, actor=None, **fields) -> Decision:
    values = {
        "title": "Shared community diabetes service",
        "case": "One service across the footprint, run by the trust with the council's public health team.",
        "category": DecisionCategory.SERVICE_CHANGE,
        "value_pounds": Decimal("250000"),
    }
    values.update(fields)
    return services.decision_propose(actor=actor or world.member, partnership=world.partnership, **values)


def in_signoff(world, **fields) -> Decision:
    decision = propose(world, **fields)
    services.decision_open_for_challenge(actor=decision.proposer, decision=decision)
    services.decision_open_signoff(actor=world.lead, decision=decision)
    decision.refresh_from_db()
    return decision


def sign(user, decision, vote=Vote.APPROVE, comment=""):
    return services.signoff_record(
        actor=user,
        decision=decision,
        vote=vote,
        comment=comment or ("No." if vote == Vote.REJECT else ""),
        declares_no_interest=True,
    )


def approved(world, **fields) -> Decision:
    if not hasattr(world, "council_director"):
        signatories(world)
    decision = in_signoff(world, **fields)
    sign(world.board, decision)
    sign(world.council_director, decision)
    decision.refresh_from_db()
    return decision


def set_rule(world, **fields) -> DecisionSettings:
    return services.decision_settings_update(actor=world.lead, partnership=world.partnership, **fields)


def board_meeting(world, *, days_from_now: int = 7) -> Meeting:
    return Meeting.objects.create(
        partnership=world.partnership,
        title="Partnership board",
        starts_at=timezone.now() + timedelta(days=days_from_now),
        place="Civic Centre",
    )


def held_board_meeting(world, *, days_from_now: int = -1, quorate: bool | None = True) -> Meeting:
    """A board meeting that was held, with its attendance recorded as quorate (or not, or `None`: not recorded)."""
    meeting = board_meeting(world, days_from_now=days_from_now)
    explanation = {
        True: "Quorate: 3 of 4 members present, 2 needed",
        False: "Not quorate: 1 of 4 members present, 2 needed",
    }
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.HELD, quorate=quorate, quorum_explanation=explanation.get(quorate, "")
    )
    meeting.refresh_from_db()
    return meeting


def workstream(world, name="End of Life Care", status=WorkStreamStatus.PROPOSED) -> WorkStream:
    return WorkStream.objects.create(
        partnership=world.partnership, name=name, purpose="Better care at the end of life.", status=status
    )


def past_deadline(decision, *, minutes: int = 1) -> None:
    """Move the current round's closing time into the past, as if the days had gone by."""
    from governance.models import SignOffRound

    now = timezone.now()
    SignOffRound.objects.filter(pk=decision.current_round_id).update(
        opened_at=now - timedelta(days=14), closes_at=now - timedelta(minutes=minutes)
    )
