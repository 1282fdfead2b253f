"""A board digest prints the head of its partnership's audit chain as it was built: a kept copy (on screen, in the
PDF) anchors the history, which verify_audit can be checked against (docs/adr/0017)."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from core.audit import chain_head
from core.models import AuditEvent
from tests.fixtures import client_for

from .digest_support import a_week, built

pytestmark = pytest.mark.django_db


def test_a_digest_keeps_the_head_of_its_partnerships_chain_as_it_was_built(world):
    a_week(world)
    head = chain_head(world.partnership.pk)
    digest = built(world)
    anchor = digest.content["audit_anchor"]
    assert (anchor["hash"], anchor["sequence"]) == (head.hash, head.sequence)
    assert AuditEvent.objects.get(chain=str(world.partnership.pk), sequence=head.sequence).hash == head.hash
    # Building it is itself recorded after the anchor was taken: the digest says what stood before.
    assert chain_head(world.partnership.pk).sequence == head.sequence + 1


def test_the_digest_page_and_its_pdf_show_the_history_anchor(world, client):
    a_week(world)
    digest = built(world)
    anchor = digest.content["audit_anchor"]
    expected = f"History anchor: chain head {anchor['hash'][:16]}"
    client = client_for(client, world, "board")
    page = client.get(f"/digests/{digest.pk}/").content.decode()
    assert expected in " ".join(page.replace("<code>", "").replace("</code>", "").split())
    assert f"{anchor['sequence']} events." in page
    pdf = client.get(f"/digests/{digest.pk}/pdf/").content
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())
    assert expected in text


def test_a_digest_stored_before_digests_kept_the_anchor_shows_none(world, client):
    digest = built(world)
    digest.content.pop("audit_anchor")  # as digests stored before this change are
    digest.save(update_fields=["content"])
    page = client_for(client, world, "board").get(f"/digests/{digest.pk}/").content.decode()
    assert "History anchor" not in page
