"""Helpers for the work-streams API tests: a client holding a persona's token, and the rows a refused write must
leave alone."""

from core.models import AuditEvent
from tests.api_client import SchemaCheckedClient, token_for
from workstreams.models import (
    Action,
    ActionNote,
    AgendaItem,
    Attendance,
    GroupMember,
    HighlightReport,
    Meeting,
    MinutesVersion,
    Paper,
    WorkStream,
)


def api_as(scene, persona: str) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    if persona != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(getattr(scene, persona))}")
    return client


COUNTED = [
    WorkStream,
    GroupMember,
    Meeting,
    AgendaItem,
    Paper,
    Attendance,
    MinutesVersion,
    Action,
    ActionNote,
    HighlightReport,
    AuditEvent,
]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}
