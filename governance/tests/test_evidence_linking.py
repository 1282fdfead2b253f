"""Linking a decision to the engagement that informs it and the "you said" items it answers: on the proposal and
edit pages, through the API, and from an activity's page — the same rules, the same audit trail, and someone
else's id refused with a 400 that writes nothing."""

from datetime import date

import pytest

from core.models import AuditEvent
from governance import services
from governance.models import Visibility
from partnerships.models import Role
from partnerships.tests.api_client import api_as, api_for_user
from tests.factories import grant
from tests.fixtures import PERSONAS, client_for
from tests.html import error_summary, parse, text

from .evidence_support import activity, end_of_life, establish, hospice_visit, links, said, written
from .support import in_signoff, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(world):
    """End of Life Care with two activities and a "you said" item of QZZ, and an activity and item of QYY."""
    workstream = end_of_life(world)
    visit = hospice_visit(world, workstream)
    carers = activity(world.partnership, title="Carers' evening", reach={"patients-carers": 20})
    named_contact = said(visit, "One named contact, please.", status="acted_on", published=True)
    elsewhere = activity(world.other_partnership, title="Elsewhere forum", reach={"patients-carers": 5})
    return {
        "workstream": workstream,
        "visit": visit,
        "carers": carers,
        "said": named_contact,
        "elsewhere": elsewhere,
        "elsewhere_said": said(elsewhere, "Not ours."),
    }


def proposal(world, **fields) -> dict:
    data = {
        "title": "End of life care at home",
        "case": "Care where people choose.",
        "category": "service_change",
        "visibility": "public",
        "bound_organisations": [world.trust.pk],
    }
    data.update(fields)
    return data


# --- The pages -------------------------------------------------------------------------------------------------------


def test_a_proposal_links_the_engagement_that_informs_it_and_its_history_says_so(world, client, evidence):
    client = client_for(client, world, "member")
    response = client.post(
        "/partnerships/QZZ/decisions/new/",
        proposal(
            world,
            workstream=evidence["workstream"].pk,
            engagement_activities=[evidence["visit"].pk, evidence["carers"].pk],
            feedback_addressed=[evidence["said"].pk],
        ),
    )
    assert response.status_code == 302
    decision = world.partnership.decisions.get()
    assert links(decision) == (sorted([evidence["visit"].pk, evidence["carers"].pk]), [evidence["said"].pk])
    proposed = AuditEvent.objects.get(target_id=decision.pk, action="decision.proposed")
    assert proposed.changes["engagement_activities"] == [None, sorted([evidence["visit"].pk, evidence["carers"].pk])]
    assert proposed.changes["feedback_addressed"] == [None, [evidence["said"].pk]]


def test_the_form_offers_the_work_streams_engagement_first_with_what_it_reached(world, client, evidence):
    client = client_for(client, world, "member")
    response = client.get(f"/partnerships/QZZ/decisions/new/?workstream={evidence['workstream'].pk}")
    assert response.status_code == 200
    boxes = text(response, "main form[method=post]")
    assert boxes.index("Hospice visit") < boxes.index("Carers' evening")
    assert "Nurses (3), Patients and carers (8), VCSE (2). End of Life Care work-stream." in boxes
    assert "Elsewhere forum" not in boxes and "Not ours." not in boxes
    assert "One named contact, please. Acted on. From Patients and carers." in boxes


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("engagement_activities", "elsewhere", "Choose engagement activities of this partnership from the list"),
        ("feedback_addressed", "elsewhere_said", 'Choose "you said" items of this partnership from the list'),
        ("engagement_activities", "not a number", "Choose engagement activities of this partnership from the list"),
        ("engagement_activities", 999999, "Choose engagement activities of this partnership from the list"),
    ],
)
def test_someone_elses_evidence_on_the_proposal_page_is_refused_and_nothing_is_written(
    world, client, evidence, field, value, message
):
    chosen = evidence[value].pk if value in evidence else value
    client = client_for(client, world, "member")
    before = written()
    response = client.post("/partnerships/QZZ/decisions/new/", proposal(world, **{field: [chosen]}))
    assert response.status_code == 400
    assert message in [text for text, _ in error_summary(response)]
    assert written() == before


