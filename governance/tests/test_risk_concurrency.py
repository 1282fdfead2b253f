"""Risk references without gaps or duplicates when many people raise risks at once, proved with real concurrent
transactions on PostgreSQL (CI runs these)."""

import pytest

from governance.models import Risk
from tests.concurrency import postgresql_only, run_at_once  # noqa: F401 (a fixture)

from .risk_support import raise_risk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]


def test_risks_raised_at_the_same_moment_get_consecutive_references(world):
    run_at_once(*[lambda number=number: raise_risk(world, title=f"Risk {number}") for number in range(8)])

    references = sorted(Risk.objects.filter(partnership=world.partnership).values_list("reference", flat=True))
    assert references == [f"QZZ-R-{number:03d}" for number in range(1, 9)]
