"""Helpers for the API tests: a client that holds a persona's token (and checks every answer against the OpenAPI
schema, tests/api_client.py), and the records a test can count."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from partnerships.models import Agreement, Delegation, Membership, Organisation, Partnership, PartnershipRole
from tests.api_client import SchemaCheckedClient, token_for


def api_as(world, persona: str) -> SchemaCheckedClient:
    """A client that sends the persona's token, as an integrator would; 'anonymous' sends none."""
    client = SchemaCheckedClient()
    if persona != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(getattr(world, persona))}")
    return client


def api_for_user(user) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


COUNTED = [Partnership, Organisation, Membership, PartnershipRole, Delegation, Agreement, AuditEvent]


def row_counts() -> dict[str, int]:
    """How many rows each partnerships table and the audit log hold: compare before and after a refused write."""
    return {model.__name__: model.objects.count() for model in COUNTED}


def queries_for(client, url: str) -> int:
    """The number of database queries one GET of `url` makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)
