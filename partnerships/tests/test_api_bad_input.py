"""Bad input to the partnerships API: 400 with a message naming the field, and nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import Role
from tests.factories import AgreementFactory, DelegationFactory, UserFactory

from .api_client import api_as, api_for_user, row_counts

pytestmark = pytest.mark.django_db

DELEGATION = {
    "partnership": "QZZ",
    "categories": ["finance"],
    "limit_pounds": "50000",
    "valid_from": "2026-04-01",
    "source_document": "Scheme of reservation and delegation",
}


@pytest.fixture
def lead_api(world):
    return api_as(world, "lead")


@pytest.fixture
def admin_api(world):
    """A service administrator: the only one who corrects an organisation's shared record."""
    return api_for_user(UserFactory(username="admin", is_superuser=True, is_staff=True))


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def refused(client, method, url, data, *, format="json"):
    """Send the request and return the 400's errors, checking that nothing at all was written."""
    before = row_counts()
    response = getattr(client, method)(url, data, format=format)
    assert response.status_code == 400, response.content
    assert row_counts() == before
    return response.json()


def delegation(world, **fields):
    return {**DELEGATION, "organisation": world.trust.pk, "delegate": world.board.pk, **fields}


def test_a_bad_ods_code_is_refused_on_create(world, lead_api):
    body = {"partnership": "QZZ", "name": "Demo Hospice", "kind": "vcse", "joined_on": "2026-01-05", "ods_code": "rx-1"}
    errors = refused(lead_api, "post", reverse("api:organisation-list"), body)
    assert "ODS code" in errors["ods_code"][0]


def test_a_bad_ods_code_is_refused_on_update(world, admin_api):
    url = reverse("api:organisation-detail", args=[world.council.pk])
    errors = refused(admin_api, "patch", url, {"ods_code": "12"})
    assert "ODS code" in errors["ods_code"][0]
    world.council.refresh_from_db()
    assert world.council.ods_code == "Z1001"


def test_a_negative_limit_is_refused(world, lead_api):
    errors = refused(lead_api, "post", reverse("api:delegation-list"), delegation(world, limit_pounds="-1"))
    assert "0" in errors["limit_pounds"][0]


def test_a_limit_that_is_not_a_number_is_refused(world, lead_api):
    errors = refused(lead_api, "post", reverse("api:delegation-list"), delegation(world, limit_pounds="a lot"))
    assert errors["limit_pounds"] == ["A valid number is required."]


def test_a_delegation_that_ends_before_it_starts_is_refused(world, lead_api):
    errors = refused(lead_api, "post", reverse("api:delegation-list"), delegation(world, valid_to="2026-03-31"))
    assert "end date" in errors["non_field_errors"][0]


def test_an_agreement_that_expires_before_it_takes_effect_is_refused(world, lead_api):
    body = {
        "partnership": "QZZ",
        "kind": "mou",
        "title": "Shared records",
        "parties": [world.trust.pk],
        "effective_on": "2026-04-01",
        "expires_on": "2026-03-01",
    }
    errors = refused(lead_api, "post", reverse("api:agreement-list"), body, format="multipart")
    assert "expiry date" in errors["non_field_errors"][0]


def test_changing_only_the_expiry_to_before_the_effective_date_is_refused(world, lead_api):
    agreement = AgreementFactory(partnership=world.partnership)
    agreement.parties.set([world.trust])
    url = reverse("api:agreement-detail", args=[agreement.pk])
    errors = refused(lead_api, "patch", url, {"expires_on": "2024-01-01"})
    assert "expiry date" in errors["non_field_errors"][0]


def test_an_oversized_document_is_refused(world, lead_api):
    big = SimpleUploadedFile("mou.pdf", b"%PDF-1.7" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    body = {"partnership": "QZZ", "kind": "mou", "title": "Big", "parties": [world.trust.pk], "document": big}
    errors = refused(lead_api, "post", reverse("api:agreement-list"), body, format="multipart")
    assert errors["document"] == ["The file must be smaller than 10 MB."]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "The file must be a PDF, DOCX, DOC, ODT."),
        ("mou.pdf", b"MZ\x90\x00 not a pdf", "The file is not a real PDF."),
    ],
)
def test_a_document_of_the_wrong_type_is_refused(world, lead_api, filename, content, message):
    agreement = AgreementFactory(partnership=world.partnership)
    agreement.parties.set([world.trust])
    document = SimpleUploadedFile(filename, content)
    url = reverse("api:agreement-detail", args=[agreement.pk])
    errors = refused(lead_api, "patch", url, {"document": document}, format="multipart")
    assert errors["document"] == [message]
    agreement.refresh_from_db()
    assert not agreement.document


def test_another_partnerships_organisation_cannot_be_named_in_a_delegation(world, lead_api):
    errors = refused(
        lead_api, "post", reverse("api:delegation-list"), delegation(world, organisation=world.other_trust.pk)
    )
    assert "organisation" in errors
    assert str(world.other_trust.pk) in errors["organisation"][0]


def test_an_organisation_of_both_partnerships_must_still_be_a_current_member_of_this_one(world, lead_api):
    from tests.factories import MembershipFactory

    MembershipFactory(partnership=world.partnership, organisation=world.other_trust, left_on="2024-01-01")
    errors = refused(
        lead_api, "post", reverse("api:delegation-list"), delegation(world, organisation=world.other_trust.pk)
    )
    assert "not a current member" in errors["organisation"][0]


