"""Partnerships list organisations; they do not own them (issue 15, reproductions 1 and 2).

An organisation's record (name, type, ODS code, postcode, dates) is shared by every partnership that lists it, so no
partnership's lead changes it: its administrators do (a service administrator for the ODS code and postcode, and for
an organisation without administrators), and the change shows in the history of each of those partnerships. Whom a
person represents is recorded per partnership: a lead sets it in their own partnership, and it changes nothing in
any other, so it cannot let anyone sign for an organisation elsewhere.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from partnerships import services
from partnerships.models import Delegation, OrganisationKind, PartnershipRole, Profile, Role
from tests.factories import UserFactory, affiliate, grant, member_of
from tests.html import error_summary, parse, text

from .api_client import api_as, api_for_user, row_counts
from .pages_support import written

pytestmark = pytest.mark.django_db


@pytest.fixture
def icb(world):
    """QZZ's integrated care board, which the outsider (lead of QYY) adds to QYY by its public ODS code."""
    icb = member_of(
        world.partnership, name="NHS Demo Integrated Care Board", ods_code="QZZ01", kind=OrganisationKind.COMMISSIONER
    )
    response = _signed_in(world.outsider).post(
        reverse("partnerships:membership_add", args=["QYY"]),
        {"ods_code": "QZZ01", "kind": "full", "joined_on": "2026-01-01"},
    )
    assert response.status_code == 302
    return icb


@pytest.fixture
def admin():
    return UserFactory(username="admin", first_name="Sam", last_name="Admin", is_superuser=True, is_staff=True)


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _change_form(icb, **changes) -> dict:
    fields = {"name": icb.name, "ods_code": icb.ods_code, "kind": icb.kind, "postcode": "", "opened_on": ""}
    return {**fields, "closed_on": "", **changes}


# --- Reproduction 1: the lead of another partnership takes over an organisation -------------------------------------


def test_the_outsider_cannot_rename_or_close_qzzs_icb_through_the_api(world, icb):
    client = api_as(world, "outsider")
    url = reverse("api:organisation-detail", args=[icb.pk])
    before = row_counts()
    for change in ({"name": "NHS Taken Over ICB"}, {"closed_on": "2026-12-01"}):
        response = client.patch(url, change, format="json")
        assert response.status_code == 403
        assert response.json()["detail"] == (
            "The record of NHS Demo Integrated Care Board is shared by every partnership that lists it and is kept "
            "by the organisation's administrators. Propose a correction instead, from your partnership's page."
        )
    assert row_counts() == before
    icb.refresh_from_db()
    assert (icb.name, icb.closed_on) == ("NHS Demo Integrated Care Board", None)


def test_the_outsider_cannot_rename_or_close_qzzs_icb_on_the_page(world, icb):
    client = _signed_in(world.outsider)
    url = reverse("partnerships:organisation_update", args=["QYY", icb.pk])
    before = written()
    assert client.get(url).status_code == 403
    response = client.post(url, _change_form(icb, name="NHS Taken Over ICB", closed_on="2026-12-01"))
    assert response.status_code == 403
    assert "Propose a correction instead" in text(response)
    assert written() == before
    icb.refresh_from_db()
    assert (icb.name, icb.closed_on) == ("NHS Demo Integrated Care Board", None)


def test_not_even_the_lead_who_created_an_organisation_changes_its_record(world):
    hospice = services.organisation_create(
        actor=world.lead,
        partnership=world.partnership,
        membership_kind="associate",
        joined_on=datetime.date(2026, 1, 1),
        name="Dales Hospice",
        kind=OrganisationKind.VCSE,
    )
    response = api_as(world, "lead").patch(
        reverse("api:organisation-detail", args=[hospice.pk]), {"name": "Dales Hospice Care"}, format="json"
    )
    assert response.status_code == 403


def test_the_lead_still_records_the_partnerships_own_facts_about_a_member(world, icb):
    membership = icb.memberships.get(partnership=world.other_partnership)
    response = api_as(world, "outsider").patch(
        reverse("api:membership-detail", args=[membership.pk]), {"kind": "observer"}, format="json"
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="membership.updated", partnership_id=world.other_partnership.pk).exists()


def test_a_lead_upload_of_an_ods_file_adds_organisations_but_leaves_existing_records_alone(world, icb):
    from .test_import_page import ods_file, ods_row

    client = _signed_in(world.outsider)
    upload = ods_file(ods_row("QZZ01", "NHS TAKEN OVER ICB", "QYY", closed="20261201"), name="eccg.csv")
    assert client.post(reverse("partnerships:organisation_import", args=["QYY"]), {"file": upload}).status_code == 302
    icb.refresh_from_db()
    assert (icb.name, icb.closed_on) == ("NHS Demo Integrated Care Board", None)


# --- Build item 7: every partnership that lists the organisation sees the change ------------------------------------


def test_a_service_administrators_correction_shows_in_the_history_of_every_partnership_that_lists_it(world, icb, admin):
    response = api_for_user(admin).patch(
        reverse("api:organisation-detail", args=[icb.pk]), {"postcode": "DM1 1CB"}, format="json"
    )
    assert response.status_code == 200
    for partnership in (world.partnership, world.other_partnership):
        event = AuditEvent.objects.get(partnership_id=partnership.pk, action="organisation.updated")
        assert (event.actor, event.target_id, event.changes) == (admin, icb.pk, {"postcode": ["", "DM1 1CB"]})
        assert event.summary == (
            "Sam Admin changed the shared record of NHS Demo Integrated Care Board as service administrator"
        )


