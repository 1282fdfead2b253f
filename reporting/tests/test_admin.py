"""The Django admin shows board digests, and the emails sent once, to staff superusers read-only: they change only
through their services, so a digest is never rewritten and an email never marked sent by hand."""

import pytest

from tests.factories import UserFactory

from .digest_support import built

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    client.force_login(UserFactory(username="administrator", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("path", ["/admin/reporting/digest/", "/admin/core/sentemail/"])
def test_a_superuser_reads_digests_and_sent_emails_but_cannot_add(admin_client, world, path):
    built(world)
    assert admin_client.get(path).status_code == 200
    assert admin_client.get(f"{path}add/").status_code == 403
