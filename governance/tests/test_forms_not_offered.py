"""A step's form is offered only when its service would take it. Opened by a direct link when the decision's state,
or a colleague's vote, rules it out, the page says why and links back, instead of a form refused on submit."""

import pytest

from governance.models import Challenge, DecisionStatus, SignOff
from tests.html import parse, text

from .support import approved, board_member, delegate, in_signoff, propose, sign, signatories


def opened(client, user, path):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return response


def offers_no_form(response, decision) -> bool:
    page = parse(response)
    back = page.select_one(f'main a[href="{decision.get_absolute_url()}"]')
    return page.select_one("main form") is None and back is not None and "Back to" in back.get_text()


def test_a_second_delegate_of_an_organisation_that_has_signed_is_told_so_and_not_shown_the_sign_form(world, client):
    signatories(world)
    deputy = board_member(world, "deputyceo", world.trust, title="Deputy chief executive")
    delegate(world, deputy, world.trust)
    decision = in_signoff(world)
    sign(world.board, decision)

    page = opened(client, deputy, f"/decisions/{decision.pk}/sign/")

    assert offers_no_form(page, decision)
    why = text(page, "#why-not")
    assert "Demo Hospitals NHS Foundation Trust has already signed" in why
    assert "One vote counts for each organisation." in why
    # the signatory who voted may still change their vote
    assert parse(opened(client, world.board, f"/decisions/{decision.pk}/sign/")).select_one("main form") is not None
    # and a submission anyway is refused as before, with nothing written
    before = SignOff.objects.count()
    client.force_login(deputy)
    response = client.post(
        f"/decisions/{decision.pk}/sign/", {"interest": "no_interest", "vote": "reject", "comment": "No."}
    )
    assert response.status_code == 400 and SignOff.objects.count() == before


def test_the_proposer_opening_the_edit_page_during_sign_off_is_told_it_cannot_change(world, client):
    decision = in_signoff(world)
    page = opened(client, world.member, f"/decisions/{decision.pk}/edit/")
    assert offers_no_form(page, decision)
    assert "A decision that is in sign-off cannot be changed." in text(page, "#why-not")
    assert parse(opened(client, world.member, f"/decisions/{propose(world).pk}/edit/")).select_one("main form")


def test_a_member_opening_the_challenge_page_of_an_approved_decision_is_told_challenge_is_closed(world, client):
    decision = approved(world)
    page = opened(client, world.member, f"/decisions/{decision.pk}/challenges/new/")
    assert offers_no_form(page, decision)
    assert "Challenge is closed: this decision is approved." in text(page, "#why-not")
    response = client.post(f"/decisions/{decision.pk}/challenges/new/", {"kind": "challenge", "text": "Why?"})
    assert response.status_code == 400 and not Challenge.objects.exists()


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("reopen", "Only an approved or rejected decision can be reopened."),
        ("supersede", "You cannot supersede a decision that is in sign-off."),
        ("board-ratification", "Only an approved urgent decision not yet ratified needs the board's ratification."),
        ("open-for-challenge", "You cannot open for challenge a decision that is in sign-off."),
    ],
)
def test_the_lead_opening_a_step_the_decision_is_not_ready_for_is_told_why(world, client, step, message):
    decision = in_signoff(world)
    page = opened(client, world.lead, f"/decisions/{decision.pk}/{step}/")
    assert offers_no_form(page, decision)
    assert message in text(page, "#why-not")


def test_a_step_a_role_may_never_take_is_still_forbidden(world, client):
    decision = in_signoff(world)
    client.force_login(world.member)
    assert client.get(f"/decisions/{decision.pk}/extend-sign-off/").status_code == 403
    assert decision.status == DecisionStatus.IN_SIGNOFF
