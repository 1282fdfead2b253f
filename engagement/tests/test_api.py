"""The engagement API with token authentication: the permission matrix of every endpoint, bad input answered with
400 and nothing written, and lists whose queries do not grow with their rows."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit import SYSTEM
from engagement import services
from engagement.models import EngagementActivity, Feedback
from tests.api_client import SchemaCheckedClient, token_for
from tests.fixtures import PERSONAS

from .support import group, log, workstream, written

pytestmark = pytest.mark.django_db

API = "/api/v1"
READ = dict.fromkeys(PERSONAS, 200) | {"anonymous": 401, "outsider": 404}
LIST = dict.fromkeys(PERSONAS, 200) | {"anonymous": 401}
CONTRIBUTE = {"anonymous": 401, "outsider": 404, "viewer": 403, "member": 0, "ned": 0, "board": 0, "lead": 0}


def api_as(world, persona: str) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    if persona != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(getattr(world, persona))}")
    return client


@pytest.fixture
def records(ew, today):
    activity = log(
        ew.partnership,
        held_on=today - timedelta(days=3),
        title="Diabetes workshop",
        reach={"patients-carers": 12, "gps": 4},
        workstreams=[ew.diabetes],
    )
    feedback = services.feedback_record(
        actor=SYSTEM, activity=activity, theme="Evening appointments", groups=[group("patients-carers")]
    )
    document = services.attachment_add(
        actor=SYSTEM, activity=activity, file=SimpleUploadedFile("notes.pdf", b"%PDF-1.7 notes")
    )
    expectation = services.expectation_set(
        actor=SYSTEM, workstream=ew.diabetes, group=group("patients-carers"), interval_days=90
    )
    return {"activity": activity, "feedback": feedback, "document": document, "expectation": expectation}


def activity_body(today, **changes):
    body = {
        "partnership": "QZZ",
        "held_on": today.isoformat(),
        "title": "Patient panel",
        "method": "focus_group",
        "level": "involve",
        "reach": [{"group": group("patients-carers").pk, "people": 9}],
    }
    return body | changes


# --- The permission matrix ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_and_outsiders_get_404(ew, records, persona):
    client = api_as(ew.world, persona)
    activity, feedback, document = records["activity"], records["feedback"], records["document"]
    reads = {
        f"{API}/engagement-activities/{activity.pk}/": READ,
        f"{API}/engagement-activities/{activity.pk}/documents/{document.pk}/": READ,
        f"{API}/feedback/{feedback.pk}/": READ,
        f"{API}/engagement-expectations/{records['expectation'].pk}/": READ,
        f"{API}/engagement-coverage/QZZ/": READ,
        f"{API}/engagement-activities/": LIST,
        f"{API}/feedback/": LIST,
        f"{API}/engagement-expectations/": LIST,
        f"{API}/stakeholder-groups/": LIST,
    }
    for url, expected in reads.items():
        assert client.get(url).status_code == expected[persona], url


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_hold_only_the_partnerships_the_persona_can_see(ew, records, persona):
    response = api_as(ew.world, persona).get(f"{API}/engagement-activities/")
    if persona == "anonymous":
        assert response.status_code == 401
        return
    titles = [row["title"] for row in response.json()["results"]]
    assert titles == ([] if persona == "outsider" else ["Diabetes workshop"])


@pytest.mark.parametrize("persona", PERSONAS)
def test_logging_an_activity_needs_a_role_that_contributes(ew, records, today, persona):
    before = written()
    response = api_as(ew.world, persona).post(f"{API}/engagement-activities/", activity_body(today), format="json")
    if persona in {"member", "ned", "board", "lead"}:
        assert response.status_code == 201, response.json()
        assert response.json()["reach"] == [
            {
                "group": {"id": group("patients-carers").pk, "slug": "patients-carers", "name": "Patients and carers"},
                "people": 9,
            }
        ]
    else:
        assert response.status_code == CONTRIBUTE[persona]
        assert written() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_an_activity_needs_a_role_that_contributes(ew, records, persona):
    url = f"{API}/engagement-activities/{records['activity'].pk}/"
    response = api_as(ew.world, persona).patch(url, {"title": "Renamed"}, format="json")
    expected = CONTRIBUTE[persona] or 200
    assert response.status_code == expected
    records["activity"].refresh_from_db()
    assert (records["activity"].title == "Renamed") == (expected == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_attaching_a_document_needs_a_role_that_contributes(ew, records, persona):
    url = f"{API}/engagement-activities/{records['activity'].pk}/documents/"
    upload = SimpleUploadedFile("slides.pdf", b"%PDF-1.7 slides", content_type="application/pdf")
    response = api_as(ew.world, persona).post(url, {"file": upload, "title": "Slides"}, format="multipart")
    expected = CONTRIBUTE[persona] or 201
    assert response.status_code == expected
    assert records["activity"].attachments.filter(title="Slides").exists() == (expected == 201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_recording_and_responding_to_feedback_needs_a_role_that_contributes(ew, records, persona):
    client = api_as(ew.world, persona)
    before = written()
    created = client.post(
        f"{API}/feedback/",
        {"activity": records["activity"].pk, "theme": "More parking", "groups": [group("gps").pk]},
        format="json",
    )
    responded = client.post(
        f"{API}/feedback/{records['feedback'].pk}/respond/",
        {"response": "Evening clinics from March", "status": "acted_on", "published": True},
        format="json",
    )
    if persona in {"member", "ned", "board", "lead"}:
        assert created.status_code == 201, created.json()
        assert responded.status_code == 200, responded.json()
        assert responded.json()["status"] == "acted_on" and responded.json()["published"] is True
    else:
        assert (created.status_code, responded.status_code) == (CONTRIBUTE[persona], CONTRIBUTE[persona])
        assert written() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_expectations_are_set_and_removed_by_the_group_and_the_lead(ew, records, persona):
    client = api_as(ew.world, persona)
    allowed = persona in {"member", "lead"}  # member sits in the Diabetes group
    refused = {"anonymous": 401, "outsider": 404}.get(persona, 403)
    created = client.post(
        f"{API}/engagement-expectations/",
        {"workstream": ew.diabetes.pk, "group": group("gps").pk, "interval_days": 60},
        format="json",
    )
    assert created.status_code == (201 if allowed else refused)
    again = client.post(
        f"{API}/engagement-expectations/",
        {"workstream": ew.diabetes.pk, "group": group("patients-carers").pk, "interval_days": 45},
        format="json",
    )
    assert again.status_code == (200 if allowed else refused)
    removed = client.delete(f"{API}/engagement-expectations/{records['expectation'].pk}/")
    assert removed.status_code == (204 if allowed else refused)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_lead_adds_a_stakeholder_group(ew, persona):
    response = api_as(ew.world, persona).post(
        f"{API}/stakeholder-groups/",
        {"partnership": "QZZ", "name": "Pharmacists", "parent": group("clinicians").pk},
        format="json",
    )
    assert response.status_code == {"anonymous": 401, "outsider": 404, "lead": 201}.get(persona, 403)


def test_a_member_outside_a_work_streams_group_may_not_set_its_expectations(ew, records):
    response = api_as(ew.world, "member").post(
        f"{API}/engagement-expectations/",
        {"workstream": ew.medicines.pk, "group": group("gps").pk, "interval_days": 60},
        format="json",
    )
    assert response.status_code == 403


# --- Bad input ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"reach": [{"group": "GROUP", "people": -4}]},
            "reach",
            "Patients and carers: the number of people cannot be negative.",
        ),
        ({"reach": []}, "reach", "Enter how many people you reached from at least one group."),
        (
            {"held_on": "2099-01-01"},
            "held_on",
            "The date cannot be in the future. Log an activity once it has taken place.",
        ),
        ({"held_on": "yesterday"}, "held_on", None),
        (
            {"title": "<img src=x onerror=alert(1)>"},
            "title",
            "Remove the HTML tags, like <b> or <script>",
        ),
        ({"title": "x" * 201}, "title", None),
        ({"method": "smoke-signals"}, "method", '"smoke-signals" is not a valid choice.'),
        ({"workstreams": ["WORKSTREAM"]}, "workstreams", None),
        ({"workstreams": [999999]}, "workstreams", 'There is no record with id "999999" that you can use here.'),
        ({"method": "consultation"}, "gunning_formative", None),
        ({"logged_by": 1}, "logged_by", "This field cannot be set here."),
    ],
)
def test_bad_activities_are_400_with_a_message_and_nothing_written(ew, records, today, changes, field, message):
    if changes.get("reach") and changes["reach"][0].get("group") == "GROUP":
        changes["reach"][0]["group"] = group("patients-carers").pk
    if changes.get("workstreams") == ["WORKSTREAM"]:
        changes["workstreams"] = [ew.elsewhere.pk]  # another partnership's: it does not exist for this user
    before = written()
    response = api_as(ew.world, "member").post(
        f"{API}/engagement-activities/", activity_body(today, **changes), format="json"
    )
    assert response.status_code == 400
    assert field in response.json(), response.json()
    if message:
        assert message in str(response.json()[field])
    assert written() == before


def test_a_bad_response_is_400_and_an_outcome_cannot_be_reopened(ew, records):
    client = api_as(ew.world, "member")
    url = f"{API}/feedback/{records['feedback'].pk}/respond/"
    assert client.post(url, {"response": "We will", "status": "open"}, format="json").status_code == 400
    missing_reason = client.post(url, {"response": "No", "status": "not_taken_forward"}, format="json")
    assert missing_reason.json() == {"reason": ["Give the reason it was not taken forward."]}
    assert client.post(url, {"response": "Done", "status": "acted_on"}, format="json").status_code == 200
    again = client.post(url, {"response": "Undone", "status": "responded"}, format="json")
    assert again.status_code == 400 and "cannot change" in again.json()["status"][0]
    assert Feedback.objects.get().status == "acted_on"


def test_coverage_parameters_are_checked(ew, records):
    client = api_as(ew.world, "viewer")
    bad = client.get(
        f"{API}/engagement-coverage/QZZ/", {"as_of": "soon", "period_days": "-1", "workstream": ew.elsewhere.pk}
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"as_of", "period_days", "workstream"}


def test_coverage_gives_each_cell_in_words(ew, records, today):
    response = api_as(ew.world, "viewer").get(
        f"{API}/engagement-coverage/QZZ/",
        {"as_of": (today + timedelta(days=88)).isoformat(), "workstream": ew.diabetes.pk},
    )
    body = response.json()
    assert [row["workstream"]["name"] for row in body["rows"]] == ["Diabetes"]
    cell = next(cell for cell in body["rows"][0]["cells"] if cell["group"] == group("patients-carers").pk)
    assert cell | {"due_on": None} == {
        "group": group("patients-carers").pk,
        "rag": "red",
        "description": "Red: last engaged 91 days ago (expected every 90)",
        "last_engaged": (today - timedelta(days=3)).isoformat(),
        "days_since": 91,
        "count_in_period": 1,
        "interval_days": 90,
        "due_on": None,
    }
    assert body["gaps"][0]["workstream"]["name"] == "Diabetes"


# --- Query counts ---------------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context)


def _more(ew, today, count, start=0):
    for number in range(start, start + count):
        activity = log(
            ew.partnership,
            held_on=today - timedelta(days=number),
            title=f"Activity {number}",
            reach={"patients-carers": 3, "gps": 2},
            workstreams=[ew.diabetes, ew.medicines],
            organisations=[ew.trust, ew.council],
            actor=ew.member,
        )
        services.attachment_add(actor=SYSTEM, activity=activity, file=SimpleUploadedFile("a.pdf", b"%PDF-1.7 a"))
        item = services.feedback_record(
            actor=SYSTEM, activity=activity, theme=f"Theme {number}", groups=[group("gps"), group("patients-carers")]
        )
        services.feedback_respond(actor=SYSTEM, feedback=item, response="Done", status="acted_on")
        stream = workstream(ew.partnership, f"Programme {number}")
        services.expectation_set(actor=SYSTEM, workstream=stream, group=group("vcse"), interval_days=60)


@pytest.mark.parametrize(
    "url",
    [
        "/engagement-activities/",
        "/feedback/",
        "/engagement-expectations/",
        "/stakeholder-groups/",
        "/engagement-coverage/QZZ/",
    ],
)
def test_lists_take_the_same_queries_for_3_rows_and_30(ew, today, url):
    client = api_as(ew.world, "member")
    _more(ew, today, 3)
    small = _queries(client, API + url)
    _more(ew, today, 27, start=3)
    assert _queries(client, API + url) == small
    assert EngagementActivity.objects.count() == 30


def test_the_activity_list_filters_like_the_log_page(ew, records, today):
    log(
        ew.partnership,
        held_on=today - timedelta(days=40),
        title="Councillors' briefing",
        reach={"local-authorities": 6},
    )
    client = api_as(ew.world, "viewer")

    def titles(**filters):
        response = client.get(f"{API}/engagement-activities/", {"partnership": "QZZ", **filters})
        return [row["title"] for row in response.json()["results"]]

    assert titles(workstream=ew.diabetes.pk) == ["Diabetes workshop"]
    assert titles(group=group("clinicians").pk) == ["Diabetes workshop"]  # it reached GPs, a sub-group
    assert titles(start=(today - timedelta(days=50)).isoformat(), end=(today - timedelta(days=30)).isoformat()) == [
        "Councillors' briefing"
    ]
    assert titles(method="meeting") == ["Diabetes workshop", "Councillors' briefing"]
    assert client.get(f"{API}/engagement-activities/", {"method": "carrier-pigeon"}).status_code == 400
