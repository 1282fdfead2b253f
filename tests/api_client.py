"""The API client every test uses: each answer it receives under /api/v1/ is checked against the OpenAPI schema.

A test that gets an answer the schema does not describe (a status code the operation does not list, a field that
is null where the schema promises an integer, a field the schema does not name) fails there, naming the request,
the place in the body and the rule broken, so the schema cannot drift from what the API does
(docs/adr/0014-api-answers-checked-against-the-schema.md).

The schema is generated once per test process, by the same generator that serves /api/schema/, and validated with
jsonschema. OpenAPI 3.0's schema objects are JSON Schema (draft 4) plus a few words of their own; `as_json_schema`
translates the one that matters for answers, `nullable`, and closes every object to the properties it names.
"""

import functools
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

import jsonschema
import referencing
import referencing.jsonschema
from rest_framework.test import APIClient

API_PREFIX = "/api/v1/"
# Draft 4's formats, plus those OpenAPI uses that jsonschema checks only with optional packages. "uri" matters most:
# drf-spectacular describes a URL that may be blank as one of a URI or an empty string, and only the format tells
# the two apart.
FORMATS = jsonschema.FormatChecker(jsonschema.Draft4Validator.FORMAT_CHECKER.checkers)


@FORMATS.checks("uri")
def is_uri(value) -> bool:
    return not isinstance(value, str) or bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value))


@FORMATS.checks("date", raises=ValueError)
def is_date(value) -> bool:
    return not isinstance(value, str) or (len(value) == 10 and bool(date.fromisoformat(value)))


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value) -> bool:
    return not isinstance(value, str) or ("T" in value and bool(datetime.fromisoformat(value)))


SCHEMA_URI = "urn:stp-portal:openapi"
JSON = "application/json"


@dataclass(frozen=True)
class Operation:
    path: str  # the schema's template, "/api/v1/decisions/{id}/"
    method: str
    pointer: str  # JSON pointer to the operation in the schema
    responses: dict


class ApiSchema:
    """The OpenAPI document, with a jsonschema registry to resolve its `$ref`s and its paths as patterns."""

    def __init__(self, document: dict):
        self.document = document
        resource = referencing.Resource.from_contents(
            as_json_schema(document), default_specification=referencing.jsonschema.DRAFT4
        )
        self.registry = referencing.Registry().with_resource(SCHEMA_URI, resource)
        # Literal paths before templated ones, so /decisions/summary/ is not taken for /decisions/{id}/.
        templates = sorted(document["paths"], key=lambda path: (path.count("{"), path))
        self.patterns = [(template, path_pattern(template, document["paths"][template])) for template in templates]

    def operation(self, path: str, method: str) -> tuple[str | None, Operation | None]:
        """The schema's template for `path` (None if it has none) and its operation for `method` (None if none)."""
        for template, pattern in self.patterns:
            if pattern.fullmatch(path):
                operation = self.document["paths"][template].get(method.lower())
                if operation is None:
                    return template, None
                pointer = f"/paths/{escape(template)}/{method.lower()}"
                return template, Operation(template, method.upper(), pointer, operation["responses"])
        return None, None

    def errors(self, pointer: str, instance) -> list[jsonschema.ValidationError]:
        validator = jsonschema.Draft4Validator(
            {"$ref": f"{SCHEMA_URI}#{pointer}"}, registry=self.registry, format_checker=FORMATS
        )
        return sorted(validator.iter_errors(instance), key=lambda error: list(error.absolute_path))


