"""The Django admin: staff superusers administer every partnerships model, through the same services as the pages."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from core.models import AuditEvent
from partnerships.models import (
    Agreement,
    AgreementStatus,
    Delegation,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Role,
)
from partnerships.selectors.partnerships import role_values_of
from tests.factories import AgreementFactory, DelegationFactory, UserFactory
from tests.html import parse

from .pages_support import written

pytestmark = pytest.mark.django_db

MODELS = ["partnership", "organisation", "membership", "profile", "partnershiprole", "delegation", "agreement"]


@pytest.fixture
def admin_client(client, world):
    client.force_login(UserFactory(username="administrator", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_can_list_and_add_every_partnerships_model(admin_client, world, model):
    assert admin_client.get(f"/admin/partnerships/{model}/").status_code == 200
    assert admin_client.get(f"/admin/partnerships/{model}/add/").status_code == 200


def test_people_without_staff_rights_are_sent_to_the_admin_sign_in(client, world):
    client.force_login(world.lead)
    response = client.get("/admin/partnerships/delegation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_changing_a_partnership_in_the_admin_is_audited_by_the_service(admin_client, world):
    partnership = world.partnership
    data = {
        "name": "Renamed Health and Care Partnership",
        "ons_code": "",
        "region": partnership.region,
        "population": partnership.population,
        "governance_form": partnership.governance_form,
        "public_description": "",
    }
    response = admin_client.post(f"/admin/partnerships/partnership/{partnership.pk}/change/", data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="partnership.updated")
    assert event.changes == {"name": ["Demo Health and Care Partnership", "Renamed Health and Care Partnership"]}
    assert event.actor.username == "administrator"


def delegation_form(world, **changes) -> dict:
    return {
        "partnership": world.partnership.pk,
        "organisation": world.trust.pk,
        "delegate": world.board.pk,
        "delegate_role": "",
        "categories": '["finance", "strategy"]',
        "limit_pounds": "50000",
        "valid_from": "2026-01-01",
        "valid_to": "",
        "source_document": "Scheme of reservation and delegation",
        "source_version": "v9",
        **changes,
    }


def test_adding_a_delegation_in_the_admin_goes_through_the_service(admin_client, world):
    response = admin_client.post("/admin/partnerships/delegation/add/", delegation_form(world))
    assert response.status_code == 302
    delegation = Delegation.objects.get(source_version="v9")
    assert response["Location"] == "/admin/partnerships/delegation/"
    assert delegation.categories == ["finance", "strategy"]
    assert AuditEvent.objects.filter(action="delegation.created", target_id=delegation.pk).exists()


def test_the_services_refusal_shows_on_the_admin_form_and_nothing_is_written(admin_client, world):
    before = written()
    response = admin_client.post(
        "/admin/partnerships/delegation/add/", delegation_form(world, organisation=world.other_trust.pk)
    )
    assert response.status_code == 200
    assert "Elsewhere NHS Trust is not a current member of Demo Health and Care Partnership." in (
        parse(response).select_one(".errorlist").get_text()
    )
    assert written() == before


def test_adding_an_agreement_in_the_admin_sets_its_parties_through_the_service(admin_client, world):
    data = {
        "partnership": world.partnership.pk,
        "kind": "mou",
        "title": "Admin memorandum",
        "parties": [world.trust.pk, world.council.pk],
        "status": AgreementStatus.DRAFT,
        "effective_on": "",
        "expires_on": "",
        "review_on": "",
    }
    assert admin_client.post("/admin/partnerships/agreement/add/", data).status_code == 302
    agreement = Agreement.objects.get(title="Admin memorandum")
    assert set(agreement.parties.all()) == {world.trust, world.council}
    assert AuditEvent.objects.filter(action="agreement.created", target_id=agreement.pk).exists()


def test_adding_an_organisation_in_the_admin_registers_it(admin_client, world):
    data = {"ods_code": "ZZ901", "name": "Registered Charity", "kind": "vcse", "postcode": "", "opened_on": ""}
    data.update({"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert admin_client.post("/admin/partnerships/organisation/add/", data).status_code == 302
    organisation = Organisation.objects.get(ods_code="ZZ901")
    assert AuditEvent.objects.get(target_id=organisation.pk, action="organisation.created").partnership_id is None


def test_granting_a_role_in_the_admin_uses_the_role_service(admin_client, world):
    viewer_permission = Permission.objects.get(codename=Role.VIEWER, content_type__app_label="partnerships")
    data = {"user": world.outsider.pk, "content_object": world.partnership.pk, "permission": viewer_permission.pk}
    assert admin_client.post("/admin/partnerships/partnershiprole/add/", data).status_code == 302
    assert role_values_of(world.partnership, world.outsider) == [Role.VIEWER]
    assert AuditEvent.objects.filter(action="role.granted").count() == 1


def test_ending_delegations_today_is_an_admin_action_through_the_service(admin_client, world):
    delegation = DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board)
    response = admin_client.post(
        "/admin/partnerships/delegation/",
        {"action": "end_today", "_selected_action": [delegation.pk]},
        follow=True,
    )
    delegation.refresh_from_db()
    assert delegation.valid_to == timezone.localdate()
    assert AuditEvent.objects.filter(action="delegation.updated", target_id=delegation.pk).exists()
    assert "Delegations ended: 1." in response.content.decode()


def test_ending_memberships_and_expiring_agreements_are_admin_actions(admin_client, world):
    membership = Membership.objects.get(partnership=world.partnership, organisation=world.council)
    agreement = AgreementFactory(partnership=world.partnership, status=AgreementStatus.SIGNED)
    admin_client.post("/admin/partnerships/membership/", {"action": "end_today", "_selected_action": [membership.pk]})
    admin_client.post("/admin/partnerships/agreement/", {"action": "mark_expired", "_selected_action": [agreement.pk]})
    membership.refresh_from_db()
    agreement.refresh_from_db()
    assert (membership.left_on, agreement.status) == (timezone.localdate(), AgreementStatus.EXPIRED)


def test_taking_away_the_last_leads_role_is_refused_with_a_message(admin_client, world):
    grant = PartnershipRole.objects.get(content_object=world.partnership, permission__codename=Role.LEAD)
    response = admin_client.post(
        "/admin/partnerships/partnershiprole/",
        {"action": "revoke", "_selected_action": [grant.pk]},
        follow=True,
    )
    assert "A partnership needs a lead. Make someone else lead first." in response.content.decode()
    assert role_values_of(world.partnership, world.lead) == [Role.LEAD]


def test_roles_cannot_be_edited_or_deleted_around_the_services(admin_client, world):
    grant = PartnershipRole.objects.filter(content_object=world.partnership).first()
    assert (
        admin_client.post(f"/admin/partnerships/partnershiprole/{grant.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert PartnershipRole.objects.filter(pk=grant.pk).exists()


def test_the_partnership_code_cannot_be_changed_in_the_admin(admin_client, world):
    page = parse(admin_client.get(f"/admin/partnerships/partnership/{world.partnership.pk}/change/"))
    assert page.select_one("input[name=code]") is None
    assert "QZZ" in page.select_one(".field-code").get_text()
    data = {"code": "QAA", "name": "Demo", "governance_form": "advisory_group", "population": "", "region": ""}
    admin_client.post(f"/admin/partnerships/partnership/{world.partnership.pk}/change/", data)
    assert Partnership.objects.get(pk=world.partnership.pk).code == "QZZ"
