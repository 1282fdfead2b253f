"""The API of sovereign organisations: their administrators keep their record, answer the corrections leads propose,
confirm their delegations and confirm who represents them; a partnership lists an organisation but does not own it.

The personas add, to those of `world`: the administrator of Demo City Council (who holds no partnership role), the
administrator of another organisation (Demo Hospitals, also without a role) and a service administrator.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from core.models import AuditEvent
from partnerships import services
from partnerships.models import (
    CorrectionStatus,
    Delegation,
    Organisation,
    OrganisationCorrection,
    OrganisationRole,
    PartnershipRole,
    Role,
)
from tests.factories import DelegationFactory, PartnershipFactory, ProfileFactory, UserFactory, grant, member_of

from .api_client import api_as, api_for_user, queries_for, row_counts

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "viewer", "lead", "other_admin", "council_admin", "service_admin"]
ADMINISTRATOR = "partnerships.administer"


def administrator_of(organisation, username: str):
    """Someone who administers `organisation` and holds no role in any partnership."""
    user = UserFactory(username=username)
    ProfileFactory(user=user, organisation=organisation, job_title="Board secretary")
    assign_perm(ADMINISTRATOR, user, organisation)
    return user


@pytest.fixture
def people(world):
    return {
        "council_admin": administrator_of(world.council, "council_admin"),
        "other_admin": administrator_of(world.trust, "other_admin"),
        "service_admin": UserFactory(username="service_admin", is_superuser=True, is_staff=True),
    }


def client_as(world, people, persona: str):
    return api_for_user(people[persona]) if persona in people else api_as(world, persona)


def all_rows() -> dict[str, int]:
    return row_counts() | {
        "OrganisationRole": OrganisationRole.objects.count(),
        "OrganisationCorrection": OrganisationCorrection.objects.count(),
    }


@pytest.fixture
def records(world, people):
    """A pending correction to the council's name proposed from QZZ; an unconfirmed delegation of the council; the
    non-executive's role, which represents the council and awaits confirmation; a second administrator of it."""
    deputy = administrator_of(world.council, "deputy")
    return {
        "correction": services.correction_propose(
            actor=world.lead,
            partnership=world.partnership,
            organisation=world.council,
            reason="The council renamed itself in April.",
            name="Demo City Council (Unitary)",
        ),
        "delegation": DelegationFactory(
            partnership=world.partnership, organisation=world.council, delegate=world.ned, recorded_by=world.lead
        ),
        "ned_role": PartnershipRole.objects.get(user=world.ned),
        "deputy_grant": OrganisationRole.objects.get(user=deputy),
    }


def matrix(anonymous=401, outsider=404, viewer=200, lead=200, other_admin=404, council_admin=200, service_admin=200):
    return locals()


# Anyone signed in lists: each sees only what they may (test_what_each_person_sees_in_the_lists).
LIST = matrix(outsider=200, other_admin=200)
# Only the organisation's administrators act for it; a role in the partnership, even its lead's, does not.
ORGANISATION_ONLY = matrix(viewer=403, lead=403, service_admin=403)


@dataclass
class Case:
    name: str
    method: str
    url: Callable  # (world, records) -> str
    expected: dict[str, int]
    body: Callable | None = None  # (world, records) -> dict

    def __str__(self) -> str:
        return self.name


def url(name, key=None, *, pk=None):
    def build(world, records):
        if key is None and pk is None:
            return reverse(f"api:{name}")
        return reverse(f"api:{name}", args=[records[key].pk if key else pk(world)])

    return build


DELEGATION = {
    "partnership": "QZZ",
    "delegate_role": Role.BOARD_MEMBER,
    "categories": ["finance"],
    "valid_from": "2026-04-01",
    "source_document": "Scheme of reservation and delegation",
}

