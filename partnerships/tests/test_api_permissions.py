"""The permission matrix of the partnerships API: every endpoint and method, for every persona, with token auth.

Anonymous → 401; someone with no role in QZZ → 404 for anything of it (as for a record that does not exist);
every role reads; only the partnership lead writes, and the others get 403 with nothing written.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from partnerships.models import PartnershipRole, Role
from tests.factories import AgreementFactory, DelegationFactory, OrganisationFactory
from tests.fixtures import PERSONAS

from .api_client import api_as, row_counts

pytestmark = pytest.mark.django_db

LIST = dict.fromkeys(PERSONAS, 200) | {"anonymous": 401}
READ = dict.fromkeys(PERSONAS, 200) | {"anonymous": 401, "outsider": 404}


def lead_only(success: int) -> dict[str, int]:
    refused = dict.fromkeys(PERSONAS, 403)
    return refused | {"anonymous": 401, "outsider": 404, "lead": success}


# Registering a partnership, and changing an organisation's shared record, are for service administrators (in the
# admin or with a superuser's token).
NOBODY = dict.fromkeys(PERSONAS, 403) | {"anonymous": 401}


@dataclass
class Case:
    name: str
    method: str
    url: Callable  # (world, records) -> str
    expected: dict[str, int]
    body: Callable | None = None  # (world, records) -> dict
    multipart: bool = False

    def __str__(self) -> str:
        return self.name


@pytest.fixture
def records(world):
    """One record of each kind in QZZ, for the detail and update URLs."""
    return {
        "delegation": DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board),
        "agreement": agreement_between(world.partnership, world.trust, world.council),
        "membership": world.council.memberships.get(partnership=world.partnership),
        "viewer_role": PartnershipRole.objects.get(user=world.viewer, permission__codename=Role.VIEWER),
        "newcomer": OrganisationFactory(name="Demo Hospice", ods_code="HOS1"),
    }


def agreement_between(partnership, *parties, **kwargs):
    agreement = AgreementFactory(partnership=partnership, **kwargs)
    agreement.parties.set(parties)
    return agreement


def url(name, *args):
    return lambda world, records: reverse(f"api:{name}", args=[arg(world, records) for arg in args])


def record_pk(key):
    return lambda world, records: records[key].pk


CASES = [
    Case("partnerships list", "get", url("partnership-list"), LIST),
    Case("partnership detail", "get", url("partnership-detail", lambda w, r: "QZZ"), READ),
    Case(
        "partnership create",
        "post",
        url("partnership-list"),
        NOBODY,
        body=lambda w, r: {"code": "QAA", "name": "New Health and Care Partnership"},
    ),
    Case(
        "partnership update",
        "patch",
        url("partnership-detail", lambda w, r: "QZZ"),
        lead_only(200),
        body=lambda w, r: {"region": "London"},
    ),
    Case("organisations list", "get", url("organisation-list"), LIST),
    Case("organisation detail", "get", url("organisation-detail", lambda w, r: w.council.pk), READ),
    Case(
        "organisation create",
        "post",
        url("organisation-list"),
        lead_only(201),
        body=lambda w, r: {
            "partnership": "QZZ",
            "name": "Demo Carers Trust",
            "kind": "vcse",
            "joined_on": "2026-01-05",
        },
    ),
    Case(
        "organisation update",
        "patch",
        url("organisation-detail", lambda w, r: w.council.pk),
        NOBODY | {"outsider": 404},  # a partnership lists an organisation, it does not own it: administrators only
        body=lambda w, r: {"postcode": "ZZ1 1ZZ"},
    ),
    Case("memberships list", "get", url("membership-list"), LIST),
    Case("membership detail", "get", url("membership-detail", record_pk("membership")), READ),
    Case(
        "membership create",
        "post",
        url("membership-list"),
        lead_only(201),
        body=lambda w, r: {"partnership": "QZZ", "organisation": r["newcomer"].pk, "joined_on": "2026-01-05"},
    ),
    Case(
        "membership update",
        "patch",
        url("membership-detail", record_pk("membership")),
        lead_only(200),
        body=lambda w, r: {"kind": "associate"},
    ),
    Case("roles list", "get", url("role-list"), LIST),
    Case("role detail", "get", url("role-detail", record_pk("viewer_role")), READ),
    Case(
        "role grant",
        "post",
        url("role-list"),
        lead_only(201),
        body=lambda w, r: {"partnership": "QZZ", "person": w.member.pk, "role": Role.BOARD_MEMBER},
    ),
    Case("role revoke", "delete", url("role-detail", record_pk("viewer_role")), lead_only(204)),
    Case("delegations list", "get", url("delegation-list"), LIST),
    Case("delegation detail", "get", url("delegation-detail", record_pk("delegation")), READ),
    Case(
        "delegation create",
        "post",
        url("delegation-list"),
        lead_only(201),
        body=lambda w, r: {
            "partnership": "QZZ",
            "organisation": w.trust.pk,
            "delegate": w.board.pk,
            "categories": ["finance"],
            "limit_pounds": "50000",
            "valid_from": "2026-04-01",
            "source_document": "Scheme of reservation and delegation",
        },
    ),
    Case(
        "delegation update",
        "patch",
        url("delegation-detail", record_pk("delegation")),
        lead_only(200),
        body=lambda w, r: {"limit_pounds": "75000.00"},
    ),
    Case("agreements list", "get", url("agreement-list"), LIST),
    Case("agreement detail", "get", url("agreement-detail", record_pk("agreement")), READ),
    Case(
        "agreement create",
        "post",
        url("agreement-list"),
        lead_only(201),
        body=lambda w, r: {
            "partnership": "QZZ",
            "kind": "mou",
            "title": "Shared care records MoU",
            "parties": [w.trust.pk],
        },
        multipart=True,
    ),
    Case(
        "agreement update",
        "patch",
        url("agreement-detail", record_pk("agreement")),
        lead_only(200),
        body=lambda w, r: {"status": "signed"},
        multipart=True,
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(world, records, case, persona):
    client = api_as(world, persona)
    before = row_counts()
    kwargs = {}
    if case.body:
        kwargs = {"data": case.body(world, records), "format": "multipart" if case.multipart else "json"}
    response = getattr(client, case.method)(case.url(world, records), **kwargs)
    assert response.status_code == case.expected[persona], response.content
    if response.status_code >= 400:
        assert row_counts() == before, "a refused request wrote something"
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == "Token"


def test_agreement_document_can_be_downloaded_by_every_role_and_nobody_else(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    agreement = AgreementFactory(
        partnership=world.partnership, document=SimpleUploadedFile("mou.pdf", b"%PDF-1.7 the text"), document_size=17
    )
    path = reverse("api:agreement-document", args=[agreement.pk])
    for persona, expected in READ.items():
        response = api_as(world, persona).get(path)
        assert response.status_code == expected, persona
        if expected == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.7 the text"


def test_a_superuser_registers_a_partnership(world):
    from tests.factories import UserFactory

    from .api_client import api_for_user

    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    response = api_for_user(admin).post(
        reverse("api:partnership-list"), {"code": "QAA", "name": "New Health and Care Partnership"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "QAA"
