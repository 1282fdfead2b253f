"""The Django admin for organisations' own records: administrators are appointed and removed, corrections answered,
delegations' confirmations and people's affiliations shown, all through the same services as the pages."""

import pytest
from django.contrib.auth.models import Permission

from core.models import AuditEvent
from partnerships import services
from partnerships.access import administers
from partnerships.models import (
    CorrectionStatus,
    OrganisationRole,
    PartnershipRole,
    Role,
)
from tests.factories import DelegationFactory, ProfileFactory, UserFactory
from tests.html import parse

from .pages_support import written

pytestmark = pytest.mark.django_db

WEBSITE = "https://www.demo-city.example/"


@pytest.fixture
def admin_client(client, world):
    client.force_login(UserFactory(username="administrator", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def correction(world):
    return services.correction_propose(
        actor=world.lead,
        partnership=world.partnership,
        organisation=world.council,
        reason="The council's website is missing.",
        website=WEBSITE,
    )


def appoint(organisation, user):
    OrganisationRole.objects.create(
        content_object=organisation,
        user=user,
        permission=Permission.objects.get(codename="administer", content_type__app_label="partnerships"),
    )


@pytest.mark.parametrize("model", ["organisationrole", "organisationcorrection"])
def test_a_superuser_lists_administrators_and_corrections(admin_client, world, correction, model):
    appoint(world.trust, world.board)
    page = admin_client.get(f"/admin/partnerships/{model}/")
    assert page.status_code == 200
    assert ("Demo Hospitals NHS Foundation Trust" if model == "organisationrole" else "Demo City Council") in (
        page.content.decode()
    )


def test_appointing_an_administrator_in_the_admin_goes_through_the_service(admin_client, world):
    response = admin_client.post(
        "/admin/partnerships/organisationrole/add/", {"user": world.member.pk, "content_object": world.council.pk}
    )
    assert response.status_code == 302
    assert administers(world.member, world.council)
    event = AuditEvent.objects.get(action="organisation.administrator_appointed")
    assert (event.actor.username, event.changes) == ("administrator", {"administrator": [None, world.member.pk]})


def test_appointing_someone_without_an_active_account_is_refused_on_the_form(admin_client, world):
    world.member.is_active = False
    world.member.save()
    before = written()
    response = admin_client.post(
        "/admin/partnerships/organisationrole/add/", {"user": world.member.pk, "content_object": world.council.pk}
    )
    assert response.status_code == 200
    assert "has no active account." in parse(response).select_one(".errorlist").get_text()
    assert not OrganisationRole.objects.exists()
    assert written() == before


def test_removing_an_administrator_is_an_admin_action_through_the_service(admin_client, world):
    appoint(world.council, world.member)
    appoint(world.council, world.ned)
    grant = OrganisationRole.objects.get(user=world.member)
    response = admin_client.post(
        "/admin/partnerships/organisationrole/", {"action": "remove", "_selected_action": [grant.pk]}, follow=True
    )
    assert "Administrators removed: 1." in response.content.decode()
    assert list(OrganisationRole.objects.values_list("user__username", flat=True)) == ["ned"]
    event = AuditEvent.objects.get(action="organisation.administrator_removed")
    assert event.changes == {"administrator": [world.member.pk, None]}


def test_appointments_cannot_be_edited_or_deleted_around_the_services(admin_client, world):
    appoint(world.council, world.member)
    grant = OrganisationRole.objects.get()
    delete = admin_client.post(f"/admin/partnerships/organisationrole/{grant.pk}/delete/", {"post": "yes"})
    change = admin_client.post(
        f"/admin/partnerships/organisationrole/{grant.pk}/change/",
        {"user": world.ned.pk, "content_object": world.council.pk},
    )
    assert (delete.status_code, change.status_code) == (403, 403)
    assert list(OrganisationRole.objects.values_list("user__username", flat=True)) == ["member"]


def test_accepting_a_correction_in_the_admin_changes_the_record_through_the_service(admin_client, world, correction):
    response = admin_client.post(
        f"/admin/partnerships/organisationcorrection/{correction.pk}/change/", {"outcome": "accept", "answer": ""}
    )
    assert response.status_code == 302
    correction.refresh_from_db()
    world.council.refresh_from_db()
    assert (correction.status, correction.answered_by.username) == (CorrectionStatus.ACCEPTED, "administrator")
    assert world.council.website == WEBSITE
    assert AuditEvent.objects.get(action="organisation.updated").changes == {"website": ["", WEBSITE]}
    assert AuditEvent.objects.filter(action="organisation.correction_accepted").exists()


def test_declining_a_correction_without_saying_why_is_refused_on_the_form(admin_client, world, correction):
    before = written()
    response = admin_client.post(
        f"/admin/partnerships/organisationcorrection/{correction.pk}/change/", {"outcome": "decline", "answer": " "}
    )
    assert response.status_code == 200
    assert "Say why the record should stay as it is." in parse(response).select_one(".errorlist").get_text()
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.PENDING
    assert written() == before


def test_declining_a_correction_with_a_reason_keeps_the_record(admin_client, world, correction):
    admin_client.post(
        f"/admin/partnerships/organisationcorrection/{correction.pk}/change/",
        {"outcome": "decline", "answer": "That is the old website."},
    )
    correction.refresh_from_db()
    world.council.refresh_from_db()
    assert (correction.status, correction.answer, world.council.website) == (
        CorrectionStatus.DECLINED,
        "That is the old website.",
        "",
    )
    assert AuditEvent.objects.get(action="organisation.correction_declined").reason == "That is the old website."


def test_accepting_corrections_is_an_admin_action_too(admin_client, world, correction):
    response = admin_client.post(
        "/admin/partnerships/organisationcorrection/",
        {"action": "accept", "_selected_action": [correction.pk]},
        follow=True,
    )
    assert "Corrections accepted: 1." in response.content.decode()
    world.council.refresh_from_db()
    assert world.council.website == WEBSITE


def test_an_answered_correction_is_only_read_and_none_is_added_in_the_admin(admin_client, world, correction):
    services.correction_decline(actor=UserFactory(is_superuser=True), correction=correction, answer="No.")
    url = f"/admin/partnerships/organisationcorrection/{correction.pk}/change/"
    assert parse(admin_client.get(url)).select_one("input[name=outcome]") is None
    assert admin_client.post(url, {"outcome": "accept", "answer": ""}).status_code == 403
    assert admin_client.get("/admin/partnerships/organisationcorrection/add/").status_code == 403
    world.council.refresh_from_db()
    assert world.council.website == ""


def test_a_delegations_recording_and_confirmation_are_shown_but_not_edited(admin_client, world):
    appoint(world.trust, world.board)
    delegation = DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board)
    services.delegation_confirm(actor=world.board, delegation=delegation)
    page = parse(admin_client.get(f"/admin/partnerships/delegation/{delegation.pk}/change/"))
    assert page.select_one("[name=confirmed_by]") is None
    assert str(world.board) in page.select_one(".field-confirmed_by").get_text()
    assert parse(admin_client.get("/admin/partnerships/delegation/add/")).select_one("[name=confirmed_at]") is None


def test_changing_an_organisation_in_the_admin_goes_through_organisation_update(admin_client, world):
    council = world.council
    data = {
        "ods_code": council.ods_code,
        "name": council.name,
        "kind": council.kind,
        "postcode": council.postcode,
        "opened_on": council.opened_on or "",
        "closed_on": "",
        "contact_email": "governance@demo-city.example",
        "website": "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
    }
    data["memberships-0-id"] = council.memberships.get().pk
    data["memberships-0-organisation"] = council.pk
    response = admin_client.post(f"/admin/partnerships/organisation/{council.pk}/change/", data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.changes == {"contact_email": ["", "governance@demo-city.example"]}


def test_granting_a_role_for_an_organisation_sets_the_affiliation_through_the_service(admin_client, world):
    newcomer = UserFactory(username="newcomer")
    ProfileFactory(user=newcomer, organisation=world.trust)
    viewer = Permission.objects.get(codename=Role.VIEWER, content_type__app_label="partnerships")
    data = {
        "user": newcomer.pk,
        "content_object": world.partnership.pk,
        "permission": viewer.pk,
        "organisation": world.council.pk,
    }
    assert admin_client.post("/admin/partnerships/partnershiprole/add/", data).status_code == 302
    assert PartnershipRole.objects.get(user=newcomer).organisation == world.council
    assert AuditEvent.objects.get(action="affiliation.changed").changes == {"organisation": [None, world.council.pk]}
    page = parse(
        admin_client.get(f"/admin/partnerships/partnershiprole/{PartnershipRole.objects.get(user=newcomer).pk}/change/")
    )
    assert "Demo City Council" in page.select_one(".field-organisation").get_text()
