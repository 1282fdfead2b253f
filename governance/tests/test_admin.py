"""The Django admin shows governance records to staff superusers read-only: a decision or a risk changes only
through its services, so its audit trail and locks are never skipped."""

import pytest

from tests.factories import UserFactory

from .risk_support import raise_risk
from .support import approved

pytestmark = pytest.mark.django_db

MODELS = ["decision", "signoff", "challenge", "risk", "riskreview"]


@pytest.fixture
def admin_client(client, world):
    client.force_login(UserFactory(username="administrator", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_reads_every_governance_list_but_cannot_add(admin_client, world, model):
    approved(world, title="Approved decision")
    raise_risk(world, likelihood=3, consequence=3)
    assert admin_client.get(f"/admin/governance/{model}/").status_code == 200
    assert admin_client.get(f"/admin/governance/{model}/add/").status_code == 403


def test_a_risk_opens_read_only_in_the_admin(admin_client, world):
    risk = raise_risk(world, likelihood=3, consequence=3)
    page = admin_client.get(f"/admin/governance/risk/{risk.pk}/change/")
    assert page.status_code == 200 and risk.reference in page.content.decode()
    assert b'name="_save"' not in page.content
