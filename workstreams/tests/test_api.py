"""The work-streams API beyond permissions: what reads show, filters, bad input (each a 400 naming the field, with
nothing written), and lists and details whose queries do not grow with their rows."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.audit import SYSTEM
from workstreams import services

from .api_support import api_as, row_counts

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_lists_hold_nothing_of_a_partnership_the_person_is_not_in(scene, records):
    client = api_as(scene, "outsider")
    for name in ["workstream", "group-member", "meeting", "agenda-item", "paper", "action", "highlight-report"]:
        assert client.get(reverse(f"api:{name}-list")).json()["count"] == 0, name
    assert api_as(scene, "viewer").get(reverse("api:workstream-list")).json()["count"] == 2


def test_a_meeting_reads_with_its_agenda_minutes_papers_attendance_and_quorum(scene, records):
    body = api_as(scene, "viewer").get(reverse("api:meeting-detail", args=[records["meeting"].pk])).json()
    assert body["workstream"] == scene.diabetes.pk and body["partnership"] == "QZZ"
    assert body["status"] == "minutes_draft"
    assert body["quorate"] is False
    assert body["quorum_explanation"] == "Not quorate: 1 of 3 members present, 2 needed"
    assert [(item["title"], item["purpose"], item["minutes"]) for item in body["agenda"]] == [
        ("Screening", "decision", "Agreed.")
    ]
    assert body["agenda"][0]["papers"][0]["document"]["url"].endswith(f"/api/v1/papers/{records['paper'].pk}/document/")
    assert body["attendance"] == [
        {
            "person": {"id": scene.member.pk, "name": scene.member.display_name},
            "status": "present",
            "deputy_for": None,
            "organisation": {
                "id": scene.world.council.pk,
                "ods_code": "Z1001",
                "name": "Demo City Council",
                "kind": "local_authority",
            },
        }
    ]


def test_the_filters_narrow_the_lists(scene, records):
    client = api_as(scene, "member")
    scene.action(scene.diabetes, owner=scene.member, due_in_days=-2)
    assert client.get(reverse("api:meeting-list") + "?board=true").json()["count"] == 1
    assert client.get(reverse("api:meeting-list") + f"?workstream={scene.diabetes.pk}").json()["count"] == 1
    assert client.get(reverse("api:action-list") + "?mine=true&state=overdue").json()["count"] == 1
    assert client.get(reverse("api:action-list") + "?board=true").json()["count"] == 1
    assert client.get(reverse("api:workstream-list") + "?mine=true").json()["count"] == 1
    assert (
        client.get(reverse("api:group-member-list") + f"?workstream={scene.diabetes.pk}&role=deputy").json()["count"]
        == 1
    )


def post(scene, persona, name, args, body, **kwargs):
    return api_as(scene, persona).post(reverse(f"api:{name}", args=args), body, format=kwargs.get("format", "json"))


def test_a_due_date_before_the_meeting_is_refused(scene, records):
    before = row_counts()
    response = post(
        scene,
        "member",
        "action-list",
        [],
        {
            "meeting": records["meeting"].pk,
            "description": "Plan",
            "owner": scene.member.pk,
            "due_on": (TODAY - timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "on or after the meeting it arose at" in response.json()["due_on"][0]
    assert row_counts() == before


def test_attendance_for_someone_not_in_the_group_is_refused(scene, records):
    before = row_counts()
    response = post(
        scene,
        "member",
        "meeting-attendance",
        [records["meeting"].pk],
        {
            "attendance": [
                {"person": scene.board.pk, "status": "present"},
                {"person": scene.ned.pk, "status": "present"},
            ]
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "attendance": [f"{scene.ned} is not in the Diabetes group, so their attendance cannot be recorded here."]
    }
    assert row_counts() == before


def test_attendance_naming_a_stranger_reveals_nothing(scene, records):
    response = post(
        scene,
        "member",
        "meeting-attendance",
        [records["meeting"].pk],
        {"attendance": [{"person": scene.outsider.pk, "status": "present"}]},
    )
    assert response.status_code == 400
    assert response.json() == {
        "attendance": [f'There is no person with id "{scene.outsider.pk}" that you can use here.']
    }


def test_a_second_edit_of_approved_minutes_is_refused_unless_it_is_an_amendment(scene, records):
    meeting, item = records["meeting"], records["item"]
    assert post(scene, "member", "meeting-approve-minutes", [meeting.pk], {}).status_code == 200
    before = row_counts()
    edit = {"items": [{"agenda_item": item.pk, "minutes": "Changed."}]}
    response = post(scene, "member", "meeting-minutes", [meeting.pk], edit)
    assert response.status_code == 400
    assert "approved and locked" in response.json()["amendment_reason"][0]
    assert row_counts() == before
    amended = post(scene, "member", "meeting-minutes", [meeting.pk], {**edit, "amendment_reason": "Typo."})
    assert amended.status_code == 200
    assert [v["number"] for v in amended.json()["minutes_versions"]] == [2, 1]
    assert amended.json()["minutes_versions"][1]["items"][0]["minutes"] == "Agreed."


def test_a_status_jump_is_refused(scene, records):
    before = row_counts()
    response = post(scene, "lead", "workstream-status", [scene.diabetes.pk], {"status": "proposed", "reason": "x"})
    assert response.status_code == 400
    assert response.json()["status"] == [
        "A work-stream that is active cannot become proposed. It can become: paused, closed."
    ]
    meeting = post(scene, "lead", "meeting-status", [records["board_meeting"].pk], {"status": "minutes_approved"})
    assert meeting.status_code == 400
    assert row_counts() == before


def test_an_oversized_paper_is_refused(scene, records):
    before = row_counts()
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (20 * 1024 * 1024))
    response = post(
        scene, "member", "paper-list", [], {"agenda_item": records["item"].pk, "document": big}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["The file must be smaller than 20 MB."]}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"workstream": "x"}, "workstream", "Give the work-stream's id."),
        ({"workstream": 99999}, None, None),
        (
            {"description": "<script>x</script>", "owner": "me", "due_on": "2027-01-01"},
            "description",
            "Remove the HTML",
        ),
        ({"description": "Plan", "owner": "outsider", "due_on": "2027-01-01"}, "owner", "There is no record"),
        ({"description": "Plan", "owner": "me", "due_on": "soon"}, "due_on", "Date has wrong format"),
        (
            {"description": "Plan", "owner": "me", "due_on": "2027-01-01", "status": "done"},
            "status",
            "This field cannot be set here.",
        ),
    ],
)
def test_bad_action_input_is_refused_naming_the_field(scene, body, field, message):
    people = {"me": scene.member.pk, "outsider": scene.outsider.pk}
    body = {"workstream": scene.diabetes.pk, **{k: people.get(v, v) for k, v in body.items()}}
    before = row_counts()
    response = post(scene, "member", "action-list", [], body)
    if field is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 400
        assert message in response.json()[field][0]
    assert row_counts() == before


def test_a_diabetes_member_cannot_change_medicines_optimisation_through_the_api(scene):
    before = row_counts()
    client = api_as(scene, "member")
    responses = [
        client.patch(reverse("api:workstream-detail", args=[scene.medicines.pk]), {"name": "X"}, format="json"),
        client.post(reverse("api:workstream-rag", args=[scene.medicines.pk]), {"rag": "red", "reason": "x"}),
        client.post(
            reverse("api:meeting-list"),
            {"workstream": scene.medicines.pk, "starts_at": "2026-12-01T10:00Z", "place": "Room"},
            format="json",
        ),
    ]
    assert [response.status_code for response in responses] == [403, 403, 403]
    assert row_counts() == before


def test_the_owner_records_progress_through_the_api(scene):
    action = scene.action(scene.medicines, owner=scene.member)
    client = api_as(scene, "member")
    response = client.post(
        reverse("api:action-notes", args=[action.pk]), {"text": "Half way.", "status": "in_progress"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "in_progress"
    assert response.json()["notes"][0]["text"] == "Half way."
    done = client.post(reverse("api:action-complete", args=[action.pk]), {}, format="json")
    assert done.json()["status"] == "done" and done.json()["completed_on"] == TODAY.isoformat()


def add_everything(scene, count, prefix):
    for number in range(count):
        workstream = scene.workstream(f"{prefix} {number}", lead=scene.member)
        meeting = scene.meeting(workstream, days_ago=number)
        item = services.agenda_item_add(
            actor=SYSTEM, meeting=meeting, title="Item", purpose="note", presenter=scene.doctor
        )
        services.paper_add(actor=SYSTEM, item=item, title="P", file=SimpleUploadedFile("p.pdf", b"%PDF-1 x"))
        action = scene.action(workstream, owner=scene.doctor)
        services.action_note_add(actor=SYSTEM, action=action, text="Note")
        services.highlight_report_create(
            actor=SYSTEM,
            workstream=workstream,
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            rag="green",
            progress="Fine.",
        )


LISTS = ["workstream", "group-member", "meeting", "agenda-item", "paper", "action", "highlight-report"]


def list_query_counts(client) -> dict[str, int]:
    counts = {}
    for name in LISTS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"api:{name}-list") + "?page_size=100")
        assert response.status_code == 200
        counts[name] = len(queries)
    return counts


def test_every_list_costs_the_same_queries_for_3_or_30_records(scene):
    client = api_as(scene, "viewer")
    add_everything(scene, 3, "First")
    few = list_query_counts(client)
    add_everything(scene, 27, "More")
    assert client.get(reverse("api:meeting-list")).json()["count"] == 30
    assert list_query_counts(client) == few


@pytest.mark.parametrize("name", ["meeting", "action"])
def test_details_cost_the_same_queries_however_much_they_hold(scene, records, name):
    record = records["meeting" if name == "meeting" else "action"]
    client = api_as(scene, "viewer")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"api:{name}-detail", args=[record.pk])).status_code == 200
        return len(queries)

    first = count()
    for number in range(10):
        if name == "meeting":
            item = services.agenda_item_add(actor=SYSTEM, meeting=record, title=f"I{number}", purpose="note")
            services.paper_add(actor=SYSTEM, item=item, title="P", file=SimpleUploadedFile("p.pdf", b"%PDF-1 x"))
        else:
            services.action_note_add(actor=SYSTEM, action=record, text=f"Note {number}")
    assert count() == first


def test_the_schema_names_each_choice_set_and_lists_every_resource(scene):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    names = set(schema["components"]["schemas"])
    assert {
        "WorkStreamStatusEnum",
        "MeetingStatusEnum",
        "ActionStatusEnum",
        "GroupRoleEnum",
        "RagEnum",
        "AgendaPurposeEnum",
        "AttendanceStatusEnum",
    } <= names
    assert schema["components"]["schemas"]["MeetingStatusEnum"]["enum"] == [
        "scheduled",
        "held",
        "minutes_draft",
        "minutes_approved",
        "cancelled",
    ]
    for path in [
        "/api/v1/workstreams/",
        "/api/v1/group-members/",
        "/api/v1/meetings/{id}/attendance/",
        "/api/v1/meetings/{id}/approve-minutes/",
        "/api/v1/actions/{id}/notes/",
        "/api/v1/papers/{id}/document/",
        "/api/v1/highlight-reports/",
    ]:
        assert path in schema["paths"], path
