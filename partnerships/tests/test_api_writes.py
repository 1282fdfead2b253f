"""Writes through the partnerships API go through the services: validated and audited as on the pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from partnerships.models import Agreement, Delegation, Membership, Organisation, PartnershipRole, Role
from tests.factories import AgreementFactory, DelegationFactory, MembershipFactory, OrganisationFactory, UserFactory

from .api_client import api_as, api_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_api(world):
    return api_as(world, "lead")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def last_audit():
    return AuditEvent.objects.order_by("-id").first()


def test_the_lead_records_a_delegation_and_it_is_audited(world, lead_api):
    response = lead_api.post(
        reverse("api:delegation-list"),
        {
            "partnership": "QZZ",
            "organisation": world.trust.pk,
            "delegate_role": Role.BOARD_MEMBER,
            "categories": ["service_change", "finance", "finance"],
            "limit_pounds": "2500000.00",
            "valid_from": "2026-04-01",
            "source_document": "Scheme of reservation and delegation",
            "source_version": "v4",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    delegation = Delegation.objects.get(pk=answer["id"])
    assert delegation.categories == ["finance", "service_change"]
    assert answer["categories"] == ["finance", "service_change"]
    assert answer["delegate"] is None
    assert answer["delegate_role"] == Role.BOARD_MEMBER
    assert (last_audit().action, last_audit().actor, last_audit().partnership_id) == (
        "delegation.created",
        world.lead,
        world.partnership.pk,
    )


def test_the_lead_ends_a_delegation_by_giving_its_end_date(world, lead_api):
    delegation = DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board)
    url = reverse("api:delegation-detail", args=[delegation.pk])
    response = lead_api.patch(url, {"valid_to": "2026-06-30"}, format="json")
    assert response.status_code == 200
    assert response.json()["valid_to"] == "2026-06-30"
    delegation.refresh_from_db()
    assert delegation.valid_to == datetime.date(2026, 6, 30)
    assert delegation.limit_pounds == 1_000_000
    assert last_audit().changes["valid_to"] == [None, "2026-06-30"]


def test_the_lead_adds_a_new_organisation_as_a_member(world, lead_api):
    response = lead_api.post(
        reverse("api:organisation-list"),
        {
            "partnership": "QZZ",
            "name": "Demo Hospice",
            "kind": "vcse",
            "ods_code": "",
            "membership_kind": "associate",
            "joined_on": "2026-01-05",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    organisation = Organisation.objects.get(pk=response.json()["id"])
    assert organisation.ods_code is None
    assert organisation.memberships.get().kind == "associate"
    assert {"organisation.created", "membership.added"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_a_service_administrator_corrects_an_organisation_and_every_listing_partnership_sees_it(world):
    MembershipFactory(partnership=world.other_partnership, organisation=world.council)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    url = reverse("api:organisation-detail", args=[world.council.pk])
    response = api_for_user(admin).patch(url, {"postcode": "ZZ1 1ZZ"}, format="json")
    assert response.status_code == 200
    assert response.json()["postcode"] == "ZZ1 1ZZ"
    events = AuditEvent.objects.filter(action="organisation.updated", target_id=world.council.pk)
    assert sorted(events.values_list("partnership_id", "actor__username")) == sorted(
        [(world.partnership.pk, "admin"), (world.other_partnership.pk, "admin")]
    )
    assert {event.changes["postcode"][1] for event in events} == {"ZZ1 1ZZ"}


def test_the_lead_of_a_partnership_that_lists_an_organisation_may_not_change_its_record(world, lead_api):
    url = reverse("api:organisation-detail", args=[world.council.pk])
    response = lead_api.patch(url, {"postcode": "ZZ1 1ZZ"}, format="json")
    assert response.status_code == 403
    assert "Propose a correction instead" in response.json()["detail"]
    world.council.refresh_from_db()
    assert world.council.postcode != "ZZ1 1ZZ"


def test_an_existing_organisation_joins_and_later_leaves(world, lead_api):
    newcomer = OrganisationFactory(name="Demo Ambulance Service", kind="ambulance_trust")
    joined = lead_api.post(
        reverse("api:membership-list"),
        {"partnership": "QZZ", "organisation": newcomer.pk, "kind": "observer", "joined_on": "2025-04-01"},
        format="json",
    )
    assert joined.status_code == 201
    assert joined.json()["is_current"] is True

    left = lead_api.patch(
        reverse("api:membership-detail", args=[joined.json()["id"]]), {"left_on": "2025-12-31"}, format="json"
    )
    assert left.status_code == 200
    assert left.json()["is_current"] is False
    assert Membership.objects.get(pk=joined.json()["id"]).left_on == datetime.date(2025, 12, 31)


def test_an_organisation_cannot_join_twice(world, lead_api):
    response = lead_api.post(
        reverse("api:membership-list"),
        {"partnership": "QZZ", "organisation": world.council.pk, "joined_on": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "already part of" in response.json()["organisation"][0]


def test_granting_a_role_twice_changes_nothing_the_second_time(world, lead_api):
    body = {"partnership": "QZZ", "person": world.member.pk, "role": Role.BOARD_MEMBER}
    first = lead_api.post(reverse("api:role-list"), body, format="json")
    assert first.status_code == 201
    assert first.json()["person"]["username"] == "member"
    audits = AuditEvent.objects.count()
    second = lead_api.post(reverse("api:role-list"), body, format="json")
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert AuditEvent.objects.count() == audits


def test_revoking_the_viewers_only_role_takes_the_partnership_away_from_them(world, lead_api):
    grant = PartnershipRole.objects.get(user=world.viewer)
    assert lead_api.delete(reverse("api:role-detail", args=[grant.pk])).status_code == 204
    assert last_audit().action == "role.revoked"
    assert api_as(world, "viewer").get(reverse("api:partnership-detail", args=["QZZ"])).status_code == 404


def test_a_role_itself_cannot_be_changed_only_granted_or_revoked(world, lead_api):
    """A PATCH changes whom the person represents, never which role it is."""
    grant = PartnershipRole.objects.get(user=world.viewer)
    response = lead_api.patch(reverse("api:role-detail", args=[grant.pk]), {"role": Role.LEAD}, format="json")
    assert response.status_code == 400
    assert response.json()["role"] == ["This field cannot be set here."]
    assert PartnershipRole.objects.get(pk=grant.pk).permission.codename == Role.VIEWER


def test_the_lead_changes_the_partnerships_details(world, lead_api):
    response = lead_api.patch(
        reverse("api:partnership-detail", args=["QZZ"]),
        {"governance_form": "joint_committee", "population": 1_250_000},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["governance_form"] == "joint_committee"
    assert last_audit().action == "partnership.updated"


def test_an_agreement_is_recorded_with_its_document_and_the_document_downloads(world, lead_api):
    pdf = b"%PDF-1.7\nterms of reference"
    response = lead_api.post(
        reverse("api:agreement-list"),
        {
            "partnership": "QZZ",
            "kind": "terms_of_reference",
            "title": "Board terms of reference",
            "parties": [world.trust.pk, world.council.pk],
            "effective_on": "2026-04-01",
            "review_on": "2027-04-01",
            "document": SimpleUploadedFile("terms.pdf", pdf, content_type="application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    assert [party["name"] for party in answer["parties"]] == [
        "Demo City Council",
        "Demo Hospitals NHS Foundation Trust",
    ]
    assert answer["document"]["filename"] == "terms.pdf"
    assert answer["document"]["size"] == len(pdf)
    assert answer["document"]["url"] == f"http://testserver/api/v1/agreements/{answer['id']}/document/"

    download = api_as(world, "viewer").get(answer["document"]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf
    assert download["Content-Disposition"] == 'attachment; filename="terms.pdf"'
    assert download["Content-Type"] == "application/pdf"


def test_a_new_document_and_new_parties_replace_the_old(world, lead_api):
    agreement = AgreementFactory(partnership=world.partnership)
    agreement.parties.set([world.trust])
    response = lead_api.patch(
        reverse("api:agreement-detail", args=[agreement.pk]),
        {
            "parties": [world.council.pk],
            "status": "signed",
            "document": SimpleUploadedFile("signed.docx", b"PK\x03\x04 word"),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert list(agreement.parties.all()) == [world.council]
    assert agreement.status == "signed"
    assert agreement.document_filename == "signed.docx"
    assert agreement.document_size == len(b"PK\x03\x04 word")
