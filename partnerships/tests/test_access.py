"""The access model every app reuses: 404 for outsiders, 403 for roles that may not act, per branch."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerships.access import (
    Action,
    authorize,
    get_in_partnership_for_user,
    get_organisation_for_user,
    get_partnership_for_user,
    partnerships_managed_by,
    partnerships_visible_to,
    roles_in,
)
from partnerships.models import Delegation, Role
from tests.factories import DelegationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_has_no_roles_and_sees_nothing(world):
    anonymous = AnonymousUser()
    assert roles_in(anonymous, world.partnership) == frozenset()
    assert list(partnerships_visible_to(anonymous)) == []
    with pytest.raises(Http404):
        authorize(anonymous, world.partnership, Action.VIEW)


def test_outsider_gets_404_not_403_for_a_partnership_they_are_not_in(world):
    with pytest.raises(Http404):
        get_partnership_for_user(world.outsider, "QZZ")


def test_unknown_code_is_the_same_404(world):
    with pytest.raises(Http404):
        get_partnership_for_user(world.lead, "QQQ")


@pytest.mark.parametrize("persona", ["viewer", "member", "ned", "board", "lead"])
def test_everyone_with_a_role_can_view(world, persona):
    assert get_partnership_for_user(getattr(world, persona), "QZZ") == world.partnership


def test_viewer_cannot_contribute(world):
    with pytest.raises(PermissionDenied):
        authorize(world.viewer, world.partnership, Action.CONTRIBUTE)


@pytest.mark.parametrize("persona", ["member", "ned", "board", "lead"])
def test_members_and_board_can_contribute(world, persona):
    authorize(getattr(world, persona), world.partnership, Action.CONTRIBUTE)


@pytest.mark.parametrize("persona", ["viewer", "member", "ned", "board"])
def test_only_the_lead_manages(world, persona):
    with pytest.raises(PermissionDenied):
        authorize(getattr(world, persona), world.partnership, Action.MANAGE)
    authorize(world.lead, world.partnership, Action.MANAGE)


def test_superuser_holds_every_role(world):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    assert roles_in(admin, world.partnership) == frozenset(Role.values)
    assert set(partnerships_visible_to(admin)) == {world.partnership, world.other_partnership}


def test_visible_and_managed_partnerships(world):
    assert list(partnerships_visible_to(world.board)) == [world.partnership]
    assert list(partnerships_managed_by(world.board)) == []
    assert list(partnerships_managed_by(world.lead)) == [world.partnership]


def test_roles_are_looked_up_once_per_request(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(3):
            roles_in(world.board, world.partnership)


def test_children_take_their_access_from_the_partnership(world):
    delegation = DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board)
    assert get_in_partnership_for_user(Delegation.objects, world.viewer, pk=delegation.pk) == delegation
    with pytest.raises(Http404):
        get_in_partnership_for_user(Delegation.objects, world.outsider, pk=delegation.pk)
    with pytest.raises(PermissionDenied):
        get_in_partnership_for_user(Delegation.objects, world.viewer, Action.MANAGE, pk=delegation.pk)
    with pytest.raises(Http404):
        get_in_partnership_for_user(Delegation.objects, world.lead, pk=delegation.pk + 1000)


def test_organisations_are_visible_through_shared_partnerships(world):
    assert get_organisation_for_user(world.viewer, world.trust.pk) == world.trust
    with pytest.raises(Http404):
        get_organisation_for_user(world.viewer, world.other_trust.pk)