def test_changing_the_evidence_replaces_it_and_someone_elses_id_changes_nothing(world, client, evidence):
    decision = propose(world, workstream=evidence["workstream"], engagement_activities=[evidence["visit"]])
    client = client_for(client, world, "member")
    form = parse(client.get(f"/decisions/{decision.pk}/edit/"))
    boxes = {box["value"]: box.has_attr("checked") for box in form.select("input[name=engagement_activities]")}
    assert boxes == {str(evidence["visit"].pk): True, str(evidence["carers"].pk): False}
    data = proposal(world, title=decision.title, workstream=evidence["workstream"].pk)

    before = written()
    refused = client.post(
        f"/decisions/{decision.pk}/edit/", {**data, "engagement_activities": [evidence["elsewhere"].pk]}
    )
    assert refused.status_code == 400 and written() == before
    assert links(decision) == ([evidence["visit"].pk], [])

    changed = client.post(
        f"/decisions/{decision.pk}/edit/",
        {**data, "engagement_activities": [evidence["carers"].pk], "feedback_addressed": [evidence["said"].pk]},
    )
    assert changed.status_code == 302
    assert links(decision) == ([evidence["carers"].pk], [evidence["said"].pk])
    updated = AuditEvent.objects.filter(target_id=decision.pk, action="decision.updated").latest("at")
    assert updated.changes["engagement_activities"] == [[evidence["visit"].pk], [evidence["carers"].pk]]


def test_an_old_linked_activity_stays_on_the_edit_form_and_stays_linked(world, client, evidence):
    old = activity(world.partnership, title="Old survey", reach={"public-communities": 90}, days_ago=1500)
    for number in range(31):  # push it out of the "latest" list
        activity(world.partnership, title=f"Recent {number}", reach={"gps": 1}, days_ago=number)
    decision = propose(world, engagement_activities=[old])
    client = client_for(client, world, "member")
    form = client.get(f"/decisions/{decision.pk}/edit/")
    assert "Old survey" in text(form, "main")
    response = client.post(
        f"/decisions/{decision.pk}/edit/", proposal(world, title=decision.title, engagement_activities=[old.pk])
    )
    assert response.status_code == 302 and links(decision) == ([old.pk], [])


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_change_a_drafts_evidence_on_its_page(world, client, evidence, persona):
    decision = propose(world, workstream=evidence["workstream"])  # proposed by member
    response = client_for(client, world, persona).post(
        f"/decisions/{decision.pk}/edit/",
        proposal(world, title=decision.title, engagement_activities=[evidence["visit"].pk]),
    )
    wanted = {"anonymous": 302, "outsider": 404, "viewer": 403, "ned": 403, "board": 403, "member": 302, "lead": 302}
    assert response.status_code == wanted[persona]
    if persona == "anonymous":
        assert response.url.startswith("/sign-in/")
    assert links(decision)[0] == ([evidence["visit"].pk] if persona in ("member", "lead") else [])


# --- The API ---------------------------------------------------------------------------------------------------------


