"""The permission matrix of the work-streams API: every endpoint and method, for every persona, with token auth.

Anonymous → 401; outsider → 404 for anything of QZZ; everyone in QZZ reads; the Diabetes group (`member`,
`board`) and the partnership lead write Diabetes records, its lead (`board`) and the partnership lead run the
group; the board's records are written by the lead, board and non-executive members; an action's owner (`doctor`)
records progress. A refused write changes no row.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from tests.fixtures import PERSONAS

from .api_support import api_as, row_counts

pytestmark = pytest.mark.django_db

LIST = dict.fromkeys(PERSONAS, 200) | {"anonymous": 401}
READ = dict.fromkeys(PERSONAS, 200) | {"anonymous": 401, "outsider": 404}


def writers(success: int, *allowed: str) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, 403) | {"anonymous": 401, "outsider": 404} | dict.fromkeys(allowed, success)


GROUP = ("member", "board", "lead")  # the Diabetes group and the partnership lead
GROUP_LEADS = ("board", "lead")  # the Diabetes lead and the partnership lead
BOARD = ("ned", "board", "lead")
CONTRIBUTORS = ("member", "ned", "board", "lead")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@dataclass
class Case:
    name: str
    method: str
    url: Callable  # (scene, records) -> str
    expected: dict[str, int]
    body: Callable | None = None  # (scene, records) -> dict
    multipart: bool = False

    def __str__(self) -> str:
        return self.name


def url(name, *args):
    return lambda scene, records: reverse(f"api:{name}", args=[arg(scene, records) for arg in args])


def pk(key):
    return lambda scene, records: records[key].pk


def diabetes(scene, records):
    return scene.diabetes.pk


CASES = [
    Case("work-streams list", "get", url("workstream-list"), LIST),
    Case("work-stream detail", "get", url("workstream-detail", diabetes), READ),
    Case(
        "work-stream proposal",
        "post",
        url("workstream-list"),
        writers(201, *CONTRIBUTORS),
        lambda s, r: {"partnership": "QZZ", "name": "End of Life Care", "purpose": "Die well.", "lead": s.member.pk},
    ),
    Case(
        "work-stream update",
        "patch",
        url("workstream-detail", diabetes),
        writers(200, *GROUP_LEADS),
        lambda s, r: {"priority_area": "Long-term conditions"},
    ),
    Case(
        "work-stream status",
        "post",
        url("workstream-status", diabetes),
        writers(200, *GROUP_LEADS),
        lambda s, r: {"status": "paused", "reason": "Funding."},
    ),
    Case(
        "work-stream RAG",
        "post",
        url("workstream-rag", diabetes),
        writers(200, *GROUP),
        lambda s, r: {"rag": "amber", "reason": "Late."},
    ),
    Case(
        "work-stream quorum",
        "post",
        url("workstream-quorum", diabetes),
        writers(200, *GROUP_LEADS),
        lambda s, r: {"quorum_minimum": 2},
    ),
    Case("group members list", "get", url("group-member-list"), LIST),
    Case("group member detail", "get", url("group-member-detail", pk("seat")), READ),
    Case(
        "group member add",
        "post",
        url("group-member-list"),
        writers(201, *GROUP_LEADS),
        lambda s, r: {"workstream": s.diabetes.pk, "person": s.ned.pk, "role": "member"},
    ),
    Case(
        "group member update",
        "patch",
        url("group-member-detail", pk("seat")),
        writers(200, *GROUP_LEADS),
        lambda s, r: {"role": "member", "is_clinician": True},
    ),
    Case(
        "group member leaves",
        "post",
        url("group-member-leave", pk("seat")),
        writers(200, *GROUP_LEADS),
        lambda s, r: {},
    ),
    Case("meetings list", "get", url("meeting-list"), LIST),
    Case("meeting detail", "get", url("meeting-detail", pk("meeting")), READ),
    Case(
        "meeting create",
        "post",
        url("meeting-list"),
        writers(201, *GROUP),
        lambda s, r: {"workstream": s.diabetes.pk, "starts_at": "2026-12-03T14:00:00Z", "place": "Room 4"},
    ),
    Case(
        "board meeting create",
        "post",
        url("meeting-list"),
        writers(201, *BOARD),
        lambda s, r: {"partnership": "QZZ", "starts_at": "2026-12-03T14:00:00Z", "link": "https://t.example/b"},
    ),
    Case(
        "meeting update",
        "patch",
        url("meeting-detail", pk("meeting")),
        writers(200, *GROUP),
        lambda s, r: {"place": "Room 5"},
    ),
    Case(
        "board meeting update",
        "patch",
        url("meeting-detail", pk("board_meeting")),
        writers(200, *BOARD),
        lambda s, r: {"place": "Room 5"},
    ),
    Case(
        "meeting status",
        "post",
        url("meeting-status", pk("board_meeting")),
        writers(200, *BOARD),
        lambda s, r: {"status": "held"},
    ),
    Case(
        "meeting attendance",
        "post",
        url("meeting-attendance", pk("meeting")),
        writers(200, *GROUP),
        lambda s, r: {"attendance": [{"person": s.board.pk, "status": "present"}]},
    ),
    Case(
        "meeting minutes",
        "post",
        url("meeting-minutes", pk("meeting")),
        writers(200, *GROUP),
        lambda s, r: {"items": [{"agenda_item": r["item"].pk, "minutes": "Agreed, with thanks."}]},
    ),
    Case(
        "meeting minutes approval",
        "post",
        url("meeting-approve-minutes", pk("meeting")),
        writers(200, *GROUP),
        lambda s, r: {},
    ),
    Case("agenda items list", "get", url("agenda-item-list"), LIST),
    Case("agenda item detail", "get", url("agenda-item-detail", pk("item")), READ),
    Case(
        "agenda item create",
        "post",
        url("agenda-item-list"),
        writers(201, *GROUP),
        lambda s, r: {"meeting": r["meeting"].pk, "title": "Budget", "purpose": "decision"},
    ),
    Case(
        "agenda item update",
        "patch",
        url("agenda-item-detail", pk("item")),
        writers(200, *GROUP),
        lambda s, r: {"purpose": "discussion"},
    ),
    Case("papers list", "get", url("paper-list"), LIST),
    Case("paper detail", "get", url("paper-detail", pk("paper")), READ),
    Case("paper document", "get", url("paper-document", pk("paper")), READ),
    Case(
        "paper upload",
        "post",
        url("paper-list"),
        writers(201, *GROUP),
        lambda s, r: {"agenda_item": r["item"].pk, "document": SimpleUploadedFile("b.pdf", b"%PDF-1 budget")},
        multipart=True,
    ),
    Case("actions list", "get", url("action-list"), LIST),
    Case("action detail", "get", url("action-detail", pk("action")), READ),
    Case(
        "action create",
        "post",
        url("action-list"),
        writers(201, *GROUP),
        lambda s, r: {"workstream": s.diabetes.pk, "description": "Plan", "owner": s.member.pk, "due_on": "2027-01-01"},
    ),
    Case(
        "board action create",
        "post",
        url("action-list"),
        writers(201, *BOARD),
        lambda s, r: {
            "meeting": r["board_meeting"].pk,
            "description": "Plan",
            "owner": s.ned.pk,
            "due_on": "2027-01-01",
        },
    ),
    Case(
        "action update",
        "patch",
        url("action-detail", pk("action")),
        writers(200, *GROUP),
        lambda s, r: {"due_on": "2027-02-01"},
    ),
    Case(
        "board action update",
        "patch",
        url("action-detail", pk("board_action")),
        writers(200, *BOARD),
        lambda s, r: {"due_on": "2027-02-01"},
    ),
    Case(
        "action progress note",
        "post",
        url("action-notes", pk("action")),
        writers(201, "doctor", *GROUP),
        lambda s, r: {"text": "Started."},
    ),
    Case(
        "action complete",
        "post",
        url("action-complete", pk("action")),
        writers(200, "doctor", *GROUP),
        lambda s, r: {"text": "Done."},
    ),
    Case("highlight reports list", "get", url("highlight-report-list"), LIST),
    Case("highlight report detail", "get", url("highlight-report-detail", pk("report")), READ),
    Case(
        "highlight report create",
        "post",
        url("highlight-report-list"),
        writers(201, *GROUP),
        lambda s, r: {
            "workstream": s.diabetes.pk,
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
            "rag": "amber",
            "progress": "Slower.",
        },
    ),
    Case(
        "highlight report update",
        "patch",
        url("highlight-report-detail", pk("report")),
        writers(200, *GROUP),
        lambda s, r: {"rag": "red"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(scene, records, case):
    answers, changed = {}, {}
    for persona in case.expected:
        with transaction.atomic():  # each persona starts from the same records: the write is rolled back
            before = row_counts()
            client = api_as(scene, persona)
            send, target = getattr(client, case.method), case.url(scene, records)
            body = case.body(scene, records) if case.body else None
            if body is None:
                response = send(target)
            else:
                response = send(target, body, format="multipart" if case.multipart else "json")
            answers[persona] = response.status_code
            if case.method != "get" and response.status_code >= 400:
                changed[persona] = row_counts() != before
            transaction.set_rollback(True)
    assert answers == case.expected
    assert not any(changed.values()), changed
