"""The OpenAPI schema validates with no warnings; it and the docs are for signed-in people only."""

import subprocess
import sys

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

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
    client = APIClient()
    client.force_login(world.viewer)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert "/api/v1/delegations/" in yaml.safe_load(response.content)["paths"]


def test_a_token_fetches_the_schema_as_json(world):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.lead).key}")
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_schema_is_refused_without_credentials(db):
    assert APIClient().get("/api/schema/").status_code == 401


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
