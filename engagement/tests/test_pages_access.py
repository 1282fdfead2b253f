"""Who may open and use each engagement page: anonymous → sign in; outsider → 404; viewer reads but may not write
(403); members, non-executives, board members and the lead write; expectations are for the work-stream's group and
the partnership lead; the partnership's own groups are for the lead."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.audit import SYSTEM
from engagement import services
from tests.fixtures import PERSONAS, client_for

from .support import group, log, written

pytestmark = pytest.mark.django_db

READERS = {"viewer", "member", "ned", "board", "lead"}
CONTRIBUTORS = {"member", "ned", "board", "lead"}


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
    attachment = services.attachment_add(
        actor=SYSTEM, activity=activity, file=SimpleUploadedFile("notes.pdf", b"%PDF-1.7 notes")
    )
    expectation = services.expectation_set(
        actor=SYSTEM, workstream=ew.diabetes, group=group("patients-carers"), interval_days=90
    )
    return {"activity": activity, "feedback": feedback, "attachment": attachment, "expectation": expectation}


def page_urls(records) -> dict[str, str]:
    activity = records["activity"]
    return {
        "log": reverse("engagement:activity_list", args=["QZZ"]),
        "log export": reverse("engagement:activity_export", args=["QZZ"]),
        "activity": reverse("engagement:activity_detail", args=[activity.pk]),
        "document": reverse("engagement:attachment_download", args=[records["attachment"].pk]),
        "you said, we did": reverse("engagement:feedback_list", args=["QZZ"]),
        "you said, we did export": reverse("engagement:feedback_export", args=["QZZ"]),
        "coverage": reverse("engagement:coverage", args=["QZZ"]),
        "expectations": reverse("engagement:expectation_list", args=["QZZ"]),
        "groups": reverse("engagement:group_list", args=["QZZ"]),
    }


def form_urls(records) -> dict[str, str]:
    activity, feedback = records["activity"], records["feedback"]
    return {
        "log an activity": reverse("engagement:activity_create", args=["QZZ"]),
        "change an activity": reverse("engagement:activity_edit", args=[activity.pk]),
        "record feedback": reverse("engagement:feedback_create", args=[activity.pk]),
        "respond": reverse("engagement:feedback_respond", args=[feedback.pk]),
    }


def expected_read(persona: str) -> int:
    return 302 if persona == "anonymous" else 404 if persona == "outsider" else 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_pages_follows_the_partnership_roles(client, ew, records, persona):
    client = client_for(client, ew.world, persona)
    for name, url in page_urls(records).items():
        response = client.get(url)
        assert response.status_code == expected_read(persona), (name, response.status_code)
        if persona == "anonymous":
            assert response["Location"].startswith("/sign-in/?next="), name


def test_a_document_downloads_under_its_own_name_and_its_extensions_type(client, ew, today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = log(ew.partnership, held_on=today, title="Survey", reach={"gps": 1})
    upload = SimpleUploadedFile("survey results.csv", b"asked,said\n", content_type="text/html")  # what a browser said
    attachment = services.attachment_add(actor=SYSTEM, activity=activity, file=upload)
    reader = client_for(client, ew.world, "viewer")
    response = reader.get(reverse("engagement:attachment_download", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == b"asked,said\n"
    assert response["Content-Disposition"] == 'attachment; filename="survey results.csv"'
    assert response["Content-Type"] == "text/csv"


@pytest.mark.parametrize("persona", PERSONAS)
def test_opening_a_form_needs_a_role_that_contributes(client, ew, records, persona):
    client = client_for(client, ew.world, persona)
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403}.get(persona, 200)
    for name, url in form_urls(records).items():
        assert client.get(url).status_code == expected, name


def _posts(ew, records, today):
    """Each write page with a valid submission."""
    activity = records["activity"]
    return {
        "log an activity": (
            reverse("engagement:activity_create", args=["QZZ"]),
            {
                "title": "Drop-in",
                "held_on": today.isoformat(),
                "method": "meeting",
                "level": "inform",
                f"reach_{group('mps').pk}": "1",
            },
        ),
        "record feedback": (
            reverse("engagement:feedback_create", args=[activity.pk]),
            {"theme": "Parking", "groups": [group("gps").pk]},
        ),
        "respond": (
            reverse("engagement:feedback_respond", args=[records["feedback"].pk]),
            {"response": "We added evening clinics", "status": "acted_on"},
        ),
        "attach": (
            reverse("engagement:attachment_add", args=[activity.pk]),
            {"file": SimpleUploadedFile("report.pdf", b"%PDF-1.7 report")},
        ),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_writing_needs_a_role_that_contributes_and_a_refusal_writes_nothing(client, ew, records, today, persona):
    client = client_for(client, ew.world, persona)
    for name, (url, data) in _posts(ew, records, today).items():
        before = written()
        response = client.post(url, data)
        if persona in CONTRIBUTORS:
            assert response.status_code == 302, (name, response.content.decode()[:2000])
        else:
            assert response.status_code == {"anonymous": 302, "outsider": 404, "viewer": 403}[persona], name
            assert written() == before, name


@pytest.mark.parametrize("persona", PERSONAS)
def test_removing_a_document_needs_a_role_that_contributes(client, ew, records, persona):
    client = client_for(client, ew.world, persona)
    url = reverse("engagement:attachment_remove", args=[records["attachment"].pk])
    response = client.post(url)
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403}.get(persona, 302)
    assert response.status_code == expected
    assert records["activity"].attachments.exists() == (persona not in CONTRIBUTORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_expectations_are_set_by_the_work_streams_group_and_the_lead(client, ew, records, persona):
    client = client_for(client, ew.world, persona)
    url = reverse("engagement:expectation_list", args=["QZZ"])
    before = written()
    response = client.post(url, {"workstream": ew.diabetes.pk, "group": group("gps").pk, "interval_days": "60"})
    allowed = persona in {"member", "lead"}  # member sits in the Diabetes group
    expected = 302 if allowed or persona == "anonymous" else {"outsider": 404}.get(persona, 403)
    assert response.status_code == expected
    assert ew.diabetes.engagement_expectations.filter(group=group("gps")).exists() == allowed
    if not allowed:
        assert written() == before


def test_a_group_member_cannot_set_another_work_streams_expectations(client, ew, records):
    client.force_login(ew.member)
    before = written()
    response = client.post(
        reverse("engagement:expectation_list", args=["QZZ"]),
        {"workstream": ew.medicines.pk, "group": group("gps").pk, "interval_days": "60"},
    )
    assert response.status_code == 400
    assert "Choose a work-stream whose expectations you can set" in response.content.decode()
    assert written() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_removing_an_expectation_is_for_the_group_and_the_lead(client, ew, records, persona):
    client = client_for(client, ew.world, persona)
    response = client.post(reverse("engagement:expectation_remove", args=[records["expectation"].pk]))
    allowed = persona in {"member", "lead"}
    assert response.status_code == (302 if allowed or persona == "anonymous" else {"outsider": 404}.get(persona, 403))
    assert ew.diabetes.engagement_expectations.exists() == (not allowed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_lead_adds_a_stakeholder_group(client, ew, persona):
    client = client_for(client, ew.world, persona)
    response = client.post(reverse("engagement:group_list", args=["QZZ"]), {"name": "Young people"})
    expected = {"anonymous": 302, "outsider": 404, "lead": 302}.get(persona, 403)
    assert response.status_code == expected
    assert ew.partnership.stakeholder_groups.filter(name="Young people").exists() == (persona == "lead")


def test_another_partnerships_records_are_not_found(client, ew, records, today):
    theirs = log(ew.other_partnership, held_on=today, reach={"gps": 1})
    client.force_login(ew.lead)
    assert client.get(reverse("engagement:activity_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("engagement:activity_detail", args=[theirs.pk + 1000])).status_code == 404
    assert client.get(reverse("engagement:activity_list", args=["QQQ"])).status_code == 404
