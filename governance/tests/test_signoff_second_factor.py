"""Signing a decision with a second factor: whoever has one (or whose roles need one) is asked for a code again when
their last was more than 15 minutes ago (step-up), and the vote records how it was made — on the pages and through
the API."""

import time
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import second_factor
from core.models import AuditEvent, SecondFactorMethod
from governance.models import SignOff
from partnerships.tests.api_client import api_as
from tests.api_client import SchemaCheckedClient
from tests.html import parse, text

from .support import in_signoff, sign, signatories

CODE_PAGE = reverse("account:second_factor_verify")
SET_UP = reverse("account:second_factor_setup")
MINUTE = 60
VOTE = {"interest": "no_interest", "vote": "approve"}
MARKER = "Signed with two factors"


@pytest.fixture
def decision(world):
    signatories(world)
    return in_signoff(world)


def sign_page(decision) -> str:
    return reverse("governance:signoff_create", args=[decision.pk])


def app_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def recovery_code_for(user, code: str = "recovery01") -> str:
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    device.token_set.create(token=code)
    return code


def signed_in(client, user, *, code_given_minutes_ago: int | None = None):
    """`client` signed in as `user`, having given their app's code that many minutes ago (or never)."""
    client.force_login(user)
    if code_given_minutes_ago is not None:
        session = client.session
        session.pop(second_factor.PENDING, None)
        session[second_factor.VERIFIED_AT] = int(time.time()) - code_given_minutes_ago * MINUTE
        session[second_factor.METHOD] = str(SecondFactorMethod.APP)
        session.save()
    return client


def vote_of(user) -> SignOff:
    return SignOff.objects.get(signatory=user)


def api_sign(client, decision, **body):
    return client.post(
        "/api/v1/signoffs/",
        {"decision": decision.pk, "vote": "approve", "declares_no_interest": True, **body},
        format="json",
    )


# On the pages ------------------------------------------------------------------------------------------------------


def test_a_signatory_without_a_second_factor_signs_as_before_and_the_vote_records_none(world, client, decision):
    client.force_login(world.board)
    response = client.post(sign_page(decision), VOTE)
    assert response.status_code == 302
    assert vote_of(world.board).second_factor == ""
    audit = AuditEvent.objects.get(action="signoff.recorded")
    assert audit.changes["second_factor"] == [None, ""] and "two factors" not in audit.summary
    assert MARKER not in text(client.get(decision.get_absolute_url()), "#organisations")


def test_a_signatory_with_an_app_and_a_recent_code_signs_and_the_vote_records_the_app(world, client, decision):
    app_for(world.board)
    signed_in(client, world.board, code_given_minutes_ago=14)
    assert client.get(sign_page(decision)).status_code == 200
    response = client.post(sign_page(decision), VOTE)
    assert response.status_code == 302
    assert vote_of(world.board).second_factor == SecondFactorMethod.APP
    audit = AuditEvent.objects.get(action="signoff.recorded")
    assert audit.changes["second_factor"] == [None, "app"]
    assert audit.summary.endswith("with two factors") and "approve" not in audit.summary.lower()


def test_a_code_older_than_15_minutes_is_asked_for_again_before_the_form_and_nothing_is_written(
    world, client, decision
):
    device = app_for(world.board)
    signed_in(client, world.board, code_given_minutes_ago=16)
    page = sign_page(decision)
    code_page = f"{CODE_PAGE}?{urlencode({'next': page})}"
    audit_before = AuditEvent.objects.count()
    for response in (client.get(page), client.post(page, VOTE)):
        assert response.status_code == 302 and response["Location"] == code_page
    assert SignOff.objects.count() == 0 and AuditEvent.objects.count() == audit_before

    given = client.post(code_page, {"code": code_now(device)})
    assert given.status_code == 302 and given["Location"] == page
    assert client.post(page, VOTE).status_code == 302
    assert vote_of(world.board).second_factor == SecondFactorMethod.APP


