"""The demo links decisions to the demo engagement: the End of Life Care proposal has no local-authority evidence,
and running the demo again links nothing twice."""

import io

import pytest
from django.core.management import call_command

from governance.models import Decision
from governance.selectors.evidence import decision_evidence
from tests.html import text

from .evidence_support import gap_events, written

pytestmark = pytest.mark.django_db


def test_the_demo_end_of_life_care_proposal_shows_it_has_no_local_authority_evidence(client):
    call_command("seed_demo", stdout=io.StringIO())
    decision = Decision.objects.get(partnership__code="QZZ", title="Establish the End of Life Care work-stream")
    evidence = decision_evidence(decision)
    assert [group.name for group in evidence.expected_missing] == ["Local authorities and councillors"]
    assert evidence.flagged and len(evidence.activities) == 4 and len(evidence.responses) == 3
    assert gap_events(decision) == [
        "Went to sign-off with no engagement evidence from: Local authorities and councillors"
    ]

    client.force_login(decision.proposer)
    page = client.get(decision.get_absolute_url())
    assert text(page, "#no-evidence-from") == "No evidence from: Local authorities and councillors."

    published = Decision.objects.get(partnership__code="QZZ", title="Discharge to assess, 2026 model")
    client.logout()
    public = client.get(f"/public/QZZ/decisions/{published.reference}/")
    assert "Hospital doctors' discharge medicines audit" in text(public, "#public-engagement")

    before = written()
    call_command("seed_demo", stdout=io.StringIO())
    assert written() == before
