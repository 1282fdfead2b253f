"""The "no engagement evidence" flag: a decision that goes to sign-off with no evidence from a group its work-stream
is expected to engage is flagged — in its history at that moment, on its page, in the register, its filter, the CSV
export and the API — and is never stopped from going to sign-off."""

import csv
import io
from datetime import date

import pytest

from governance import services
from governance.models import Decision, DecisionStatus, Visibility
from governance.selectors.decisions import with_register_columns
from governance.selectors.evidence import decision_evidence
from partnerships.tests.api_client import api_as
from tests.fixtures import client_for
from tests.html import text

from .evidence_support import activity, end_of_life, establish, expect, gap_events, hospice_visit, said
from .support import approved, sign, signatories

pytestmark = pytest.mark.django_db

FLAG = "No engagement evidence from expected groups"  # the decision page and the CSV column
TAG = "No engagement evidence"  # the register's narrow column


def to_signoff(world, decision) -> Decision:
    services.decision_open_for_challenge(actor=world.lead, decision=decision)
    services.decision_open_signoff(actor=world.lead, decision=decision)
    return Decision.objects.get(pk=decision.pk)


def flag_of(decision) -> bool:
    return with_register_columns(Decision.objects.filter(pk=decision.pk)).get().lacks_engagement_evidence


def test_going_to_sign_off_with_no_local_authority_evidence_is_flagged_but_not_stopped(world, client):
    workstream = end_of_life(world)
    visit = hospice_visit(world, workstream)
    decision = to_signoff(world, establish(world, workstream, activities=[visit]))

    assert decision.status == DecisionStatus.IN_SIGNOFF
    assert gap_events(decision) == [
        "Went to sign-off with no engagement evidence from: Local authorities and councillors"
    ]
    assert flag_of(decision) is True

    page = client_for(client, world, "board").get(decision.get_absolute_url())
    assert FLAG in text(page, "#decision-status")
    assert text(page, "#no-evidence-from") == "No evidence from: Local authorities and councillors."
    assert "It does not stop sign-off." in text(page, "#engagement-gaps")
    assert "no evidence from Local authorities and councillors" in text(page, "#decision-summary")
    assert "Went to sign-off with no engagement evidence from" in text(page, "#history")


def test_evidence_from_every_expected_group_means_no_flag_and_a_sub_group_counts_for_its_main_group(world, client):
    workstream = end_of_life(world)
    expect(workstream, "clinicians")
    visit = hospice_visit(world, workstream)  # patients, nurses (clinicians) and the VCSE
    council = activity(world.partnership, title="Council scrutiny", reach={"local-authorities": 6})
    decision = to_signoff(world, establish(world, workstream, activities=[visit, council]))

    assert gap_events(decision) == []
    assert flag_of(decision) is False
    page = client_for(client, world, "board").get(decision.get_absolute_url())
    assert TAG not in text(page, "main")
    assert "reached every group the End of Life Care work-stream is expected to engage" in text(
        page, "#engagement-gaps"
    )


def test_a_draft_is_not_flagged_but_its_page_says_the_board_will_be_warned(world, client):
    workstream = end_of_life(world)
    decision = establish(world, workstream, activities=[hospice_visit(world, workstream)])
    assert flag_of(decision) is False
    page = client_for(client, world, "lead").get(decision.get_absolute_url())
    assert FLAG not in text(page, "#decision-status")
    assert "The board will be warned when sign-off opens." in text(page, "#engagement-gaps")
    register = client_for(client, world, "lead").get("/partnerships/QZZ/decisions/")
    assert TAG not in text(register, "#decisions")


def test_a_work_stream_with_no_expectations_raises_no_flag(world, client):
    workstream = end_of_life(world)
    workstream.engagement_expectations.all().delete()
    decision = to_signoff(world, establish(world, workstream))
    assert gap_events(decision) == [] and flag_of(decision) is False
    page = client_for(client, world, "board").get(decision.get_absolute_url())
    assert "The End of Life Care work-stream has no engagement expectations set." in text(page, "#engagement-gaps")
    assert "No engagement is linked to this decision." in text(page, "#engagement")


