"""Delegations the partnership lead recorded that their organisation has not confirmed: they count, flagged, unless
the partnership's decision rule says they do not; then their holders cannot sign and the organisation needs its own
board. Every place that says whom a decision binds says how many are bound under such a delegation."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEvent
from governance.models import DecisionSettings, DecisionStatus, SignOff
from governance.selectors.validity import (
    OrganisationState,
    binding_summary,
    signatories_by_organisation,
    validity_for,
)
from partnerships.models import Delegation
from partnerships.tests.api_client import api_as, api_for_user
from tests.html import parse, text

from .support import delegate, in_signoff, set_rule, sign, signatories

REFUSED = "has not confirmed the delegation you would sign under"


def confirm(*delegations) -> None:
    Delegation.objects.filter(pk__in=[d.pk for d in delegations]).update(confirmed_at=timezone.now())


@pytest.fixture
def signing(world):
    """QZZ's two organisations in sign-off: the trust confirmed the board member's delegation, the council did not."""
    signatories(world)
    confirm(Delegation.objects.get(delegate=world.board))
    return in_signoff(world, title="Shared discharge team")


def count_unconfirmed(world, counts: bool) -> None:
    set_rule(world, unconfirmed_delegations_count=counts)


def test_the_wording_says_how_many_bound_organisations_are_under_unconfirmed_delegations():
    assert binding_summary(9, 9) == "Binding on 9 of 9 organisations"
    assert binding_summary(7, 9, 1) == (
        "Binding on 7 of 9 organisations; 1 of the 7 under a delegation its organisation has not confirmed"
    )
    assert binding_summary(7, 9, 2) == (
        "Binding on 7 of 9 organisations; 2 of the 7 under delegations their organisation has not confirmed"
    )


def test_by_default_an_unconfirmed_delegation_counts_and_its_organisation_is_flagged(world, signing):
    validity = validity_for(signing)
    council, trust = (validity.row_for(world.council.pk), validity.row_for(world.trust.pk))
    assert [s.user for s in council.signatories] == [world.council_director]
    assert council.under_unconfirmed_delegation and not trust.under_unconfirmed_delegation

    sign(world.board, signing)
    sign(world.council_director, signing)
    signing.refresh_from_db()
    assert signing.status == DecisionStatus.APPROVED
    summary = validity_for(signing).summary
    assert (
        summary == "Binding on 2 of 2 organisations; 1 of the 2 under a delegation its organisation has not confirmed"
    )
    recorded = AuditEvent.objects.get(action="decision.approved", target_id=signing.pk).summary
    assert recorded.endswith(summary)
    assert SignOff.objects.get(signatory=world.council_director).delegation.is_confirmed is False


def test_confirming_the_delegation_later_clears_the_flag_on_the_vote_cast_under_it(world, signing):
    sign(world.board, signing)
    sign(world.council_director, signing)
    confirm(Delegation.objects.get(delegate=world.council_director))
    signing.refresh_from_db()
    assert validity_for(signing).summary == "Binding on 2 of 2 organisations"


def test_when_unconfirmed_delegations_do_not_count_the_organisation_awaits_its_board(world, signing):
    count_unconfirmed(world, False)
    assert set(signatories_by_organisation(signing, timezone.localdate())) == {world.trust.pk}
    row = validity_for(signing).row_for(world.council.pk)
    assert row.state == OrganisationState.AWAITING_BOARD
    assert [s.user for s in row.left_out] == [world.council_director]
    assert row.under_unconfirmed_delegation


def test_a_signatory_with_a_confirmed_delegation_too_signs_under_the_confirmed_one(world, signing):
    count_unconfirmed(world, False)
    confirmed = delegate(world, world.council_director, world.council)
    confirm(confirmed)
    row = validity_for(signing).row_for(world.council.pk)
    assert [s.delegation for s in row.signatories] == [confirmed]
    assert not row.under_unconfirmed_delegation
    sign(world.council_director, signing)
    assert SignOff.objects.get(signatory=world.council_director).delegation == confirmed


def test_the_service_refuses_a_signatory_whose_only_cover_is_unconfirmed_when_it_does_not_count(world, signing):
    count_unconfirmed(world, False)
    with pytest.raises(ValidationError) as refused:
        sign(world.council_director, signing)
    assert f"{world.council} {REFUSED}" in str(refused.value)
    assert not SignOff.objects.filter(decision=signing).exists()


def test_the_service_accepts_the_same_signatory_when_unconfirmed_delegations_count(world, signing):
    count_unconfirmed(world, True)
    vote = sign(world.council_director, signing)
    assert vote.organisation == world.council and not vote.delegation.is_confirmed


@pytest.mark.parametrize(("counts", "status"), [(False, 400), (True, 302)])
def test_the_sign_off_page_follows_the_setting(world, signing, client, counts, status):
    count_unconfirmed(world, counts)
    client.force_login(world.council_director)
    response = client.post(f"/decisions/{signing.pk}/sign/", {"interest": "no_interest", "vote": "approve"})
    assert response.status_code == status
    assert SignOff.objects.filter(decision=signing).exists() is counts
    if not counts:
        assert REFUSED in text(response)


@pytest.mark.parametrize(("counts", "status"), [(False, 400), (True, 201)])
def test_the_api_follows_the_setting(world, signing, counts, status):
    count_unconfirmed(world, counts)
    response = api_for_user(world.council_director).post(
        "/api/v1/signoffs/",
        {"decision": signing.pk, "vote": "approve", "declares_no_interest": True},
        format="json",
    )
    assert response.status_code == status, response.json()
    if counts:
        assert response.json()["delegation_confirmed"] is False
    else:
        assert REFUSED in str(response.json())
        assert not SignOff.objects.filter(decision=signing).exists()


def test_the_decision_page_tags_the_organisation_whose_delegation_is_not_confirmed(world, signing, client):
    client.force_login(world.board)
    page = client.get(signing.get_absolute_url())
    tags = [tag.get_text(" ", strip=True) for tag in parse(page).select("#organisations .governance-unconfirmed")]
    assert tags == [f"Delegation not confirmed by {world.council}"]


def test_the_decision_api_counts_organisations_bound_under_unconfirmed_delegations(world, signing):
    sign(world.board, signing)
    sign(world.council_director, signing)
    answer = api_as(world, "viewer").get(f"/api/v1/decisions/{signing.pk}/").json()
    assert (answer["organisations_bound"], answer["organisations_bound_unconfirmed"]) == (2, 1)


def test_the_lead_turns_the_setting_off_on_the_decision_rule_page(world, client):
    client.force_login(world.lead)
    page = client.get("/partnerships/QZZ/decision-rule/")
    field = parse(page).select_one("input[name=unconfirmed_delegations_count]")
    assert field is not None and field.has_attr("checked")  # the default: they count
    assert "confirm it" in text(page)  # the help text
    response = client.post(
        "/partnerships/QZZ/decision-rule/",
        {"rule": "unanimous", "quorum_percentage": 50, "majority_percentage": 50, "signoff_days": 14},
    )
    assert response.status_code == 302
    assert DecisionSettings.for_partnership(world.partnership).unconfirmed_delegations_count is False
    event = AuditEvent.objects.get(action="decision_settings.updated")
    assert event.changes["unconfirmed_delegations_count"] == [True, False]


DECISION_SETTINGS_URL = "/api/v1/decision-settings/QZZ/"


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("anonymous", 401, 401),
        ("outsider", 404, 404),
        ("viewer", 200, 403),
        ("member", 200, 403),
        ("board", 200, 403),
        ("lead", 200, 200),
    ],
)
def test_the_decision_settings_api_answers_each_persona_as_the_access_model_says(world, persona, read, write):
    client = api_as(world, persona)
    assert client.get(DECISION_SETTINGS_URL).status_code == read
    response = client.patch(DECISION_SETTINGS_URL, {"unconfirmed_delegations_count": False}, format="json")
    assert response.status_code == write
    assert DecisionSettings.for_partnership(world.partnership).unconfirmed_delegations_count is (write != 200)
    if write == 200:
        assert response.json()["unconfirmed_delegations_count"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"unconfirmed_delegations_count": "sometimes"}, "unconfirmed_delegations_count"),
        ({"unconfirmed_delegations_count": [True]}, "unconfirmed_delegations_count"),
        ({"signoff_days": 0}, "signoff_days"),
        ({"rule": "<b>all</b>"}, "rule"),
    ],
)
def test_bad_decision_settings_through_the_api_get_a_400_and_change_nothing(world, body, field):
    response = api_as(world, "lead").patch(DECISION_SETTINGS_URL, body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not DecisionSettings.objects.filter(partnership=world.partnership).exists()