def test_when_the_service_requires_it_a_board_member_without_an_app_cannot_sign(world, client, decision, settings):
    settings.SECOND_FACTOR_REQUIRED = True
    with pytest.raises(PermissionDenied):
        sign(world.board, decision)
    response = api_sign(api_as(world, "board"), decision)
    assert response.status_code == 403 and "second factor" in response.json()["detail"]
    client.force_login(world.board)
    page = client.get(sign_page(decision))
    assert page.status_code == 302 and page["Location"].startswith(SET_UP)
    assert SignOff.objects.count() == 0


def test_the_decision_page_shows_which_votes_were_signed_with_two_factors(world, client, decision):
    app_for(world.board)
    signed_in(client, world.board, code_given_minutes_ago=1)
    client.post(sign_page(decision), VOTE)
    sign(world.council_director, decision)
    rows = parse(client.get(decision.get_absolute_url())).select("#organisations tbody tr")
    marked = {row.find("td").get_text(strip=True): MARKER in row.get_text(" ") for row in rows}
    assert marked == {world.trust.name: True, world.council.name: False}


# Through the API ---------------------------------------------------------------------------------------------------


def test_a_token_holder_with_an_app_is_refused_without_a_code(world, decision):
    app_for(world.board)
    response = api_sign(api_as(world, "board"), decision)
    assert response.status_code == 403
    assert "Confirm it is you with your second factor" in response.json()["detail"]
    assert SignOff.objects.count() == 0


def test_a_wrong_code_is_a_400_on_code_and_counts_towards_the_wait_between_tries(world, decision):
    device = app_for(world.board)
    wrong = f"{(int(code_now(device)) + 500000) % 1000000:06d}"
    response = api_sign(api_as(world, "board"), decision, code=wrong)
    assert response.status_code == 400 and "code" in response.json()
    assert SignOff.objects.count() == 0
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_token_holder_signs_with_the_code_their_app_shows(world, decision):
    device = app_for(world.board)
    client = api_as(world, "board")
    response = api_sign(client, decision, code=code_now(device))
    assert response.status_code == 201, response.content
    assert response.json()["second_factor"] == "app" and "code" not in response.json()
    listed = client.get(f"/api/v1/signoffs/?decision={decision.pk}").json()["results"]
    assert [vote["second_factor"] for vote in listed] == ["app"]
    assert "with two factors" in AuditEvent.objects.get(action="signoff.recorded").summary


def test_a_vote_without_a_second_factor_answers_a_blank_one(world, decision):
    response = api_sign(api_as(world, "board"), decision)
    assert response.status_code == 201 and response.json()["second_factor"] == ""


def test_a_recovery_code_signs_once_and_is_then_refused(world, decision):
    app_for(world.board)
    code = recovery_code_for(world.board)
    client = api_as(world, "board")
    first = api_sign(client, decision, code=code)
    assert first.status_code == 201 and first.json()["second_factor"] == "recovery_code"
    assert AuditEvent.objects.filter(action="second_factor.recovery_code_used").count() == 1
    again = api_sign(client, decision, vote="abstain", code=code)
    assert again.status_code == 400 and "code" in again.json()
    assert SignOff.objects.count() == 1


def test_a_refused_vote_leaves_the_recovery_code_unused(world, decision):
    app_for(world.board)
    code = recovery_code_for(world.board)
    client = api_as(world, "board")
    refused = api_sign(client, decision, vote="reject", code=code)
    assert refused.status_code == 400 and "comment" in refused.json()
    assert StaticToken.objects.filter(token=code).exists()
    assert api_sign(client, decision, code=code).status_code == 201


def test_a_signed_in_browser_signs_through_the_api_with_the_code_its_session_gave(world, decision):
    app_for(world.board)
    client = signed_in(SchemaCheckedClient(), world.board, code_given_minutes_ago=2)
    response = api_sign(client, decision)
    assert response.status_code == 201 and response.json()["second_factor"] == "app"


def test_a_signed_in_browser_whose_code_is_old_is_refused_through_the_api(world, decision):
    app_for(world.board)
    client = signed_in(SchemaCheckedClient(), world.board, code_given_minutes_ago=16)
    assert api_sign(client, decision).status_code == 403
    assert SignOff.objects.count() == 0