CASES = [
    Case("organisation detail", "get", url("organisation-detail", pk=lambda w: w.council.pk), matrix()),
    Case(
        "organisation update",
        "patch",
        url("organisation-detail", pk=lambda w: w.council.pk),
        matrix(viewer=403, lead=403),
        body=lambda w, r: {"contact_email": "board.secretary@council.example", "website": "https://council.example"},
    ),
    Case("administrators list", "get", url("organisation-administrator-list"), LIST),
    Case(
        "administrator appoint",
        "post",
        url("organisation-administrator-list"),
        # An organisation the person cannot see is an id they cannot use: 400, as for any such id in a body.
        matrix(outsider=400, viewer=403, lead=403, other_admin=400, council_admin=201, service_admin=201),
        body=lambda w, r: {"organisation": w.council.pk, "user": w.member.pk},
    ),
    Case(
        "administrator remove",
        "delete",
        url("organisation-administrator-detail", "deputy_grant"),
        matrix(viewer=403, lead=403, council_admin=204, service_admin=204),
    ),
    Case("corrections list", "get", url("organisation-correction-list"), LIST),
    Case("correction detail", "get", url("organisation-correction-detail", "correction"), matrix()),
    Case(
        "correction propose",
        "post",
        url("organisation-correction-list"),
        # Proposed from a partnership, by its lead: an administrator with no role there cannot see it.
        matrix(viewer=403, lead=201, council_admin=404, service_admin=201),
        body=lambda w, r: {
            "partnership": "QZZ",
            "organisation": w.council.pk,
            "website": "https://democity.example",
            "reason": "Its website moved.",
        },
    ),
    Case(
        "correction accept",
        "post",
        url("organisation-correction-accept", "correction"),
        matrix(viewer=403, lead=403),
        body=lambda w, r: {"answer": "Thank you."},
    ),
    Case(
        "correction decline",
        "post",
        url("organisation-correction-decline", "correction"),
        matrix(viewer=403, lead=403),
        body=lambda w, r: {"answer": "The rename takes effect next year."},
    ),
    Case("delegation detail", "get", url("delegation-detail", "delegation"), matrix()),
    Case(
        "delegation record",
        "post",
        url("delegation-list"),
        # Demo Hospitals' administrator may record delegations in QZZ, but only for their own organisation.
        matrix(viewer=403, lead=201, other_admin=400, council_admin=201, service_admin=201),
        body=lambda w, r: {**DELEGATION, "organisation": w.council.pk},
    ),
    Case("delegation confirm", "post", url("delegation-confirm", "delegation"), ORGANISATION_ONLY),
    Case("role detail", "get", url("role-detail", "ned_role"), matrix()),
    Case(
        "role affiliation set",
        "patch",
        url("role-detail", "ned_role"),
        matrix(viewer=403, council_admin=404),
        body=lambda w, r: {"organisation": w.trust.pk},
    ),
    Case("affiliation confirm", "post", url("role-confirm-affiliation", "ned_role"), ORGANISATION_ONLY),
    Case(
        "affiliation decline",
        "post",
        url("role-decline-affiliation", "ned_role"),
        ORGANISATION_ONLY,
        body=lambda w, r: {"reason": "She left the council in March."},
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(world, people, records, case, persona):
    client = client_as(world, people, persona)
    before = all_rows()
    kwargs = {"data": case.body(world, records), "format": "json"} if case.body else {}
    response = getattr(client, case.method)(case.url(world, records), **kwargs)
    assert response.status_code == case.expected[persona], response.content
    if response.status_code >= 400:
        assert all_rows() == before, "a refused request wrote something"
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == "Token"


def audits() -> int:
    return AuditEvent.objects.count()


# --- Organisations ---------------------------------------------------------------------------------------------------


def test_an_organisations_record_shows_who_keeps_it(world, people):
    response = api_as(world, "viewer").get(reverse("api:organisation-detail", args=[world.council.pk]))
    assert response.json()["administrators"] == [people["council_admin"].display_name]
    assert response.json()["has_administrators"] is True
    other = member_of(world.partnership, name="Demo Hospice")
    answer = api_as(world, "viewer").get(reverse("api:organisation-detail", args=[other.pk])).json()
    assert (answer["administrators"], answer["has_administrators"], answer["contact_email"]) == ([], False, "")


def test_an_administrator_with_no_partnership_role_reads_and_keeps_their_organisations_record(world, people):
    client = api_for_user(people["council_admin"])
    url = reverse("api:organisation-detail", args=[world.council.pk])
    assert client.get(url).json()["name"] == "Demo City Council"
    assert [row["name"] for row in client.get(reverse("api:organisation-list")).json()["results"]] == [
        "Demo City Council"
    ]
    response = client.patch(url, {"name": "Demo City Council (Unitary)"}, format="json")
    assert response.status_code == 200, response.content
    assert Organisation.objects.get(pk=world.council.pk).name == "Demo City Council (Unitary)"
    event = AuditEvent.objects.filter(action="organisation.updated").get()
    assert "as administrator of" in event.summary


def test_an_organisations_administrator_may_not_change_its_reference_fields(world, people):
    url = reverse("api:organisation-detail", args=[world.council.pk])
    before = audits()
    for field, value in (("postcode", "ZZ1 1ZZ"), ("ods_code", "Z9999")):
        response = api_for_user(people["council_admin"]).patch(url, {field: value}, format="json")
        assert response.status_code == 403
        assert "Ask a service administrator to correct them" in response.json()["detail"]
    world.council.refresh_from_db()
    assert (world.council.postcode, world.council.ods_code, audits()) == ("", "Z1001", before)


def test_the_lead_is_told_to_propose_a_correction_instead(world, people):
    response = api_as(world, "lead").patch(
        reverse("api:organisation-detail", args=[world.council.pk]), {"name": "Council"}, format="json"
    )
    assert response.status_code == 403
    assert "Propose a correction instead" in response.json()["detail"]


# --- Administrators --------------------------------------------------------------------------------------------------


def test_an_administrator_appoints_a_colleague_and_appointing_them_again_changes_nothing(world, people):
    client = api_for_user(people["council_admin"])
    body = {"organisation": world.council.pk, "user": world.member.pk}
    first = client.post(reverse("api:organisation-administrator-list"), body, format="json")
    assert first.status_code == 201, first.content
    assert (first.json()["organisation"]["id"], first.json()["user"]["username"]) == (world.council.pk, "member")
    assert OrganisationRole.objects.filter(content_object=world.council, user=world.member).exists()
    before = audits()
    again = client.post(reverse("api:organisation-administrator-list"), body, format="json")
    assert (again.status_code, again.json()["id"], audits()) == (200, first.json()["id"], before)


def test_a_service_administrator_appoints_the_first_administrator_of_any_organisation(world, people):
    newcomer = UserFactory(username="secretary")
    response = api_for_user(people["service_admin"]).post(
        reverse("api:organisation-administrator-list"),
        {"organisation": world.other_trust.pk, "user": newcomer.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (
        api_for_user(newcomer).get(reverse("api:organisation-detail", args=[world.other_trust.pk])).status_code == 200
    )


def test_the_last_administrator_cannot_remove_themselves(world, people):
    grant = OrganisationRole.objects.get(user=people["council_admin"])
    before = all_rows()
    response = api_for_user(people["council_admin"]).delete(
        reverse("api:organisation-administrator-detail", args=[grant.pk])
    )
    assert response.status_code == 400
    assert "needs an administrator" in response.json()["user"][0]
    assert all_rows() == before


def test_the_administrators_list_is_filtered_by_organisation(world, people):
    client = api_for_user(people["service_admin"])
    response = client.get(reverse("api:organisation-administrator-list"), {"organisation": world.trust.pk})
    assert [row["user"]["username"] for row in response.json()["results"]] == ["other_admin"]


# --- Corrections -----------------------------------------------------------------------------------------------------


def test_the_lead_proposes_a_correction_and_the_administrator_accepts_it(world, people):
    proposed = api_as(world, "lead").post(
        reverse("api:organisation-correction-list"),
        {
            "partnership": "QZZ",
            "organisation": world.council.pk,
            "name": "Demo City Council (Unitary)",
            "contact_email": "governance@democity.example",
            "reason": "The council renamed itself in April.",
        },
        format="json",
    )
    assert proposed.status_code == 201, proposed.content
    answer = proposed.json()
    assert (answer["status"], answer["partnership"], answer["proposed_by"]["username"]) == ("pending", "QZZ", "lead")
    assert {change["field"]: [change["current"], change["proposed"]] for change in answer["changes"]} == {
        "name": ["Demo City Council", "Demo City Council (Unitary)"],
        "contact_email": ["", "governance@democity.example"],
    }
    assert Organisation.objects.get(pk=world.council.pk).name == "Demo City Council", "not before it is accepted"

    accept = reverse("api:organisation-correction-accept", args=[answer["id"]])
    accepted = api_for_user(people["council_admin"]).post(accept, {}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["status"], accepted.json()["answered_by"]["username"]) == ("accepted", "council_admin")
    assert accepted.json()["answer"] == ""
    council = Organisation.objects.get(pk=world.council.pk)
    assert (council.name, council.contact_email) == ("Demo City Council (Unitary)", "governance@democity.example")


def test_the_administrator_declines_a_correction_with_a_reason_and_the_record_stays(world, people, records):
    correction = records["correction"]
    response = api_for_user(people["council_admin"]).post(
        reverse("api:organisation-correction-decline", args=[correction.pk]),
        {"answer": "The rename takes effect next year."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["answer"]) == ("declined", "The rename takes effect next year.")
    assert Organisation.objects.get(pk=world.council.pk).name == "Demo City Council"


def test_a_correction_is_answered_once(world, people, records):
    client = api_for_user(people["council_admin"])
    correction = records["correction"]
    accept = reverse("api:organisation-correction-accept", args=[correction.pk])
    assert client.post(accept, {}, format="json").status_code == 200
    before = all_rows()
    again = client.post(
        reverse("api:organisation-correction-decline", args=[correction.pk]), {"answer": "No."}, format="json"
    )
    assert again.status_code == 400
    assert "accepted already" in again.json()["non_field_errors"][0]
    assert all_rows() == before


def test_a_correction_to_the_postcode_is_answered_by_a_service_administrator_only(world, people):
    correction = services.correction_propose(
        actor=world.lead, partnership=world.partnership, organisation=world.council, reason="Moved.", postcode="ZZ1 1ZZ"
    )
    accept = reverse("api:organisation-correction-accept", args=[correction.pk])
    refused = api_for_user(people["council_admin"]).post(accept, {}, format="json")
    assert refused.status_code == 403
    assert "ODS code and postcode" in refused.json()["detail"]
    assert api_for_user(people["service_admin"]).post(accept, {}, format="json").status_code == 200
    assert Organisation.objects.get(pk=world.council.pk).postcode == "ZZ1 1ZZ"


def test_the_corrections_list_is_filtered_by_organisation_and_status(world, people, records):
    member_of(world.partnership, world.other_trust)
    other = services.correction_propose(
        actor=world.lead,
        partnership=world.partnership,
        organisation=world.other_trust,
        reason="Typo.",
        name="Elsewhere",
    )
    client = api_as(world, "lead")
    listed = reverse("api:organisation-correction-list")

    def ids(**query):
        return [row["id"] for row in client.get(listed, query).json()["results"]]

    assert ids() == [other.pk, records["correction"].pk]
    assert ids(organisation=world.council.pk) == [records["correction"].pk]
    services.correction_decline(actor=people["service_admin"], correction=other, answer="No.")
    assert ids(status=CorrectionStatus.PENDING) == [records["correction"].pk]
    assert ids(status=CorrectionStatus.DECLINED) == [other.pk]
    assert client.get(listed, {"status": "lost"}).status_code == 400


def test_what_each_person_sees_in_the_lists(world, people, records):
    def usernames(persona, name, key):
        rows = client_as(world, people, persona).get(reverse(f"api:{name}")).json()["results"]
        return sorted({key(row) for row in rows})

    correction_ids = {
        persona: usernames(persona, "organisation-correction-list", lambda row: row["id"]) for persona in PERSONAS[1:]
    }
    assert correction_ids["outsider"] == correction_ids["other_admin"] == []
    assert correction_ids["lead"] == correction_ids["council_admin"] == [records["correction"].pk]

    administrators = usernames("other_admin", "organisation-administrator-list", lambda row: row["user"]["username"])
    assert administrators == ["other_admin"]
    assert usernames("viewer", "organisation-administrator-list", lambda row: row["user"]["username"]) == [
        "council_admin",
        "deputy",
        "other_admin",
    ]
    # The council's administrator sees the roles of those who represent the council, in any partnership.
    roles = usernames("council_admin", "role-list", lambda row: row["person"]["username"])
    assert roles == ["member", "ned", "viewer"]
    delegations = usernames("other_admin", "delegation-list", lambda row: row["organisation"]["name"])
    assert delegations == []


# --- Delegations -----------------------------------------------------------------------------------------------------


def test_an_administrator_with_no_partnership_role_records_a_delegation_and_it_is_confirmed(world, people):
    client = api_for_user(people["council_admin"])
    response = client.post(
        reverse("api:delegation-list"),
        {**DELEGATION, "organisation": world.council.pk, "delegate_role": "", "delegate": world.ned.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    assert (answer["is_confirmed"], answer["recorded_by"]["username"]) == (True, "council_admin")
    assert answer["confirmed_by"]["username"] == "council_admin"
    assert [row["id"] for row in client.get(reverse("api:delegation-list")).json()["results"]] == [answer["id"]]
    assert client.get(reverse("api:delegation-detail", args=[answer["id"]])).status_code == 200


def test_the_leads_delegation_awaits_confirmation_until_the_administrator_confirms_it(world, people, records):
    delegation = records["delegation"]
    lead = api_as(world, "lead")
    shown = lead.get(reverse("api:delegation-detail", args=[delegation.pk])).json()
    assert (shown["is_confirmed"], shown["confirmed_by"], shown["confirmed_at"]) == (False, None, None)
    assert shown["recorded_by"]["username"] == "lead"
    listed = reverse("api:delegation-list")
    assert [row["id"] for row in lead.get(listed, {"confirmed": "false"}).json()["results"]] == [delegation.pk]
    assert lead.get(listed, {"confirmed": "true"}).json()["results"] == []

    confirmed = api_for_user(people["council_admin"]).post(reverse("api:delegation-confirm", args=[delegation.pk]))
    assert confirmed.status_code == 200, confirmed.content
    assert (confirmed.json()["is_confirmed"], confirmed.json()["confirmed_by"]["username"]) == (True, "council_admin")
    assert [row["id"] for row in lead.get(listed, {"confirmed": "true"}).json()["results"]] == [delegation.pk]

    before = all_rows()
    again = api_for_user(people["council_admin"]).post(reverse("api:delegation-confirm", args=[delegation.pk]))
    assert again.status_code == 400
    assert "confirmed on" in again.json()["non_field_errors"][0]
    refused = lead.patch(reverse("api:delegation-detail", args=[delegation.pk]), {"valid_to": "2027-03-31"})
    assert refused.status_code == 403
    assert "only its administrators change or end it" in refused.json()["detail"]
    assert all_rows() == before


# --- Affiliations ----------------------------------------------------------------------------------------------------


def test_the_lead_records_whom_a_person_represents_and_the_organisation_confirms_it(world, people):
    role = PartnershipRole.objects.get(user=world.board)
    response = api_as(world, "lead").patch(
        reverse("api:role-detail", args=[role.pk]), {"organisation": world.council.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["organisation"]["id"], response.json()["organisation_confirmed"]) == (
        world.council.pk,
        False,
    )

    confirmed = api_for_user(people["council_admin"]).post(reverse("api:role-confirm-affiliation", args=[role.pk]))
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["organisation_confirmed"] is True
    assert PartnershipRole.objects.get(pk=role.pk).organisation_confirmed_by == people["council_admin"]


def test_the_administrator_declines_an_affiliation_and_the_person_represents_nobody(world, people, records):
    role = records["ned_role"]
    response = api_for_user(people["council_admin"]).post(
        reverse("api:role-decline-affiliation", args=[role.pk]), {"reason": "She left in March."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["organisation"], response.json()["organisation_confirmed"]) == (None, False)
    assert PartnershipRole.objects.get(pk=role.pk).organisation is None
    assert AuditEvent.objects.get(action="affiliation.declined").reason == "She left in March."


def test_a_role_without_an_affiliation_has_nothing_to_confirm(world, people):
    role = PartnershipRole.objects.get(user=world.viewer)
    role.organisation = None
    role.save()
    response = api_as(world, "lead").post(reverse("api:role-confirm-affiliation", args=[role.pk]))
    assert response.status_code == 404


# --- Bad input: 400 with a message naming the field, and nothing written ---------------------------------------------

TOO_LONG = "x" * 2001
MARKUP = "<script>alert(1)</script>"
LEFT_OUT = object()


def body_of(world, base: dict, changes: dict) -> dict:
    """`base` with `changes`: a value may be a function of the world (someone else's id), or LEFT_OUT."""
    body = {**base, **changes}
    return {key: value(world) if callable(value) else value for key, value in body.items() if value is not LEFT_OUT}


def refused(client, url, data, *, method="post"):
    before = all_rows()
    response = getattr(client, method)(url, data, format="json")
    assert response.status_code == 400, response.content
    assert all_rows() == before, "a refused request wrote something"
    return response.json()


CORRECTION = {
    "partnership": "QZZ",
    "organisation": lambda world: world.council.pk,
    "website": "https://new.example",
    "reason": "Its website moved.",
}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reason": LEFT_OUT}, "reason", "This field is required."),
        ({"reason": "  "}, "reason", "Say why the record should change."),
        ({"reason": TOO_LONG}, "reason", "2000 characters"),
        ({"reason": MARKUP}, "reason", "Remove the HTML tags"),
        ({"name": MARKUP}, "name", "Remove the HTML tags"),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"website": "not a site"}, "website", "Enter a valid URL."),
        ({"contact_email": 12}, "contact_email", "Enter a valid email address."),
        ({"kind": "hospital"}, "kind", "is not a valid choice"),
        ({"organisation": "the council"}, "organisation", "Enter an id (a whole number)"),
        ({"organisation": None}, "organisation", "This field may not be null."),
        ({"organisation": lambda world: world.other_trust.pk}, "organisation", "There is no record with id"),
        ({"governance_form": "x"}, "governance_form", "This field cannot be set here."),
        ({"website": LEFT_OUT, "name": "Demo City Council"}, "non_field_errors", "Change at least one detail"),
    ],
)
def test_a_bad_correction_is_refused(world, changes, field, message):
    body = body_of(world, CORRECTION, changes)
    errors = refused(api_as(world, "lead"), reverse("api:organisation-correction-list"), body)
    assert message in errors[field][0]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "This field is required."),
        ({"answer": " "}, "Say why the record should stay as it is."),
        ({"answer": TOO_LONG}, "2000 characters"),
        ({"answer": MARKUP}, "Remove the HTML tags"),
        ({"answer": ["no"]}, "Not a valid string."),
    ],
)
def test_a_decline_without_a_good_answer_is_refused(world, people, records, body, message):
    url = reverse("api:organisation-correction-decline", args=[records["correction"].pk])
    errors = refused(api_for_user(people["council_admin"]), url, body)
    assert message in errors["answer"][0]
    assert OrganisationCorrection.objects.get(pk=records["correction"].pk).is_pending


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": MARKUP}, "name", "Remove the HTML tags"),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"name": ""}, "name", "This field may not be blank."),
        ({"contact_email": "secretary at council"}, "contact_email", "Enter a valid email address."),
        ({"website": 12}, "website", "Enter a valid URL."),
        ({"opened_on": "soon"}, "opened_on", "Date has wrong format."),
        ({"administrators": ["me"]}, "administrators", "This field cannot be set here."),
    ],
)
def test_an_administrators_bad_change_to_the_record_is_refused(world, people, body, field, message):
    url = reverse("api:organisation-detail", args=[world.council.pk])
    errors = refused(api_for_user(people["council_admin"]), url, body, method="patch")
    assert message in errors[field][0]
    assert Organisation.objects.get(pk=world.council.pk).name == "Demo City Council"