def test_a_service_administrator_corrects_the_record_on_the_page(client, world, icb, admin):
    client.force_login(admin)
    url = reverse("partnerships:organisation_update", args=["QZZ", icb.pk])
    response = client.post(url, _change_form(icb, closed_on="2027-03-31"))
    assert response.status_code == 302, error_summary(response)
    icb.refresh_from_db()
    assert icb.closed_on == datetime.date(2027, 3, 31)
    qzz_history = AuditEvent.objects.filter(partnership_id=world.partnership.pk, action="organisation.updated")
    assert list(qzz_history.values_list("actor", flat=True)) == [admin.pk]


# --- Reproduction 2: a lead changes whom a person of another partnership signs for ----------------------------------


@pytest.fixture
def ned_in_both(world, icb):
    """Ned acts in QZZ (for the council) and holds a role in QYY too; QZZ lets any ICB non-executive sign."""
    grant(world.ned, world.other_partnership, Role.MEMBER)
    Delegation.objects.create(
        partnership=world.partnership,
        organisation=icb,
        delegate_role=Role.NON_EXECUTIVE,
        categories=["finance"],
        valid_from=datetime.date(2025, 4, 1),
        source_document="ICB scheme of reservation and delegation",
    )
    return world.ned


def test_the_outsider_cannot_move_ned_to_qzzs_icb_and_so_cannot_let_her_sign_for_it(world, icb, ned_in_both):
    client = _signed_in(world.outsider)
    response = client.post(
        reverse("partnerships:person_update", args=["QYY", ned_in_both.pk]),
        {"roles": [Role.MEMBER], "organisation": icb.pk},
    )
    assert response.status_code == 302, error_summary(response)
    # She represents the ICB in QYY only, and that awaits the ICB's confirmation; in QZZ she still represents the
    # council, and her profile is hers: so no ICB delegation in QZZ lets her sign.
    affiliations = dict(
        PartnershipRole.objects.filter(user=ned_in_both).values_list("content_object__code", "organisation")
    )
    assert affiliations == {"QYY": icb.pk, "QZZ": world.council.pk}
    assert Profile.objects.get(user=ned_in_both).organisation == world.council
    # That no ICB delegation in QZZ then lets her sign: governance/tests/test_acting_for_an_organisation.py


def test_a_lead_changes_whom_someone_represents_in_their_partnership_and_nowhere_else(world, icb, ned_in_both):
    affiliate(ned_in_both, world.other_partnership, world.other_trust)
    services.profile_update(
        actor=world.lead,
        partnership=world.partnership,
        user=ned_in_both,
        organisation=world.trust,
        job_title="Lay member",
        is_clinician=False,
    )
    affiliations = dict(
        PartnershipRole.objects.filter(user=ned_in_both).values_list("content_object__code", "organisation")
    )
    assert affiliations == {"QYY": world.other_trust.pk, "QZZ": world.trust.pk}
    assert Profile.objects.get(user=ned_in_both).organisation == world.council


def test_a_lead_cannot_change_the_job_title_of_someone_who_acts_in_another_partnership(world, ned_in_both):
    with pytest.raises(ValidationError) as refused:
        services.profile_update(
            actor=world.lead,
            partnership=world.partnership,
            user=ned_in_both,
            organisation=world.council,
            job_title="Chair",
            is_clinician=False,
        )
    assert refused.value.message_dict["job_title"] == [
        f"{ned_in_both} acts in other partnerships too, and their profile is theirs in all of them. "
        "Ask them, or a service administrator, to change it."
    ]
    assert Profile.objects.get(user=ned_in_both).job_title == "Lay member"


def test_a_lead_still_changes_the_roles_and_affiliation_of_someone_in_two_partnerships(client, world, ned_in_both):
    client.force_login(world.lead)
    url = reverse("partnerships:person_update", args=["QZZ", ned_in_both.pk])
    form = parse(client.get(url))
    assert form.select_one("#id_job_title") is None  # their profile is not the lead's to change
    assert "Organisation they represent in Demo Health and Care Partnership" in form.select_one("main form").get_text()
    response = client.post(url, {"roles": [Role.NON_EXECUTIVE, Role.MEMBER], "organisation": world.trust.pk})
    assert response.status_code == 302, error_summary(response)
    profile = Profile.objects.get(user=ned_in_both)
    assert (profile.organisation, profile.job_title) == (world.council, "Lay member")
    assert set(
        PartnershipRole.objects.filter(user=ned_in_both, content_object=world.partnership).values_list(
            "organisation", flat=True
        )
    ) == {world.trust.pk}


def test_a_lead_changes_the_organisation_of_someone_who_acts_in_their_partnership_alone(client, world):
    client.force_login(world.lead)
    response = client.post(
        reverse("partnerships:person_update", args=["QZZ", world.viewer.pk]),
        {"roles": [Role.VIEWER], "organisation": world.trust.pk, "job_title": "Analyst"},
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=world.viewer).organisation == world.trust


def test_a_service_administrator_changes_the_organisation_of_someone_in_two_partnerships(
    world, icb, ned_in_both, admin
):
    services.profile_update(
        actor=admin, partnership=world.partnership, user=ned_in_both, organisation=icb, job_title="", is_clinician=False
    )
    assert Profile.objects.get(user=ned_in_both).organisation == icb
