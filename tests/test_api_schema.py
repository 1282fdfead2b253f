"""The OpenAPI schema validates with no warnings; it and the docs are for signed-in people only."""

import importlib
import json
import pkgutil
import re
import subprocess
import sys

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from rest_framework import serializers

from partnerships.tests.api_client import api_as
from tests.api_client import SchemaCheckedClient, api_schema, schema_drift, token_for
from tests.fixtures import process_environment

pytestmark = pytest.mark.django_db


def test_the_schema_validates_with_no_warnings(tmp_path):
    schema_file = tmp_path / "schema.yaml"
    # --fail-on-warn turns any warning (an untyped field, an enum name clash) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))
    schema = yaml.safe_load(schema_file.read_text())
    assert schema["info"]["title"] == "STP Portal API"
    for resource in ["partnerships", "organisations", "memberships", "roles", "delegations", "agreements"]:
        assert f"/api/v1/{resource}/" in schema["paths"], resource


def test_the_schema_describes_inputs_and_outputs_separately(tmp_path):
    schema_file = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(schema_file))
    schema = yaml.safe_load(schema_file.read_text())
    create = schema["paths"]["/api/v1/delegations/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/DelegationCreateInput")
    assert create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Delegation")
    update = schema["paths"]["/api/v1/delegations/{id}/"]["patch"]
    assert update["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/PatchedDelegationInput")
    assert "put" not in schema["paths"]["/api/v1/delegations/{id}/"]
    download = schema["paths"]["/api/v1/agreements/{id}/document/"]["get"]
    assert download["responses"]["200"]["content"]["application/octet-stream"]["schema"]["format"] == "binary"


def test_a_signed_in_person_fetches_the_schema(world):
    client = SchemaCheckedClient()
    client.force_login(world.viewer)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert "/api/v1/delegations/" in yaml.safe_load(response.content)["paths"]


def test_a_token_fetches_the_schema_as_json(world):
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.lead)}")
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_schema_is_refused_without_credentials(db):
    assert SchemaCheckedClient().get("/api/schema/").status_code == 401


def test_the_docs_send_a_person_who_is_not_signed_in_to_sign_in(db, client):
    for path in ["/api/docs/", "/api/docs/?script="]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=/api/docs/")


def test_the_docs_page_needs_no_inline_script_or_style(world, client):
    client.force_login(world.viewer)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en-GB">' in html
    assert "<style" not in html
    assert html.count("<script") == html.count("<script src=") == 3
    csp = page["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "script-src 'self'" in csp

    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle" in script.content.decode()


def test_settings_can_load_the_api_helpers_before_drf_has_loaded_its_generic_views():
    """core/api/pagination.py and errors.py are named by settings and imported by DRF while DRF loads: they must not
    import DRF's views."""
    code = (
        "import django; django.setup(); "
        "import rest_framework.generics, core.api.pagination, core.api.errors, core.api.views, partnerships.api.views; "
        "from rest_framework.settings import api_settings; print(api_settings.DEFAULT_PAGINATION_CLASS.__name__)"
    )
    environment = process_environment(DJANGO_SETTINGS_MODULE="stp_portal.settings.test")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Pagination"


def serializers_of_the_api():
    """Every ModelSerializer the apps' APIs define (each app's api package, imported whole)."""
    for app in API_APPS:
        package = importlib.import_module(f"{app}.api")
        for module in pkgutil.walk_packages(package.__path__, f"{app}.api."):
            importlib.import_module(module.name)
    pending, found = list(serializers.ModelSerializer.__subclasses__()), []
    while pending:
        serializer_class = pending.pop()
        pending += serializer_class.__subclasses__()
        if serializer_class.__module__.split(".")[0] in API_APPS:
            found.append(serializer_class)
    return found


def can_be_null(model, source: str) -> bool:
    """Whether the model field behind `source` ("workstream", "lead.profile") can hold null at any step."""
    for name in source.split("."):
        try:
            field = model._meta.get_field(name)
        except (FieldDoesNotExist, AttributeError):
            return False  # a property or an annotation: its serializer field says what it holds
        if field.concrete and field.null:
            return True
        if not field.is_relation or field.many_to_many or field.one_to_many:
            return False
        model = field.related_model
    return False


API_APPS = ["core", "partnerships", "workstreams", "engagement", "governance", "reporting"]


def test_every_answer_field_from_a_nullable_model_field_is_declared_nullable():
    """A board action has no work-stream: a field read from a nullable column must say it may be null, or the
    schema promises clients an integer they will not always get."""
    undeclared = [
        f"{serializer_class.__module__}.{serializer_class.__name__}.{name} (source {field.source})"
        for serializer_class in serializers_of_the_api()
        for name, field in serializer_class().fields.items()
        if not field.write_only
        and field.source != "*"
        and not isinstance(field, serializers.SerializerMethodField)
        and can_be_null(serializer_class.Meta.model, field.source)
        and not field.allow_null
    ]
    assert undeclared == []


def test_a_request_body_is_json_unless_it_carries_a_file():
    """One content type per operation, so that a generated client can write (issue 14): JSON, or multipart where the
    body holds a file."""
    schema = api_schema().document
    offered = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content_type, body in operation.get("requestBody", {}).get("content", {}).items():
                name = body["schema"]["$ref"].rsplit("/", 1)[-1]
                properties = schema["components"]["schemas"][name]["properties"].values()
                has_file = any(field.get("format") == "binary" for field in properties)
                offered.setdefault(f"{method.upper()} {path}", []).append((content_type, has_file))
    wrong = {
        operation: types
        for operation, types in offered.items()
        if types not in ([("application/json", False)], [("multipart/form-data", True)])
    }
    assert wrong == {}
    assert ("multipart/form-data", True) in offered["POST /api/v1/papers/"]


def test_a_board_action_or_meeting_and_a_member_who_deputises_for_nobody_may_answer_null():
    components = api_schema().document["components"]["schemas"]
    for component in ["Action", "ActionDetail", "Meeting", "MeetingDetail"]:
        assert components[component]["properties"]["workstream"]["nullable"] is True, component
    assert components["GroupMember"]["properties"]["deputy_for"]["nullable"] is True


def test_a_status_the_operation_does_not_list_is_drift(world):
    response = api_as(world, "lead").get("/api/v1/partnerships/")
    response.status_code = 418
    assert "status 418 is not among those the schema lists for GET /api/v1/partnerships/" in schema_drift(response)


def test_a_body_that_breaks_the_schema_is_drift_naming_the_field(world):
    response = api_as(world, "lead").get("/api/v1/partnerships/QZZ/")
    response.content = json.dumps({**response.json(), "name": None, "colour": "blue"}).encode()
    drift = schema_drift(response)
    assert "at body.name: None is not of type 'string'" in drift
    assert "'colour' was unexpected" in drift


def test_an_answer_in_a_content_type_the_schema_does_not_offer_is_drift(world):
    response = api_as(world, "lead").get("/api/v1/partnerships/QZZ/")
    response["Content-Type"] = "text/html"
    assert "200 came as text/html, the schema offers application/json" in schema_drift(response)


def test_no_test_builds_a_client_that_skips_the_schema_check():
    """Every API test gets its client from `api_client`, `api_as` or `api_for_user` (ADR 0014)."""
    root = settings.BASE_DIR
    bare = [
        str(path.relative_to(root))
        for path in [*root.glob("tests/**/*.py"), *root.glob("*/tests/**/*.py")]
        if path != root / "tests" / "api_client.py" and re.search(r"\bAPIClient\(", path.read_text())
    ]
    assert bare == []
