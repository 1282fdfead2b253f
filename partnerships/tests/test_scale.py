"""seed_scale's partnerships part at a tiny scale: the 42 real partnerships, generated people in proportion to
population, a lead everywhere, delegations to board members, and a refusal to run twice."""

import io
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.db.models import Count, Q
from tqdm import tqdm

from partnerships.models import Delegation, Membership, Organisation, Partnership, PartnershipRole, Role
from partnerships.seed import scale
from partnerships.services.imports import reference_data_dir
from tests.fixtures import skip_or_fail

pytestmark = pytest.mark.django_db


def quiet_progress(total: int, description: str) -> tqdm:
    return tqdm(total=total, desc=description, disable=True)


@pytest.fixture
def seeded():
    if reference_data_dir() is None:
        skip_or_fail("The NHS reference data is missing from partnerships/data/nhs-reference")
    started = time.monotonic()
    output = io.StringIO()
    scale.seed(scale=0.01, random_seed=7, progress=quiet_progress, stdout=output)
    return time.monotonic() - started, output.getvalue()


def test_tiny_scale_builds_the_42_real_partnerships_quickly(seeded):
    elapsed, output = seeded
    assert elapsed < 30
    assert Partnership.objects.count() == 42
    assert Partnership.objects.get(code="QOP").population == 2281520
    assert "42 partnerships" in output


def test_real_organisations_are_all_there_and_generated_ones_scale_down(seeded):
    generated = Organisation.objects.filter(kind__in=["healthwatch", "vcse", "other"]).count()
    pcns = Organisation.objects.filter(kind="primary_care", ods_code__isnull=False)
    assert Organisation.objects.filter(kind="local_authority").count() == 158  # every council of the partner list
    assert Organisation.objects.filter(ods_code="RR8").exists()  # a trust from the ODS file
    assert 3 <= generated <= 10  # about 1% of the 270 Healthwatch, VCSE and other bodies at scale 1
    assert pcns.count() == 5  # 1% of 500 real primary care networks, from the GP practice map
    assert not pcns.filter(memberships__isnull=True).exists()


def test_people_are_generated_in_proportion_to_population_and_every_partnership_has_a_lead(seeded):
    people = get_user_model().objects.filter(username__startswith=scale.USERNAME_PREFIX)
    assert 90 <= people.count() <= 142  # about 1% of 10,000, and at least one person in each of the 42
    per_partnership = Partnership.objects.annotate(
        people=Count("role_grants"), leads=Count("role_grants", filter=Q(role_grants__permission__codename=Role.LEAD))
    )
    assert {partnership.leads for partnership in per_partnership} == {1}
    sizes = {partnership.code: partnership.people for partnership in per_partnership}
    assert sizes["QHM"] >= 3 * sizes["QSL"]  # 2.5 million people against under half a million
    assert PartnershipRole.objects.count() == people.count()


def test_generated_people_share_the_demo_password_hashed_once(seeded):
    people = get_user_model().objects.filter(username__startswith=scale.USERNAME_PREFIX)
    assert people.values("password").distinct().count() == 1
    assert people.first().check_password(settings.DEMO_PASSWORD)


def test_board_members_hold_delegations_for_their_own_current_member_organisation(seeded):
    delegations = Delegation.objects.filter(delegate__isnull=False).select_related("delegate__profile")
    assert delegations.exists()
    for delegation in delegations:
        assert delegation.delegate.profile.organisation_id == delegation.organisation_id
        assert (
            Membership.objects.current()
            .filter(partnership_id=delegation.partnership_id, organisation_id=delegation.organisation_id)
            .exists()
        )
        assert PartnershipRole.objects.filter(
            user=delegation.delegate,
            content_object_id=delegation.partnership_id,
            permission__codename=Role.BOARD_MEMBER,
        ).exists()


def test_running_again_is_refused_with_a_clear_message_and_adds_nothing(seeded):
    people = get_user_model().objects.count()
    with pytest.raises(CommandError, match="Scale data is already loaded"):
        scale.seed(scale=0.01, random_seed=7, progress=quiet_progress, stdout=io.StringIO())
    assert get_user_model().objects.count() == people
