"""Risk references without gaps or duplicates when many people raise risks at once, proved with real concurrent
transactions on PostgreSQL (CI runs these)."""

import pytest
from django.db import connection

from governance.models import Risk
from tests.fixtures import skip_or_fail

from .risk_support import raise_risk
from .test_concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        skip_or_fail("Concurrency needs PostgreSQL's row locks: set DATABASE_URL to a PostgreSQL database")


def test_risks_raised_at_the_same_moment_get_consecutive_references(world):
    run_at_once(*[lambda number=number: raise_risk(world, title=f"Risk {number}") for number in range(8)])

    references = sorted(Risk.objects.filter(partnership=world.partnership).values_list("reference", flat=True))
    assert references == [f"QZZ-R-{number:03d}" for number in range(1, 9)]