@functools.cache
def api_schema() -> ApiSchema:
    """The schema /api/schema/ serves, generated once per process."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    # Through the renderer and back, so lazy translations and decimals become the JSON a client reads.
    return ApiSchema(json.loads(OpenApiJsonRenderer().render(document)))


def path_pattern(template: str, path_item: dict) -> re.Pattern:
    """The paths `template` stands for: an integer parameter matches digits only, as the URL's converter does."""
    integers = {
        parameter["name"]
        for operation in path_item.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path" and parameter.get("schema", {}).get("type") == "integer"
    }
    parts = re.split(r"\{([^}]+)\}", template)
    return re.compile(
        "".join(
            re.escape(part) if index % 2 == 0 else (r"\d+" if part in integers else "[^/]+")
            for index, part in enumerate(parts)
        )
    )


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def as_json_schema(node):
    """OpenAPI 3.0 schema objects as JSON Schema: `nullable: true` allows null, and an object with `properties`
    allows no others (an answer with a field the schema does not name is drift too)."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if "properties" in node and isinstance(node["properties"], dict) and node.get("type") == "object":
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False) is True:
        return {"anyOf": [node, {"type": "null"}]}
    return node


def media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def schema_drift(response) -> str | None:
    """What is wrong with `response` according to the schema, or None if the schema describes it."""
    request = response.wsgi_request
    method, path = request.method, request.path
    if not path.startswith(API_PREFIX):
        return None
    schema = api_schema()
    template, operation = schema.operation(path, method)
    status = response.status_code
    if operation is None:
        # A method or an address the schema does not offer may only be refused.
        if status in (401, 403, 404, 405):
            return None
        where = f"{method} {template}" if template else "this address"
        return f"the schema has no operation for {where}, yet it answered {status}"
    code = str(status)
    response_key = next((key for key in (code, f"{code[0]}XX", "default") if key in operation.responses), None)
    if response_key is None:
        listed = ", ".join(operation.responses)
        return f"status {status} is not among those the schema lists for {method} {operation.path} ({listed})"
    documented = operation.responses[response_key]
    content = documented.get("content") or {}
    body = b"" if response.streaming else response.content
    if not content:
        if body:
            return f"the schema says {status} has no body, yet it has one: {body[:200]!r}"
        return None
    actual_type = media_type(response.get("Content-Type", ""))
    if actual_type not in content:
        if actual_type != JSON and "application/octet-stream" in content:
            return None  # a download: any type of file the schema calls binary
        return f"{status} came as {actual_type or 'no content type'}, the schema offers {', '.join(content)}"
    if actual_type != JSON or method == "HEAD" or "schema" not in content[JSON]:
        return None  # a file, a CSV, a PDF: its type is what the schema promises; a HEAD has no body to check
    try:
        instance = json.loads(body)
    except ValueError:
        return f"{status} claims to be JSON but is not: {body[:200]!r}"
    pointer = f"{operation.pointer}/responses/{escape(response_key)}/content/{escape(JSON)}/schema"
    errors = schema.errors(pointer, instance)
    if not errors:
        return None
    lines = [f"the {status} answer does not match the schema of {method} {operation.path}:"]
    for error in errors[:10]:
        place = error.json_path.replace("$", "body", 1)
        lines.append(f"  at {place}: {error.message}")
    if len(errors) > 10:
        lines.append(f"  … and {len(errors) - 10} more")
    return "\n".join(lines)


class SchemaDrift(AssertionError):
    pass


class SchemaCheckedClient(APIClient):
    """DRF's test client; every answer under /api/v1/ must be one the OpenAPI schema describes."""

    def request(self, **kwargs):
        response = super().request(**kwargs)
        drift = schema_drift(response)
        if drift:
            request = response.wsgi_request
            query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
            raise SchemaDrift(f"{request.method} {request.path}{query}: {drift}")
        return response


def token_for(user) -> str:
    """A new API token for `user`, as a script would hold it. Made directly, not through `core.tokens`: the tests
    count audit records and queries around the requests a token signs, and issuing one would add to both (an audit
    record, and the first use's note of `last_used`, which is set here already)."""
    from datetime import timedelta

    from django.utils import timezone

    from core.models import ApiToken

    return ApiToken.objects.create(user=user, name="Test client", expiry=timedelta(days=1), last_used=timezone.now())[1]
