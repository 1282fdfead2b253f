"""Helpers for the work-streams API tests: a client holding a persona's token, and the rows a refused write must
leave alone."""

from rest_framework.authtoken.models import Token

from core.models import AuditEvent
from tests.api_client import SchemaCheckedClient
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
        token, _ = Token.objects.get_or_create(user=getattr(scene, persona))
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
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