def test_the_api_links_evidence_by_id_and_answers_small_objects(world, evidence):
    client = api_as(world, "member")
    response = client.post(
        "/api/v1/decisions/",
        {
            "partnership": "QZZ",
            "title": "End of life care at home",
            "case": "Care where people choose.",
            "category": "service_change",
            "engagement_activities": [evidence["visit"].pk],
            "feedback_addressed": [evidence["said"].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["engagement_activities"] == [
        {
            "id": evidence["visit"].pk,
            "title": "Hospice visit",
            "held_on": evidence["visit"].held_on.isoformat(),
            "method": "workshop",
            "level": "involve",
        }
    ]
    assert answer["feedback_addressed"] == [
        {"id": evidence["said"].pk, "theme": "One named contact, please.", "status": "acted_on", "published": True}
    ]
    assert answer["lacks_engagement_evidence"] is False

    changed = client.patch(
        f"/api/v1/decisions/{answer['id']}/", {"engagement_activities": [evidence["carers"].pk]}, format="json"
    )
    assert changed.status_code == 200
    assert [item["id"] for item in changed.json()["engagement_activities"]] == [evidence["carers"].pk]
    assert [item["id"] for item in changed.json()["feedback_addressed"]] == [evidence["said"].pk]  # left as it was


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_change_a_drafts_evidence_through_the_api(world, evidence, persona):
    decision = propose(world)
    response = api_as(world, persona).patch(
        f"/api/v1/decisions/{decision.pk}/", {"engagement_activities": [evidence["visit"].pk]}, format="json"
    )
    wanted = {"anonymous": 401, "outsider": 404, "viewer": 403, "ned": 403, "board": 403, "member": 200, "lead": 200}
    assert response.status_code == wanted[persona], response.content
    assert links(decision)[0] == ([evidence["visit"].pk] if persona in ("member", "lead") else [])


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"engagement_activities": ["abc"]}, "engagement_activities", "Enter an id (a whole number)"),
        ({"engagement_activities": 5}, "engagement_activities", "Expected a list of items"),
        ({"engagement_activities": [999999]}, "engagement_activities", "There is no record with id"),
        ({"engagement_activities": "elsewhere"}, "engagement_activities", "There is no record with id"),
        ({"feedback_addressed": "elsewhere_said"}, "feedback_addressed", "There is no record with id"),
    ],
)
def test_bad_evidence_through_the_api_gets_a_400_and_writes_nothing(world, evidence, body, field, message):
    decision = propose(world)
    body = {name: [evidence[value].pk] if str(value) in evidence else value for name, value in body.items()}
    before = written()
    response = api_as(world, "member").patch(f"/api/v1/decisions/{decision.pk}/", body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert written() == before


def test_someone_in_two_partnerships_cannot_link_one_partnerships_evidence_to_the_others_decision(world, evidence):
    grant(world.outsider, world.partnership, Role.MEMBER)  # now in QZZ and lead of QYY
    decision = propose(world, actor=world.outsider)
    before = written()
    response = api_for_user(world.outsider).patch(
        f"/api/v1/decisions/{decision.pk}/",
        {"engagement_activities": [evidence["elsewhere"].pk], "feedback_addressed": [evidence["elsewhere_said"].pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "engagement_activities": ["Choose engagement activities of this partnership."],
        "feedback_addressed": ['Choose "you said" items of this partnership.'],
    }
    assert written() == before


def test_evidence_is_hidden_in_the_api_with_the_rest_of_a_confidential_decision(world, evidence):
    decision = propose(
        world,
        actor=world.lead,
        engagement_activities=[evidence["visit"]],
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Negotiation.",
        confidential_review_on=date(2099, 1, 1),
    )
    seen = api_as(world, "viewer").get(f"/api/v1/decisions/{decision.pk}/").json()
    assert seen["engagement_activities"] is None and seen["lacks_engagement_evidence"] is None
    assert api_as(world, "board").get(f"/api/v1/decisions/{decision.pk}/").json()["engagement_activities"][0]["id"]


def test_evidence_cannot_change_once_sign_off_opens(world, evidence):
    decision = in_signoff(world)
    before = written()
    response = api_as(world, "lead").patch(
        f"/api/v1/decisions/{decision.pk}/", {"engagement_activities": [evidence["visit"].pk]}, format="json"
    )
    assert response.status_code == 400
    assert "cannot be changed" in " ".join(response.json()["non_field_errors"])
    assert written() == before


# --- From the activity's page ----------------------------------------------------------------------------------------


def test_an_activitys_page_lists_the_decisions_it_informs_without_confidential_titles(world, client, evidence):
    public = establish(world, evidence["workstream"], activities=[evidence["visit"]])
    secret = propose(
        world,
        actor=world.lead,
        title="Buy the hospice building",
        engagement_activities=[evidence["visit"]],
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Negotiation.",
        confidential_review_on=date(2099, 1, 1),
    )
    page = client_for(client, world, "viewer").get(f"/engagement/activities/{evidence['visit'].pk}/")
    informed = text(page, "#decisions-informed")
    assert f"{public.reference}: Establish the End of Life Care work-stream (draft)" in informed
    assert f"{secret.reference}: confidential decision" in informed
    assert "Buy the hospice building" not in page.content.decode()
    assert "Link this to a decision" not in text(page, "main")  # a viewer cannot


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_link_an_activity_to_a_decision_from_its_page(world, client, evidence, persona):
    draft = propose(world, title="Member's draft")  # proposed by member
    url = f"/engagement/activities/{evidence['visit'].pk}/link-to-decision/"
    client = client_for(client, world, persona)
    page = client.get(url)
    response = client.post(url, {"decision": draft.pk})
    wanted_page = {"anonymous": 302, "outsider": 404, "viewer": 403}.get(persona, 200)
    wanted_post = {"anonymous": 302, "outsider": 404, "viewer": 403, "member": 302, "lead": 302}.get(persona, 400)
    assert (page.status_code, response.status_code) == (wanted_page, wanted_post)
    linked = links(draft)[0] == [evidence["visit"].pk]
    assert linked == (persona in ("member", "lead"))
    if persona in ("ned", "board"):  # they proposed nothing: nothing to link to, and member's draft is not theirs
        assert "You have no proposals that can still be changed" in text(page, "main")
    if linked:
        assert response.url == f"/decisions/{draft.pk}/#engagement"
        assert AuditEvent.objects.filter(target_id=draft.pk, action="decision.evidence_linked").count() == 1


def test_linking_from_the_activity_page_offers_the_work_streams_decisions_first(world, client, evidence):
    other = propose(world, title="Unrelated draft")
    ours = establish(world, evidence["workstream"])
    page = client_for(client, world, "lead").get(f"/engagement/activities/{evidence['visit'].pk}/link-to-decision/")
    choices = text(page, "form[method=post] .nhsuk-radios")
    assert choices.index(ours.reference) < choices.index(other.reference)
    assert "Draft. End of Life Care work-stream" in choices


@pytest.mark.parametrize("which", ["signing", "lead_draft", "elsewhere", "missing", "nonsense"])
def test_linking_to_a_decision_one_may_not_change_is_refused_and_writes_nothing(world, client, evidence, which):
    decisions = {
        "signing": lambda: in_signoff(world).pk,
        "lead_draft": lambda: propose(world, actor=world.lead).pk,  # not member's
        "elsewhere": lambda: (
            services.decision_propose(
                actor=world.outsider,
                partnership=world.other_partnership,
                title="Theirs",
                case="Theirs.",
                category="policy",
                bound_organisations=[world.other_trust],
            ).pk
        ),
        "missing": lambda: "",
        "nonsense": lambda: "abc",
    }
    chosen = decisions[which]()
    before = written()
    response = client_for(client, world, "member").post(
        f"/engagement/activities/{evidence['visit'].pk}/link-to-decision/", {"decision": chosen}
    )
    assert response.status_code == 400
    messages = [message for message, _ in error_summary(response)]
    assert messages == (
        ["Choose the decision it informs"] if which == "missing" else ["Choose one of the decisions listed"]
    )
    assert written() == before


def test_linking_the_same_activity_twice_changes_nothing(world, evidence):
    draft = propose(world, engagement_activities=[evidence["visit"]])
    before = written()
    services.decision_evidence_link(actor=world.member, decision=draft, activity=evidence["visit"])
    assert written() == before


def test_the_service_refuses_another_partnerships_activity(world, evidence):
    from django.core.exceptions import ValidationError

    draft = propose(world)
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.decision_evidence_link(actor=world.member, decision=draft, activity=evidence["elsewhere"])
    assert refused.value.message_dict == {
        "engagement_activities": ["Choose engagement activities of this partnership."]
    }
    assert written() == before
