"""The public page's "you said, we did", and the engagement behind a published decision: only published responses,
only the partnership's own, never a confidential or undecided decision, and no personal data."""

from datetime import date

import pytest

from governance import services
from governance.models import Visibility
from tests.html import text

from .evidence_support import activity, end_of_life, hospice_visit, said
from .support import approved, in_signoff, signatories

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(world):
    """A workshop in QZZ with a theme in every state, and a published response in QYY."""
    signatories(world)
    workshop = activity(
        world.partnership,
        title="Diabetes pathway workshop",
        reach={"patients-carers": 12, "gps": 5},
        summary="Run by Jo Bloggs at the Civic Centre.",
    )
    elsewhere = activity(world.other_partnership, title="Elsewhere forum", reach={"patients-carers": 5})
    return {
        "workshop": workshop,
        "published": said(workshop, "Appointments after work, please.", status="acted_on", published=True),
        "declined": said(workshop, "A new hospital.", status="not_taken_forward", published=True),
        "unpublished": said(workshop, "Free parking for carers.", status="responded"),
        "open": said(workshop, "Clearer letters."),
        "elsewhere": said(elsewhere, "Theirs, published.", status="acted_on", published=True),
    }


def test_the_public_page_shows_published_responses_only(world, client, heard):
    page = client.get("/public/QZZ/")
    assert page.status_code == 200
    responses = text(page, "#responses")
    assert "You said: Appointments after work, please." in responses
    assert "We did: We did: Appointments after work, please." in responses
    assert "You said: A new hospital." in responses
    assert "Why it was not taken forward: There is no money for it." in responses
    assert "Not taken forward" in responses and "Acted on" in responses
    for hidden in ("Free parking for carers.", "Clearer letters.", "Theirs, published."):
        assert hidden not in page.content.decode()


def test_the_public_page_says_when_nothing_is_published(world, client):
    assert "No responses have been published yet." in text(client.get("/public/QZZ/"), "#responses")


def test_a_response_names_only_the_published_decisions_it_led_to(world, client, heard):
    public = approved(world, title="Evening clinics", feedback_addressed=[heard["published"]])
    secret = approved(
        world,
        title="Buy the clinic building",
        feedback_addressed=[heard["published"]],
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Negotiation.",
        confidential_review_on=date(2099, 1, 1),
        actor=world.lead,
    )
    undecided = in_signoff(world, title="Weekend clinics", feedback_addressed=[heard["published"]])
    page = client.get("/public/QZZ/")
    response = text(page, f"#response-{heard['published'].pk}")
    assert f"It led to {public.reference}: Evening clinics" in response
    html = page.content.decode()
    for hidden in (secret.reference, "Buy the clinic building", undecided.reference, "Weekend clinics"):
        assert hidden not in html


def test_a_public_decision_shows_the_engagement_that_informed_it_without_personal_data(world, client, heard):
    workstream = end_of_life(world)
    visit = hospice_visit(world, workstream)
    decision = approved(
        world,
        title="Evening clinics",
        engagement_activities=[heard["workshop"], visit],
        feedback_addressed=[heard["published"], heard["unpublished"], heard["open"]],
    )
    page = client.get(f"/public/QZZ/decisions/{decision.reference}/")
    assert page.status_code == 200
    engagement = text(page, "#public-engagement")
    assert "Diabetes pathway workshop" in engagement and "Hospice visit" in engagement
    assert "GPs (5), Patients and carers (12)" in engagement
    assert "Workshop. Involve: we worked with people throughout." in engagement
    responses = text(page, "#responses")
    assert "You said: Appointments after work, please." in responses
    html = page.content.decode()
    for hidden in ("Free parking for carers.", "Clearer letters.", "Jo Bloggs", "Families want one named contact."):
        assert hidden not in html


def test_a_confidential_decision_and_its_evidence_never_appear_in_public(world, client, heard):
    decision = approved(
        world,
        title="Buy the clinic building",
        engagement_activities=[heard["workshop"]],
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Negotiation.",
        confidential_review_on=date(2099, 1, 1),
        actor=world.lead,
    )
    assert client.get(f"/public/QZZ/decisions/{decision.reference}/").status_code == 404
    services.decision_publication_update(
        actor=world.lead,
        decision=decision,
        visibility=Visibility.PUBLIC,
    )
    assert "Diabetes pathway workshop" in text(client.get(f"/public/QZZ/decisions/{decision.reference}/"), "main")