APPOINTMENT = {"organisation": lambda world: world.council.pk, "user": lambda world: world.member.pk}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"user": LEFT_OUT}, "user", "This field is required."),
        ({"user": "me"}, "user", "Enter an id (a whole number)"),
        ({"user": lambda world: world.outsider.pk}, "user", "There is no record with id"),
        ({"organisation": "council"}, "organisation", "Enter an id (a whole number)"),
        ({"organisation": lambda world: world.other_trust.pk}, "organisation", "There is no record with id"),
    ],
)
def test_a_bad_appointment_is_refused(world, people, changes, field, message):
    body = body_of(world, APPOINTMENT, changes)
    errors = refused(api_for_user(people["council_admin"]), reverse("api:organisation-administrator-list"), body)
    assert message in errors[field][0]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"organisation": "trust"}, "organisation", "Enter an id (a whole number)"),
        ({"organisation": lambda world: world.other_trust.pk}, "organisation", "There is no record with id"),
        ({"person": 3}, "person", "This field cannot be set here."),
    ],
)
def test_a_bad_affiliation_is_refused(world, records, body, field, message):
    url = reverse("api:role-detail", args=[records["ned_role"].pk])
    errors = refused(api_as(world, "lead"), url, body_of(world, {}, body), method="patch")
    assert message in errors[field][0]
    assert PartnershipRole.objects.get(pk=records["ned_role"].pk).organisation == world.council


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "This field is required."),
        ({"reason": ""}, "Say why this person does not represent the organisation."),
        ({"reason": TOO_LONG}, "2000 characters"),
        ({"reason": MARKUP}, "Remove the HTML tags"),
        ({"reason": ["left", "March"]}, "Not a valid string."),
    ],
)
def test_an_affiliation_is_declined_only_with_a_good_reason(world, people, records, body, message):
    url = reverse("api:role-decline-affiliation", args=[records["ned_role"].pk])
    errors = refused(api_for_user(people["council_admin"]), url, body)
    assert message in errors["reason"][0]
    assert PartnershipRole.objects.get(pk=records["ned_role"].pk).organisation == world.council


