"""Who must sign: for each organisation a decision binds, the people whose delegation covers its category and
value on the day; an organisation with nobody able to sign needs its own board."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from governance.selectors.validity import OrganisationState, signatories_by_organisation, validity_for
from partnerships.models import DecisionCategory, Role
from tests.factories import DelegationFactory

from .support import board_member, delegate, propose

TODAY = timezone.localdate()


def names(decision, day=TODAY):
    found = signatories_by_organisation(decision, day)
    return {organisation_id: sorted(s.user.username for s in people) for organisation_id, people in found.items()}


@pytest.fixture
def decision(world):
    return propose(world, value_pounds=Decimal("500000"), category=DecisionCategory.FINANCE)


def test_a_delegation_whose_limit_equals_the_value_covers_the_decision(world, decision):
    delegate(world, world.board, world.trust, limit="500000")
    assert names(decision) == {world.trust.pk: ["board"]}


def test_a_delegation_with_a_lower_limit_does_not_cover_the_decision(world, decision):
    delegate(world, world.board, world.trust, limit="499999.99")
    assert names(decision) == {}


def test_a_delegation_with_no_limit_covers_any_value(world, decision):
    delegate(world, world.board, world.trust, limit=None)
    assert names(decision) == {world.trust.pk: ["board"]}


def test_a_decision_with_no_value_is_covered_whatever_the_limit(world):
    decision = propose(world, value_pounds=None, category=DecisionCategory.POLICY)
    delegate(world, world.board, world.trust, limit="0")
    assert names(decision) == {world.trust.pk: ["board"]}


def test_a_delegation_starting_on_the_day_covers_it_and_one_starting_the_next_day_does_not(world, decision):
    delegate(world, world.board, world.trust, valid_from=TODAY)
    director = board_member(world, "director", world.council)
    delegate(world, director, world.council, valid_from=TODAY + timedelta(days=1))
    assert names(decision) == {world.trust.pk: ["board"]}
    assert names(decision, TODAY + timedelta(days=1)) == {world.trust.pk: ["board"], world.council.pk: ["director"]}


def test_a_delegation_ending_on_the_day_covers_it_and_one_that_ended_the_day_before_does_not(world, decision):
    delegate(world, world.board, world.trust, valid_to=TODAY)
    director = board_member(world, "director", world.council)
    delegate(world, director, world.council, valid_to=TODAY - timedelta(days=1))
    assert names(decision) == {world.trust.pk: ["board"]}


def test_a_delegation_for_other_categories_does_not_cover_it(world, decision):
    delegate(world, world.board, world.trust, categories=[DecisionCategory.STRATEGY, DecisionCategory.POLICY])
    assert names(decision) == {}


def test_different_limits_in_one_organisation_route_the_decision_to_those_who_may_commit_that_much(world, decision):
    """The chief executive may commit £1m, the finance director £100k: only the first signs a £500k decision."""
    finance_director = board_member(world, "financedirector", world.trust, title="Director of finance")
    delegate(world, world.board, world.trust, limit="1000000")
    delegate(world, finance_director, world.trust, limit="100000")
    small = propose(world, value_pounds=Decimal("100000"), category=DecisionCategory.FINANCE)
    assert names(decision) == {world.trust.pk: ["board"]}
    assert names(small) == {world.trust.pk: ["board", "financedirector"]}


def test_a_role_delegation_names_everyone_from_the_organisation_holding_that_role(world, decision):
    other_trust_director = board_member(world, "trustdirector", world.trust)
    board_member(world, "councilboard", world.council)  # the same role, another organisation
    DelegationFactory(
        partnership=world.partnership,
        organisation=world.trust,
        delegate=None,
        delegate_role=Role.BOARD_MEMBER,
        limit_pounds=Decimal("1000000"),
        valid_from=TODAY - timedelta(days=30),
    )
    assert names(decision) == {world.trust.pk: sorted(["board", other_trust_director.username])}


def test_a_named_delegate_who_no_longer_has_a_role_in_the_partnership_cannot_sign(world, decision):
    delegate(world, world.outsider, world.trust)
    assert names(decision) == {}


def test_only_the_organisations_the_decision_binds_are_asked(world):
    decision = propose(world, bound_organisations=[world.trust])
    delegate(world, world.board, world.trust)
    director = board_member(world, "director", world.council)
    delegate(world, director, world.council)
    assert names(decision) == {world.trust.pk: ["board"]}


def test_an_organisation_with_no_covering_delegate_awaits_its_own_board(world, decision):
    delegate(world, world.board, world.trust)
    states = {row.organisation.pk: row.state for row in validity_for(decision).rows}
    assert states == {
        world.trust.pk: OrganisationState.AWAITING_SIGNOFF,
        world.council.pk: OrganisationState.AWAITING_BOARD,
    }


def test_the_delegation_of_another_partnership_does_not_count(world, decision):
    DelegationFactory(
        partnership=world.other_partnership,
        organisation=world.trust,
        delegate=world.board,
        valid_from=TODAY - timedelta(days=30),
    )
    assert names(decision) == {}


def test_only_those_who_may_read_a_confidential_decision_can_sign_it(world):
    decision = propose(
        world,
        visibility="confidential",
        confidential_reason="Negotiation.",
        confidential_review_on=TODAY + timedelta(days=30),
    )
    delegate(world, world.viewer, world.council)  # a viewer holding a delegation by mistake
    delegate(world, world.board, world.trust)
    assert names(decision) == {world.trust.pk: ["board"]}
