"""One rule, one place: a partnership's pages offer a change exactly when its service would accept it.

The pages ask `can(user, partnership, action)` before offering a change and the services call `authorize`, built on
it (partnerships/access.py). For every role, each page is read as that person — the links it shows — and each
service is called as them inside a savepoint that is rolled back: the two must agree.
"""

import datetime

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Agreement, Membership, Role
from tests.fixtures import PERSONAS, client_for
from tests.rules import accepts, disagreements, links_on

ROLES = [persona for persona in PERSONAS if persona != "anonymous"]


@pytest.mark.parametrize("persona", ROLES)
def test_the_partnership_pages_offer_each_change_exactly_when_its_service_would_accept(world, client, persona):
    partnership, actor = world.partnership, getattr(world, persona)
    agreement = services.agreement_create(
        actor=world.lead,
        partnership=partnership,
        parties=[world.trust, world.council],
        kind="mou",
        title="Shared care records",
        effective_on=datetime.date(2026, 1, 1),
    )
    membership = Membership.objects.get(partnership=partnership, organisation=world.council)
    client = client_for(client, world, persona)
    overview = links_on(client.get(reverse("partnerships:overview", args=["QZZ"])))
    agreement_page = links_on(client.get(agreement.get_absolute_url()))
    changes = {
        "details": (
            overview,
            reverse("partnerships:partnership_update", args=["QZZ"]),
            services.partnership_update,
            {"partnership": partnership, "name": "Demo Health and Care Partnership (North)"},
        ),
        "membership": (
            overview,
            reverse("partnerships:membership_update", args=[membership.pk]),
            services.membership_update,
            {"membership": membership, "left_on": datetime.date(2026, 3, 31)},
        ),
        "a person's roles": (
            overview,
            reverse("partnerships:person_update", args=["QZZ", world.viewer.pk]),
            services.role_grant,
            {"partnership": partnership, "user": world.viewer, "role": Role.MEMBER},
        ),
        "a delegation": (
            overview,
            reverse("partnerships:delegation_create", args=["QZZ"]),
            services.delegation_create,
            {
                "partnership": partnership,
                "organisation": world.trust,
                "delegate": world.board,
                "categories": ["finance"],
                "valid_from": datetime.date(2025, 4, 1),
                "source_document": "Scheme of reservation and delegation",
            },
        ),
        "an agreement": (
            overview,
            reverse("partnerships:agreement_create", args=["QZZ"]),
            services.agreement_create,
            {
                "partnership": partnership,
                "parties": [world.trust],
                "kind": "mou",
                "title": "Estates",
                "effective_on": datetime.date(2026, 2, 1),
            },
        ),
        "change the agreement": (
            agreement_page,
            reverse("partnerships:agreement_update", args=[agreement.pk]),
            services.agreement_update,
            {"agreement": Agreement.objects.get(pk=agreement.pk), "title": "Shared care records (revised)"},
        ),
    }
    offered = {name: path in shown for name, (shown, path, _, _) in changes.items()}
    accepted = {
        name: accepts(service, actor=actor, **arguments) for name, (_, _, service, arguments) in changes.items()
    }
    assert disagreements(offered, accepted) == []
    assert any(accepted.values()) == (persona == "lead")  # the lead manages the partnership; nobody else here