def test_a_delegation_for_another_organisation_is_refused_to_an_administrator(world, people):
    errors = refused(
        api_for_user(people["council_admin"]),
        reverse("api:delegation-list"),
        {**DELEGATION, "organisation": world.trust.pk},
    )
    assert "There is no record with id" in errors["organisation"][0]
    assert not Delegation.objects.exists()


# --- Lists make as many queries for 30 rows as for 3 ----------------------------------------------------------------


def add_administered_members(world, people, count):
    for index in range(count):
        organisation = member_of(world.partnership)
        for suffix in "ab":
            assign_perm(ADMINISTRATOR, UserFactory(username=f"admin-{organisation.pk}-{index}-{suffix}"), organisation)


def add_corrections(world, people, count):
    for _ in range(count):
        organisation = member_of(world.partnership)
        correction = services.correction_propose(
            actor=world.lead, partnership=world.partnership, organisation=organisation, reason="Typo.", name="Renamed"
        )
        services.correction_decline(actor=people["service_admin"], correction=correction, answer="No.")


def add_council_delegations(world, people, count):
    for _ in range(count):
        person = UserFactory()
        ProfileFactory(user=person, organisation=world.council)
        grant(person, world.partnership, Role.BOARD_MEMBER)
        services.delegation_create(
            actor=people["council_admin"],
            partnership=world.partnership,
            organisation=world.council,
            delegate=person,
            categories=["finance"],
            valid_from="2026-04-01",
            source_document="Scheme of reservation and delegation",
        )


def add_council_representatives(world, people, count):
    for _ in range(count):
        person = UserFactory()
        ProfileFactory(user=person, organisation=world.council)
        grant(person, PartnershipFactory(), Role.MEMBER, organisation=world.council)


LISTS = [
    ("organisation-list", "service_admin", add_administered_members),
    ("organisation-administrator-list", "service_admin", add_administered_members),
    ("organisation-correction-list", "lead", add_corrections),
    ("organisation-correction-list", "service_admin", add_corrections),
    ("delegation-list", "council_admin", add_council_delegations),
    ("role-list", "council_admin", add_council_representatives),
]


@pytest.mark.parametrize(("url_name", "persona", "add"), LISTS, ids=[f"{name} as {who}" for name, who, _ in LISTS])
def test_a_list_makes_as_many_queries_for_30_rows_as_for_3(world, people, url_name, persona, add):
    client = client_as(world, people, persona)
    url = reverse(f"api:{url_name}")
    add(world, people, 3)
    few = queries_for(client, url)
    add(world, people, 27)
    many = queries_for(client, url)
    assert client.get(url).json()["count"] >= 30
    assert many == few
    assert few <= 5, "token, count and rows, plus a prefetch of administrators and their names at most"