def test_reopening_a_decision_records_the_flag_again(world):
    signatories(world)
    workstream = end_of_life(world)
    decision = to_signoff(world, establish(world, workstream, activities=[hospice_visit(world, workstream)]))
    sign(world.board, decision)
    sign(world.council_director, decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED  # the flag warned; it did not block
    services.decision_reopen(actor=world.lead, decision=decision, reason="The hospice contract changed.")
    assert len(gap_events(decision)) == 2


def test_the_page_shows_the_activities_their_groups_and_themes_and_the_responses_with_their_status(world, client):
    workstream = end_of_life(world)
    visit = hospice_visit(world, workstream)
    answered = said(visit, "One named contact, please.", status="acted_on", published=True)
    waiting = said(visit, "Overnight sitters.")
    decision = establish(world, workstream, activities=[visit], responses=[answered, waiting])
    page = client_for(client, world, "member").get(decision.get_absolute_url())
    activities = text(page, "#evidence-activities")
    assert "Hospice visit" in activities and "Workshop; level: involve" in activities
    assert "Nurses (3), Patients and carers (8), VCSE (2)" in activities
    assert "Families want one named contact." in activities
    responses = text(page, "#evidence-responses")
    assert "You said: One named contact, please." in responses and "Acted on" in responses
    assert "We did: We did: One named contact, please." in responses
    assert "You said: Overnight sitters." in responses and "Open" in responses
    assert "No response recorded yet." in responses
    assert "Engagement (1)" in text(page, ".nhsuk-tabs__list")


def test_the_register_filters_and_tags_the_flagged_decisions_in_words(world, client):
    workstream = end_of_life(world)
    visit = hospice_visit(world, workstream)
    flagged = to_signoff(world, establish(world, workstream, activities=[visit]))
    council = activity(world.partnership, title="Council scrutiny", reach={"local-authorities": 6})
    heard = to_signoff(world, establish(world, workstream, activities=[visit, council]))
    client = client_for(client, world, "viewer")

    everything = text(client.get("/partnerships/QZZ/decisions/"), "#decisions")
    assert everything.count(TAG) == 1
    filtered = client.get("/partnerships/QZZ/decisions/?no_engagement_evidence=yes")
    assert f"{flagged.reference}:" in text(filtered, "#decisions")
    assert f"{heard.reference}:" not in text(filtered, "#decisions")
    assert "1 decision" in text(filtered, "#decision-count")

    export = client.get("/partnerships/QZZ/decisions/export.csv?no_engagement_evidence=yes")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [(row["Reference"], row[FLAG]) for row in rows] == [(flagged.reference, "Yes")]
    export = client.get("/partnerships/QZZ/decisions/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert {row["Reference"]: row[FLAG] for row in rows} == {flagged.reference: "Yes", heard.reference: "No"}


def test_a_confidential_decisions_flag_is_kept_from_those_who_may_not_read_it(world, client):
    workstream = end_of_life(world)
    secret = establish(world, workstream, activities=[hospice_visit(world, workstream)])
    services.decision_publication_update(
        actor=world.lead,
        decision=secret,
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Negotiation with the hospice.",
        confidential_review_on=date(2099, 1, 1),
    )
    secret = to_signoff(world, secret)
    viewer = client_for(client, world, "viewer")
    assert TAG not in text(viewer.get("/partnerships/QZZ/decisions/"), "#decisions")
    assert "No decisions match" in text(viewer.get("/partnerships/QZZ/decisions/?no_engagement_evidence=yes"), "main")
    export = viewer.get("/partnerships/QZZ/decisions/export.csv")
    row = next(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert row[FLAG] == ""
    assert api_as(world, "viewer").get("/api/v1/decisions/?no_engagement_evidence=true").json()["count"] == 0
    assert api_as(world, "board").get("/api/v1/decisions/?no_engagement_evidence=true").json()["count"] == 1


def test_the_api_says_whether_a_decision_is_flagged_and_filters_by_it(world):
    workstream = end_of_life(world)
    visit = hospice_visit(world, workstream)
    flagged = to_signoff(world, establish(world, workstream, activities=[visit]))
    establish(world, workstream, activities=[visit])  # a draft: not flagged yet
    client = api_as(world, "member")
    assert client.get(f"/api/v1/decisions/{flagged.pk}/").json()["lacks_engagement_evidence"] is True
    answer = client.get("/api/v1/decisions/?no_engagement_evidence=true").json()
    assert [decision["id"] for decision in answer["results"]] == [flagged.pk]
    assert client.get("/api/v1/decisions/?no_engagement_evidence=false").json()["count"] == 1


@pytest.mark.parametrize(
    ("reach", "expected", "missing"),
    [
        ({"gps": 2}, ("clinicians",), []),  # a sub-group counts for its main group
        ({"clinicians": 2}, ("gps",), ["GPs"]),  # but not the other way round
        ({"patients-carers": 2}, ("patients-carers", "mps"), ["MPs"]),
        ({"vcse": 1}, (), []),
    ],
)
def test_the_register_flag_agrees_with_the_page_for_each_kind_of_group(world, reach, expected, missing):
    workstream = end_of_life(world)
    workstream.engagement_expectations.all().delete()
    expect(workstream, *expected)
    decision = to_signoff(world, establish(world, workstream, activities=[activity(world.partnership, reach=reach)]))
    evidence = decision_evidence(decision)
    assert [group.name for group in evidence.expected_missing] == missing
    assert flag_of(decision) is evidence.flagged is bool(missing)


def test_an_approved_decision_keeps_the_flag_it_went_to_sign_off_with(world):
    workstream = end_of_life(world)
    decision = approved(world, workstream=workstream, category="service_change")
    assert decision.status == DecisionStatus.APPROVED
    assert flag_of(decision) is True
    assert len(gap_events(decision)) == 1
