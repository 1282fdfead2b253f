"""One rule, one place: the digests page offers "Build digest now" and the schedule exactly when the services would
accept them.

The page asks `reporting.access.can_manage_digests`, the services call `authorize_manage_digests`, built on it. For
every role, the page is read as that person and each service called as them inside a savepoint that is rolled back.
"""

from unittest import mock

import pytest
from django.urls import reverse

from reporting.models import DigestFrequency
from reporting.services import digests as services
from tests.fixtures import PERSONAS, client_for
from tests.rules import accepts, disagreements, links_on, post_forms_on

ROLES = [persona for persona in PERSONAS if persona != "anonymous"]


@pytest.mark.parametrize("persona", ROLES)
def test_the_digests_page_offers_each_change_exactly_when_its_service_would_accept(world, client, persona):
    actor, partnership = getattr(world, persona), world.partnership
    response = client_for(client, world, persona).get(reverse("reporting:digest_list", args=["QZZ"]))
    offered = {
        "build now": reverse("reporting:digest_build_now", args=["QZZ"]) in post_forms_on(response),
        "schedule": reverse("reporting:digest_schedule_update", args=["QZZ"]) in links_on(response),
    }
    with mock.patch("reporting.services.digests.broker_status", return_value="ok"):  # queue it, not build it here
        accepted = {
            "build now": accepts(services.digest_build_now, actor=actor, partnership=partnership),
            "schedule": accepts(
                services.digest_schedule_update,
                actor=actor,
                partnership=partnership,
                frequency=DigestFrequency.WEEKLY,
                weekday=0,
                hour=8,
            ),
        }
    assert disagreements(offered, accepted) == []
    assert any(accepted.values()) == (persona == "lead")
