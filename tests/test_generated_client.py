"""A client generated from the OpenAPI schema can write as well as read: openapi-python-client builds a package from
the schema `manage.py spectacular` writes, and an integrator's script drives a proposal through sign-off with it
against the running server (issue 14; docs/adr/0014-api-answers-checked-against-the-schema.md)."""

import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from governance.tests.support import signatories
from tests.fixtures import skip_or_fail

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "stp_portal_client"
# No post-hooks (the generator would run ruff over its output: slower, and nothing the import needs); a PDF answer
# is a file like any other; and any warning (an answer or body it could not model) fails the generation.
GENERATOR_CONFIG = f"""\
package_name_override: {PACKAGE}
post_hooks: []
content_type_overrides:
  application/pdf: application/octet-stream
"""


def generator() -> str:
    found = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent)) or shutil.which(
        "openapi-python-client"
    )
    if found is None:
        skip_or_fail("openapi-python-client is not installed (make install)")
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    """The client package generated from the schema, imported; every operation's module with it."""
    command = generator()
    work = tmp_path_factory.mktemp("generated-client")
    schema, config = work / "schema.yaml", work / "config.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--file", str(schema))
    config.write_text(GENERATOR_CONFIG)
    result = subprocess.run(
        [command, "generate", "--path", str(schema), "--output-path", str(work / PACKAGE), "--meta", "none"]
        + ["--config", str(config), "--fail-on-warning"],
        capture_output=True,
        text=True,
        cwd=work,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(work))
    try:
        package = importlib.import_module(PACKAGE)
        operations = importlib.import_module(f"{PACKAGE}.api")
        modules = {
            module.name.rsplit(".", 1)[-1]: importlib.import_module(module.name)
            for module in pkgutil.walk_packages(operations.__path__, f"{PACKAGE}.api.")
            if not module.ispkg
        }
        yield package, modules, importlib.import_module(f"{PACKAGE}.models")
    finally:
        sys.path.remove(str(work))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_every_operation_of_the_generated_client_imports(generated):
    _, modules, _ = generated
    assert {"decisions_create", "decisions_open_sign_off_create", "signoffs_create", "agreements_create"} <= set(
        modules
    )


def test_the_generated_client_drives_a_proposal_through_sign_off(generated, world, live_server):
    package, api, models = generated
    signatories(world)  # the board member signs for the trust, a council director for the council

    def signed_in(username: str):
        """A client holding `username`'s token, asked for with the generated client as an integrator would."""
        anonymous = package.Client(base_url=live_server.url, raise_on_unexpected_status=True)
        answer = api["auth_token_create"].sync(
            client=anonymous, body=models.TokenRequest(username=username, password=settings.DEMO_PASSWORD)
        )
        assert isinstance(answer, models.TokenAnswer), answer
        return package.AuthenticatedClient(
            base_url=live_server.url, token=answer.token, prefix="Token", raise_on_unexpected_status=True
        )

    lead = signed_in("lead")
    proposal = api["decisions_create"].sync(
        client=lead,
        body=models.DecisionCreateInput(
            partnership="QZZ",
            title="One community diabetes service",
            case="One service across the footprint, run by the trust with the council's public health team.",
            category=models.DecisionCategoryEnum.SERVICE_CHANGE,
            bound_organisations=[world.trust.pk, world.council.pk],
        ),
    )
    assert isinstance(proposal, models.Decision), proposal
    assert proposal.status == models.DecisionStatusEnum.DRAFT

    opened = api["decisions_open_for_challenge_create"].sync(proposal.id, client=lead)
    assert opened.status == models.DecisionStatusEnum.OPEN_FOR_CHALLENGE
    signing = api["decisions_open_sign_off_create"].sync(
        proposal.id, client=lead, body=models.OpenSignoffInput(reason="Ready for the partners to sign.")
    )
    assert signing.status == models.DecisionStatusEnum.IN_SIGNOFF

    for signatory in ["board", "councildirector"]:
        vote = api["signoffs_create"].sync(
            client=signed_in(signatory),
            body=models.SignOffInput(decision=proposal.id, vote=models.VoteEnum.APPROVE, declares_no_interest=True),
        )
        assert isinstance(vote, models.SignOff), vote

    decided = api["decisions_retrieve"].sync(proposal.id, client=lead)
    assert decided.status == models.DecisionStatusEnum.APPROVED
    assert decided.organisations_bound == 2
    votes = api["signoffs_list"].sync(client=lead, decision=proposal.id)
    assert {vote.organisation.id for vote in votes.results} == {world.trust.pk, world.council.pk}
