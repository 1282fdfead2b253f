"""Where a person acts for an organisation in a partnership — raising a challenge, declaring on a decision, signing,
sitting on its board or in a group — the organisation is the one they represent there (their roles' affiliation),
not the one on their profile: a person may represent different organisations in different partnerships."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from governance import services
from governance.models import DecisionDeclaration, Position
from governance.selectors.signoffs import my_signoffs
from governance.selectors.validity import signatories_by_organisation
from partnerships.models import DecisionCategory, Role
from tests.factories import DelegationFactory, affiliate
from workstreams.models import GroupMember, GroupRole, Meeting
from workstreams.selectors.quorum import board_seats, expected_seats

from .risk_support import workstream_with_lead
from .support import in_signoff, propose, signatories


@pytest.fixture
def seconded(world):
    """The non-executive's profile names the council, but in QZZ she represents the trust."""
    affiliate(world.ned, world.partnership, world.trust)
    return world.ned


def test_a_challenge_is_raised_for_the_organisation_represented_in_the_partnership(world, seconded):
    decision = propose(world)
    services.decision_open_for_challenge(actor=world.member, decision=decision)
    challenge = services.challenge_raise(actor=seconded, decision=decision, text="Who pays for the nurses?")
    assert challenge.raised_by_organisation == world.trust


def test_a_declaration_is_made_for_the_organisation_represented_in_the_partnership(world, seconded):
    decision = propose(world)
    services.decision_open_for_challenge(actor=world.member, decision=decision)
    services.decision_declare(actor=seconded, decision=decision, position=Position.NO_INTEREST)
    assert DecisionDeclaration.objects.get(person=seconded).organisation == world.trust


def test_my_sign_offs_follow_the_affiliation_for_a_delegation_to_a_role(world, seconded):
    signatories(world)
    DelegationFactory(
        partnership=world.partnership,
        organisation=world.trust,
        delegate=None,
        delegate_role=Role.NON_EXECUTIVE,
        valid_from=timezone.localdate() - timedelta(days=30),
    )
    decision = in_signoff(world, title="Shared discharge team")
    assert [(item.decision, item.organisation) for item in my_signoffs(seconded)] == [(decision, world.trust)]
    affiliate(seconded, world.partnership, world.council)  # back to the council: the trust's delegation is not hers
    assert my_signoffs(seconded) == []


def test_a_board_seat_counts_for_the_organisation_represented_in_the_partnership(world, seconded):
    seats = {seat.user.pk: seat for seat in board_seats(world.partnership.pk)}
    assert seats[seconded.pk].organisation == world.trust


def test_a_group_member_with_no_organisation_recorded_counts_for_their_affiliation(world):
    workstream, lead = workstream_with_lead(world)
    GroupMember.objects.filter(workstream=workstream, user=lead).update(organisation=None)
    affiliate(lead, world.partnership, world.trust)  # her profile names the council
    meeting = Meeting.objects.create(
        partnership=world.partnership, workstream=workstream, title="Group", starts_at=timezone.now(), place="Room 1"
    )
    seats = {seat.user.pk: seat for seat in expected_seats(meeting)}
    assert seats[lead.pk].organisation == world.trust
    assert GroupMember.objects.get(user=lead).role == GroupRole.LEAD


def test_another_partnerships_lead_cannot_make_someone_a_signatory_here(world):
    """Issue 15's second reproduction: the outsider, leading QYY, records that QZZ's non-executive represents QZZ's
    own trust in QYY. That changes whom she represents in QYY only; a QZZ delegation to any non-executive of the
    trust still does not let her sign."""
    from partnerships import services as partnership_services
    from tests.factories import grant, member_of

    member_of(world.other_partnership, world.trust)
    grant(world.ned, world.other_partnership, Role.MEMBER)
    DelegationFactory(
        partnership=world.partnership,
        organisation=world.trust,
        delegate=None,
        delegate_role=Role.NON_EXECUTIVE,
        categories=[DecisionCategory.FINANCE],
        valid_from=timezone.localdate() - timedelta(days=30),
    )
    partnership_services.affiliation_set(
        actor=world.outsider, partnership=world.other_partnership, user=world.ned, organisation=world.trust
    )
    decision = propose(world, category=DecisionCategory.FINANCE, value_pounds=Decimal("1000"))

    def may_sign_for_the_trust() -> bool:
        found = signatories_by_organisation(decision, timezone.localdate())
        return world.ned.pk in {signatory.user.pk for signatory in found.get(world.trust.pk, [])}

    assert not may_sign_for_the_trust()
    affiliate(world.ned, world.partnership, world.trust)  # QZZ's own lead records it: now she may
    assert may_sign_for_the_trust()