def test_another_partnerships_organisation_cannot_be_a_party(world, lead_api):
    body = {"partnership": "QZZ", "kind": "mou", "title": "MoU", "parties": [world.trust.pk, world.other_trust.pk]}
    errors = refused(lead_api, "post", reverse("api:agreement-list"), body)
    assert "parties" in errors


def test_someone_from_another_partnership_cannot_be_named_as_delegate(world, lead_api):
    errors = refused(lead_api, "post", reverse("api:delegation-list"), delegation(world, delegate=world.outsider.pk))
    assert "delegate" in errors


def test_someone_from_another_partnership_cannot_be_given_a_role(world, lead_api):
    body = {"partnership": "QZZ", "person": world.outsider.pk, "role": Role.VIEWER}
    errors = refused(lead_api, "post", reverse("api:role-list"), body)
    assert "person" in errors


def test_a_role_that_does_not_exist_is_refused(world, lead_api):
    body = {"partnership": "QZZ", "person": world.member.pk, "role": "emperor"}
    errors = refused(lead_api, "post", reverse("api:role-list"), body)
    assert errors["role"] == ['"emperor" is not a valid choice.']


def test_the_last_lead_cannot_be_revoked(world, lead_api):
    from partnerships.models import PartnershipRole

    grant = PartnershipRole.objects.get(user=world.lead, content_object=world.partnership)
    before = row_counts()
    response = lead_api.delete(reverse("api:role-detail", args=[grant.pk]))
    assert response.status_code == 400
    assert "needs a lead" in response.json()["role"][0]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("url_name", "body", "field"),
    [
        ("organisation-list", {"name": "<script>alert(1)</script>", "kind": "vcse", "joined_on": "2026-01-05"}, "name"),
        ("agreement-list", {"kind": "mou", "title": "<b>MoU</b>", "parties": "trust"}, "title"),
        ("delegation-list", {"source_document": "<script>x</script>"}, "source_document"),
    ],
)
def test_markup_in_text_is_refused(world, lead_api, url_name, body, field):
    if url_name == "delegation-list":
        body = delegation(world, **body)
    if body.get("parties") == "trust":
        body["parties"] = [world.trust.pk]
    errors = refused(lead_api, "post", reverse(f"api:{url_name}"), {"partnership": "QZZ", **body})
    assert errors[field] == ["Remove the HTML tags, like <b> or <script>"]


def test_markup_in_a_partnerships_description_is_refused(world, lead_api):
    url = reverse("api:partnership-detail", args=["QZZ"])
    errors = refused(lead_api, "patch", url, {"public_description": "<img src=x onerror=alert(1)>"})
    assert "public_description" in errors


def test_text_that_is_too_long_is_refused(world, admin_api):
    url = reverse("api:organisation-detail", args=[world.council.pk])
    errors = refused(admin_api, "patch", url, {"name": "x" * 201})
    assert "200" in errors["name"][0]


def test_missing_fields_are_each_named(world, lead_api):
    errors = refused(lead_api, "post", reverse("api:delegation-list"), {"partnership": "QZZ"})
    assert set(errors) == {"organisation", "categories", "valid_from", "source_document"}


def test_a_missing_partnership_is_named(world, lead_api):
    errors = refused(
        lead_api, "post", reverse("api:delegation-list"), {k: v for k, v in DELEGATION.items() if k != "partnership"}
    )
    assert "partnership" in errors


def test_an_unknown_category_is_refused(world, lead_api):
    errors = refused(lead_api, "post", reverse("api:delegation-list"), delegation(world, categories=["bribery"]))
    assert "categories" in errors


def test_a_date_in_the_wrong_format_is_refused(world, lead_api):
    errors = refused(lead_api, "post", reverse("api:delegation-list"), delegation(world, valid_from="1/4/2026"))
    assert "valid_from" in errors


def test_a_field_that_cannot_be_set_is_refused_rather_than_ignored(world, lead_api):
    record = DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board)
    url = reverse("api:delegation-detail", args=[record.pk])
    errors = refused(lead_api, "patch", url, {"partnership": "QYY", "limit_pounds": "1"})
    assert errors == {"partnership": ["This field cannot be set here."]}


def test_a_body_that_is_not_one_record_is_refused(world, lead_api):
    errors = refused(lead_api, "post", reverse("api:delegation-list"), [delegation(world)])
    assert "non_field_errors" in errors


def test_someone_elses_record_in_the_url_is_not_found(world, lead_api):
    theirs = DelegationFactory(
        partnership=world.other_partnership, organisation=world.other_trust, delegate=world.outsider
    )
    before = row_counts()
    response = lead_api.patch(reverse("api:delegation-detail", args=[theirs.pk]), {"limit_pounds": "1"}, format="json")
    assert response.status_code == 404
    assert row_counts() == before


def test_a_bad_filter_value_is_refused(world, lead_api):
    response = lead_api.get(reverse("api:delegation-list"), {"in_force_on": "next tuesday"})
    assert response.status_code == 400
    assert "in_force_on" in response.json()


def test_an_id_that_is_not_a_number_is_not_found(world, lead_api):
    assert lead_api.get("/api/v1/delegations/abc/").status_code == 404
