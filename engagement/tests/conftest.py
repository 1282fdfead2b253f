import pytest
from freezegun import freeze_time

from .support import TODAY, EngagementWorld


@pytest.fixture
def today():
    """Engagement dates are relative to today: the tests fix it."""
    with freeze_time(TODAY):
        yield TODAY


@pytest.fixture
def ew(world, today) -> EngagementWorld:
    return EngagementWorld(world)
