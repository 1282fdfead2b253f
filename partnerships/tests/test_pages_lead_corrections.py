"""The lead's side of organisations keeping their own records (issue 15): proposing a correction to an
organisation's record, seeing which delegations the organisation has confirmed, and an organisation's administrator
recording a delegation in a partnership where they hold no role."""

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import CorrectionStatus, Delegation, OrganisationCorrection
from tests.html import error_summary, parse, text

from .test_organisation_admin_pages import _delegation_fields, _names, _record_form, scene, signed_in, state
from .test_pages_forms import delegation_data

pytestmark = pytest.mark.django_db

__all__ = ["scene"]  # the fixture, shared with the administrators' pages


# --- The lead's side -------------------------------------------------------------------------------------------------


def test_the_overview_shows_each_delegations_confirmation_and_offers_change_only_before_it(scene):
    world = scene.world
    confirmed = services.delegation_create(
        actor=scene.secretary, partnership=world.partnership, **{**_delegation_fields(world), "limit_pounds": 5}
    )
    page = parse(signed_in(world.lead).get("/partnerships/QZZ/"))
    rows = {" ".join(row.get_text(" ").split()): row for row in page.select("#delegations-in-force tbody tr")}
    assert len(rows) == 2
    unconfirmed_row = next(row for name, row in rows.items() if "Not confirmed by Demo Hospitals" in name)
    confirmed_row = next(row for name, row in rows.items() if "Confirmed by Demo Hospitals" in name)
    assert unconfirmed_row.select(f"a[href='/delegations/{scene.delegation.pk}/change/']")
    assert not confirmed_row.select(f"a[href='/delegations/{confirmed.pk}/change/']")


def test_the_overview_offers_the_lead_a_correction_for_each_member(scene):
    world = scene.world
    link = f"a[href='/partnerships/QZZ/organisations/{scene.trust.pk}/correct/']"
    assert len(parse(signed_in(world.lead).get("/partnerships/QZZ/")).select(link)) == 1
    assert parse(signed_in(world.board).get("/partnerships/QZZ/")).select(link) == []


def test_the_lead_is_told_who_will_answer_the_correction(scene):
    world = scene.world
    client = signed_in(world.lead)
    url = reverse("partnerships:correction_propose", args=["QZZ", scene.trust.pk])
    response = client.post(url, {**_record_form(scene.trust), "postcode": "NF1 4HS", "reason": "Missing."}, follow=True)
    assert f"Demo Hospitals NHS Foundation Trust's administrators ({_names(scene.trust)}) will answer it" in text(
        response
    )
    url = reverse("partnerships:correction_propose", args=["QZZ", world.council.pk])
    services.organisation_administrator_remove(
        actor=scene.superuser, organisation=world.council, user=scene.council_secretary
    )
    response = client.post(
        url, {**_record_form(world.council), "postcode": "DC1 1AA", "reason": "Missing."}, follow=True
    )
    assert "Demo City Council has no administrator yet, so the service administrators will answer it" in text(response)
    assert OrganisationCorrection.objects.filter(status=CorrectionStatus.PENDING).count() == 3


def test_an_administrator_without_a_role_records_a_delegation_for_their_own_organisation_only(scene):
    world = scene.world
    url = reverse("partnerships:delegation_create", args=["QZZ"])
    client = signed_in(scene.secretary)
    page = parse(client.get(url))
    offered = [option.get_text() for option in page.select("#id_organisation option") if option["value"]]
    assert offered == ["Demo Hospitals NHS Foundation Trust (RZZ)"]
    before = state()
    refused = client.post(url, delegation_data(world, organisation=world.council.pk))
    assert refused.status_code == 400
    assert state() == before
    response = client.post(url, delegation_data(world))
    assert response.status_code == 302, error_summary(response)
    assert response["Location"] == f"/organisations/{scene.trust.pk}/#organisation-delegations"
    assert Delegation.objects.latest("pk").is_confirmed  # recorded by the organisation: confirmed by that act
    # The council is no member of QYY, and its administrator has no role there: they cannot reach its form.
    assert (
        signed_in(scene.council_secretary).get(reverse("partnerships:delegation_create", args=["QYY"])).status_code
        == 404
    )
