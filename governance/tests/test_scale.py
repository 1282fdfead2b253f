"""The benchmark data: decisions over five years for every partnership, consistent enough to page through, and
never added twice."""

import io
from types import SimpleNamespace

from governance.models import Decision, DecisionStatus, ReferenceCounter, SignOff
from governance.seed import scale
from governance.selectors.validity import validity_for
from tests.fixtures import client_for

from .support import more_members, signatories


def quiet_progress(total, description):
    return SimpleNamespace(update=lambda count: None, close=lambda: None)


def test_scale_seeds_decisions_in_every_partnership_once(world, client):
    signatories(world)
    more_members(world, 4)
    scale.seed(scale=0.1, random_seed=7, progress=quiet_progress, stdout=io.StringIO())

    decisions = Decision.objects.filter(partnership=world.partnership)
    assert decisions.count() == 40
    assert Decision.objects.filter(partnership=world.other_partnership).count() == 40
    assert decisions.filter(status=DecisionStatus.APPROVED).exists()
    assert SignOff.objects.filter(decision__partnership=world.partnership).exists()
    superseded = decisions.filter(status=DecisionStatus.SUPERSEDED).first()
    assert superseded is None or superseded.superseded_by.status in (DecisionStatus.APPROVED, DecisionStatus.SUPERSEDED)
    numbers = {(year, number) for year, number in decisions.values_list("year", "number")}
    for counter in ReferenceCounter.objects.filter(partnership=world.partnership):
        assert {(counter.year, n) for n in range(1, counter.last_number + 1)} <= numbers  # no gaps
    signing = decisions.filter(status=DecisionStatus.IN_SIGNOFF).first()
    if signing is not None:
        assert validity_for(signing).rows

    scale.seed(scale=0.1, random_seed=7, progress=quiet_progress, stdout=io.StringIO())
    assert Decision.objects.count() == 80

    client = client_for(client, world, "board")
    assert client.get("/partnerships/QZZ/decisions/?page=2").status_code == 200
    assert client.get(decisions.order_by("?").first().get_absolute_url()).status_code == 200
