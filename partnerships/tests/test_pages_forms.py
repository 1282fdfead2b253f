"""The lead's forms: who may open and submit each one, what a good submission changes, and what bad input gets."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import AuditEvent
from partnerships.models import (
    Agreement,
    AgreementStatus,
    DecisionCategory,
    Delegation,
    GovernanceForm,
    Membership,
    MembershipKind,
    Organisation,
    OrganisationKind,
    Partnership,
    Role,
)
from partnerships.selectors.partnerships import role_values_of
from tests.factories import AgreementFactory, DelegationFactory, UserFactory
from tests.fixtures import PERSONAS, client_for
from tests.html import error_summary, parse, text

from .pages_support import PDF_BYTES, pdf, written

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def records(world):
    """A delegation and an agreement of QZZ for the change forms, and the same of QYY for someone else's ids."""
    records = type("Records", (), {})()
    records.delegation = DelegationFactory(
        partnership=world.partnership, organisation=world.trust, delegate=world.board
    )
    records.agreement = AgreementFactory(partnership=world.partnership, title="Memorandum of understanding")
    records.agreement.parties.set([world.trust, world.council])
    records.membership = Membership.objects.get(partnership=world.partnership, organisation=world.trust)
    records.other_delegation = DelegationFactory(
        partnership=world.other_partnership, organisation=world.other_trust, delegate=world.outsider
    )
    records.other_agreement = AgreementFactory(partnership=world.other_partnership, title="Elsewhere MoU")
    records.other_agreement.parties.set([world.other_trust])
    records.other_membership = Membership.objects.get(partnership=world.other_partnership)
    return records


def delegation_data(world, **changes) -> dict:
    return {
        "organisation": world.trust.pk,
        "delegate": world.board.pk,
        "delegate_role": "",
        "categories": [DecisionCategory.FINANCE, DecisionCategory.STRATEGY],
        "limit_pounds": "250000",
        "valid_from": "2026-01-01",
        "valid_to": "",
        "source_document": "Scheme of reservation and delegation",
        "source_version": "v8",
        **changes,
    }


def agreement_data(world, **changes) -> dict:
    return {
        "title": "Shared care record data-sharing agreement",
        "kind": "data_sharing",
        "parties": [world.trust.pk, world.council.pk],
        "status": AgreementStatus.SIGNED,
        "effective_on": "2026-01-01",
        "expires_on": "2027-12-31",
        "review_on": "2026-12-01",
        **changes,
    }


def invite_data(world, **changes) -> dict:
    return {
        "first_name": "Amara",
        "last_name": "Okoye",
        "email": "amara.okoye@example.nhs.uk",
        "username": "a.okoye",
        "organisation": world.council.pk,
        "job_title": "Director of nursing",
        "is_clinician": "on",
        "roles": [Role.BOARD_MEMBER],
        **changes,
    }


# Each form: its URL and a submission that the lead may make. Built per test, since uploads are read once.
FORMS = {
    "partnership_update": (
        lambda w, r: "/partnerships/QZZ/details/",
        lambda w, r: {
            "name": "Demo Health and Care Partnership",
            "ons_code": "E54000008",
            "region": "North East and Yorkshire",
            "population": "1200000",
            "governance_form": GovernanceForm.JOINT_COMMITTEE,
            "public_description": "The partners of the Demo footprint, working together.",
        },
    ),
    "organisation_create": (
        lambda w, r: "/partnerships/QZZ/organisations/new/",
        lambda w, r: {
            "name": "Dales Hospice",
            "ods_code": "zh999",
            "kind": OrganisationKind.VCSE,
            "postcode": "DV2 4HO",
            "opened_on": "",
            "membership_kind": MembershipKind.ASSOCIATE,
            "joined_on": "2026-01-01",
        },
    ),
    "organisation_update": (
        lambda w, r: f"/partnerships/QZZ/organisations/{w.trust.pk}/change/",
        lambda w, r: {
            "name": "Demo Teaching Hospitals NHS Foundation Trust",
            "ods_code": "RZZ",
            "kind": OrganisationKind.ACUTE_TRUST,
            "postcode": "NF1 4HS",
            "opened_on": "2015-04-01",
            "closed_on": "",
        },
    ),
    "membership_add": (
        lambda w, r: "/partnerships/QZZ/members/add/",
        lambda w, r: {"ods_code": "ryy", "kind": MembershipKind.OBSERVER, "joined_on": "2026-01-01"},
    ),
    "membership_update": (
        lambda w, r: f"/memberships/{r.membership.pk}/change/",
        lambda w, r: {"kind": MembershipKind.ASSOCIATE, "joined_on": "2020-04-01", "left_on": "2026-10-31"},
    ),
    "person_invite": (lambda w, r: "/partnerships/QZZ/people/invite/", lambda w, r: invite_data(w)),
    "person_update": (
        lambda w, r: f"/partnerships/QZZ/people/{w.viewer.pk}/change/",
        lambda w, r: {
            "roles": [Role.MEMBER, Role.BOARD_MEMBER],
            "organisation": w.council.pk,
            "job_title": "Senior analyst",
        },
    ),
    "person_remove": (lambda w, r: f"/partnerships/QZZ/people/{w.viewer.pk}/remove/", lambda w, r: {}),
    "delegation_create": (lambda w, r: "/partnerships/QZZ/delegations/new/", lambda w, r: delegation_data(w)),
    "delegation_update": (
        lambda w, r: f"/delegations/{r.delegation.pk}/change/",
        lambda w, r: delegation_data(w, valid_to="2026-12-31"),
    ),
    "agreement_create": (
        lambda w, r: "/partnerships/QZZ/agreements/new/",
        lambda w, r: agreement_data(w, document=pdf()),
    ),
    "agreement_update": (
        lambda w, r: f"/agreements/{r.agreement.pk}/change/",
        lambda w, r: agreement_data(w, title="Memorandum of understanding (2026)", document=pdf("mou-v2.pdf")),
    ),
}


# A partnership lists organisations but does not own them: their shared record is the service administrators' to
# correct (test_organisation_record.py), so that form is submitted as one of them below.
LEAD_FORMS = [name for name in FORMS if name != "organisation_update"]


def sign_in_for(client, world, form: str) -> None:
    """Sign in as whoever may submit `form`: the lead, or a service administrator for an organisation's record."""
    if form == "organisation_update":
        client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    else:
        client.force_login(world.lead)


# --- Permission matrix -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", LEAD_FORMS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_lead_may_open_and_submit_each_form(client, world, records, form, persona):
    url, data = FORMS[form][0](world, records), FORMS[form][1](world, records)
    client = client_for(client, world, persona)
    before = written()
    opened, submitted = client.get(url), client.post(url, data)
    if persona == "anonymous":
        assert (opened.status_code, submitted.status_code) == (302, 302)
        assert opened["Location"] == f"/sign-in/?next={url}"
    elif persona == "outsider":
        assert (opened.status_code, submitted.status_code) == (404, 404)
    elif persona != "lead":
        assert (opened.status_code, submitted.status_code) == (403, 403)
    else:
        assert opened.status_code == 200
        assert submitted.status_code == 302, error_summary(submitted)
        assert written()["AuditEvent"] > before["AuditEvent"]
        return
    assert written() == before


@pytest.mark.parametrize(
    "url",
    [
        lambda w, r: f"/delegations/{r.other_delegation.pk}/change/",
        lambda w, r: f"/agreements/{r.other_agreement.pk}/change/",
        lambda w, r: f"/memberships/{r.other_membership.pk}/change/",
        lambda w, r: f"/partnerships/QZZ/people/{w.outsider.pk}/change/",
        lambda w, r: f"/partnerships/QZZ/people/{w.outsider.pk}/remove/",
        lambda w, r: f"/partnerships/QZZ/organisations/{w.other_trust.pk}/change/",
        lambda w, r: "/delegations/999999/change/",
    ],
)
def test_someone_elses_record_in_the_address_is_not_found_and_nothing_changes(client, world, records, url):
    client.force_login(world.lead)
    before = written()
    address = url(world, records)
    assert client.get(address).status_code == 404
    assert client.post(address, delegation_data(world)).status_code == 404
    assert written() == before


def test_every_form_page_has_a_heading_labels_and_a_way_back(client, world, records):
    for name, (url, _) in FORMS.items():
        sign_in_for(client, world, name)
        page = parse(client.get(url(world, records)))
        assert page.select_one("h1 .nhsuk-caption-l").get_text(strip=True).startswith(world.partnership.name), name
        assert page.select_one("form .nhsuk-button"), name
        assert page.find("a", string="Cancel"), name
        for control in page.select("form input:not([type=hidden]), form select, form textarea"):
            assert page.select_one(f"label[for='{control['id']}']"), (name, control["id"])


# --- What a good submission does -------------------------------------------------------------------------------------


def test_lead_changes_the_partnerships_public_details(client, world, records):
    client.force_login(world.lead)
    response = client.post("/partnerships/QZZ/details/", FORMS["partnership_update"][1](world, records))
    assert response["Location"] == "/partnerships/QZZ/"
    partnership = Partnership.objects.get(code="QZZ")
    assert (partnership.ons_code, partnership.population) == ("E54000008", 1_200_000)
    assert partnership.governance_form == GovernanceForm.JOINT_COMMITTEE
    event = AuditEvent.objects.get(action="partnership.updated")
    assert event.changes["population"] == [1_000_000, 1_200_000]
    assert "The partnership's details have been saved" in text(client.get(response["Location"]))


def test_lead_adds_a_new_organisation_as_a_member(client, world, records):
    client.force_login(world.lead)
    response = client.post("/partnerships/QZZ/organisations/new/", FORMS["organisation_create"][1](world, records))
    assert response["Location"] == "/partnerships/QZZ/#members"
    hospice = Organisation.objects.get(ods_code="ZH999")
    membership = hospice.memberships.get()
    assert (membership.partnership, membership.kind, membership.joined_on) == (
        world.partnership,
        MembershipKind.ASSOCIATE,
        datetime.date(2026, 1, 1),
    )
    overview = text(client.get("/partnerships/QZZ/"))
    assert "Dales Hospice has been added to the partnership" in overview
    assert "Voluntary, community or social enterprise (1) Organisation ODS code Membership Joined" in overview


def test_an_organisation_without_an_ods_code_is_stored_without_one(client, world, records):
    client.force_login(world.lead)
    data = {**FORMS["organisation_create"][1](world, records), "ods_code": "", "name": "Carers Together"}
    assert client.post("/partnerships/QZZ/organisations/new/", data).status_code == 302
    assert Organisation.objects.get(name="Carers Together").ods_code is None


def test_a_service_administrator_corrects_an_organisations_details(client, world, records):
    sign_in_for(client, world, "organisation_update")
    url = f"/partnerships/QZZ/organisations/{world.trust.pk}/change/"
    assert client.post(url, FORMS["organisation_update"][1](world, records))["Location"] == (
        f"/organisations/{world.trust.pk}/"
    )
    world.trust.refresh_from_db()
    assert (world.trust.name, world.trust.postcode) == ("Demo Teaching Hospitals NHS Foundation Trust", "NF1 4HS")


def test_lead_adds_an_organisation_already_on_the_register_by_its_ods_code(client, world, records):
    client.force_login(world.lead)
    assert client.post("/partnerships/QZZ/members/add/", FORMS["membership_add"][1](world, records)).status_code == 302
    membership = Membership.objects.get(partnership=world.partnership, organisation=world.other_trust)
    assert membership.kind == MembershipKind.OBSERVER
    assert world.other_trust.memberships.count() == 2  # still a member of QYY too


def test_lead_ends_a_membership_and_the_organisation_moves_to_former_members(client, world, records):
    client.force_login(world.lead)
    client.post(f"/memberships/{records.membership.pk}/change/", FORMS["membership_update"][1](world, records))
    records.membership.refresh_from_db()
    assert records.membership.left_on == datetime.date(2026, 10, 31)
    page = parse(client.get("/partnerships/QZZ/"))
    assert "Demo Hospitals NHS Foundation Trust" in page.select_one("details").get_text()


def test_lead_invites_a_person_who_sets_a_password_and_signs_in(
    client, world, records, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.nhs.uk"
    client.force_login(world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/partnerships/QZZ/people/invite/", invite_data(world))
    assert response["Location"] == "/partnerships/QZZ/#people"
    person = Organisation.objects.get(pk=world.council.pk).people.get(user__username="a.okoye").user
    assert role_values_of(world.partnership, person) == [Role.BOARD_MEMBER]
    assert (person.profile.job_title, person.profile.is_clinician) == ("Director of nursing", True)
    assert not person.has_usable_password()

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["amara.okoye@example.nhs.uk"]
    assert email.subject == "You have been given an STP Portal account for Demo Health and Care Partnership"
    assert f"{world.lead.display_name} has given you an account" in email.body
    assert "Your username is: a.okoye" in email.body
    link = next(line for line in email.body.splitlines() if line.startswith("https://portal.example.nhs.uk/"))

    client.logout()
    path = link.removeprefix("https://portal.example.nhs.uk")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    password = "a-long-new-password-2026"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert done.status_code == 302
    assert client.post("/sign-in/", {"username": "a.okoye", "password": password})["Location"] == "/"
    assert "Demo Health and Care Partnership" in text(client.get("/partnerships/"))


def test_lead_changes_a_persons_roles_and_profile_together(client, world, records):
    client.force_login(world.lead)
    client.post(f"/partnerships/QZZ/people/{world.viewer.pk}/change/", FORMS["person_update"][1](world, records))
    assert role_values_of(world.partnership, world.viewer) == [Role.BOARD_MEMBER, Role.MEMBER]
    world.viewer.profile.refresh_from_db()
    assert world.viewer.profile.job_title == "Senior analyst"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"role.granted", "role.revoked", "profile.updated"} <= actions


def test_the_change_form_starts_from_the_persons_current_roles(client, world):
    client.force_login(world.lead)
    page = parse(client.get(f"/partnerships/QZZ/people/{world.ned.pk}/change/"))
    assert [box["value"] for box in page.select("input[name=roles][checked]")] == [Role.NON_EXECUTIVE]
    assert page.select_one("input[name=job_title]")["value"] == "Lay member"


def test_lead_removes_a_person_from_the_partnership(client, world, records):
    client.force_login(world.lead)
    response = client.post(f"/partnerships/QZZ/people/{world.viewer.pk}/remove/")
    assert response["Location"] == "/partnerships/QZZ/#people"
    assert role_values_of(world.partnership, world.viewer) == []
    client.force_login(world.viewer)
    assert client.get("/partnerships/QZZ/").status_code == 404


def test_lead_adds_a_delegation_and_it_is_in_force_on_the_overview(client, world, records):
    client.force_login(world.lead)
    response = client.post("/partnerships/QZZ/delegations/new/", delegation_data(world, delegate=world.ned.pk))
    assert response["Location"] == "/partnerships/QZZ/#delegations"
    delegation = Delegation.objects.get(delegate=world.ned)
    assert delegation.categories == ["finance", "strategy"]
    assert delegation.limit_pounds == Decimal("250000")
    rows = text(client.get("/partnerships/QZZ/"), "#delegations-in-force")
    assert f"Demo Hospitals NHS Foundation Trust {world.ned.display_name} Strategy, Finance £250,000" in rows


def test_a_delegation_can_be_held_by_a_role_with_no_limit(client, world, records):
    client.force_login(world.lead)
    data = delegation_data(world, delegate="", delegate_role=Role.NON_EXECUTIVE, limit_pounds="")
    assert client.post("/partnerships/QZZ/delegations/new/", data).status_code == 302
    delegation = Delegation.objects.get(delegate_role=Role.NON_EXECUTIVE)
    assert (delegation.delegate, delegation.limit_pounds) == (None, None)


def test_lead_ends_a_delegation_by_giving_it_an_end_date(client, world, records):
    client.force_login(world.lead)
    data = delegation_data(world, valid_from="2025-04-01", valid_to=(TODAY - datetime.timedelta(days=1)).isoformat())
    client.post(f"/delegations/{records.delegation.pk}/change/", data)
    page = parse(client.get("/partnerships/QZZ/"))
    assert page.select_one("#delegations-in-force") is None
    assert "Scheme of reservation and delegation, v8" in page.select_one("#delegations-not-in-force").get_text()


def test_the_delegation_change_form_starts_from_its_current_values(client, world, records):
    client.force_login(world.lead)
    page = parse(client.get(f"/delegations/{records.delegation.pk}/change/"))
    assert page.select_one("select[name=organisation] option[selected]")["value"] == str(world.trust.pk)
    assert page.select_one("select[name=delegate] option[selected]")["value"] == str(world.board.pk)
    assert page.select_one("input[name=limit_pounds]")["value"] == "1000000.00"
    assert [box["value"] for box in page.select("#id_valid_from input")] == ["1", "4", "2025"]
    assert len(page.select("input[name=categories][checked]")) == len(DecisionCategory.values)


def test_lead_adds_an_agreement_with_its_document(client, world, records, media):
    client.force_login(world.lead)
    response = client.post("/partnerships/QZZ/agreements/new/", agreement_data(world, document=pdf("dsa.pdf")))
    agreement = Agreement.objects.get(title="Shared care record data-sharing agreement")
    assert response["Location"] == f"/agreements/{agreement.pk}/"
    assert set(agreement.parties.all()) == {world.trust, world.council}
    assert agreement.document_size == len(PDF_BYTES)
    assert (media / agreement.document.name).read_bytes() == PDF_BYTES
    download = client.get(f"/agreements/{agreement.pk}/document/")
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_changing_an_agreement_without_a_new_file_keeps_its_document(client, world, records):
    client.force_login(world.lead)
    client.post(f"/agreements/{records.agreement.pk}/change/", agreement_data(world, document=pdf("v1.pdf")))
    first = Agreement.objects.get(pk=records.agreement.pk).document.name
    client.post(f"/agreements/{records.agreement.pk}/change/", agreement_data(world, status=AgreementStatus.EXPIRED))
    agreement = Agreement.objects.get(pk=records.agreement.pk)
    assert (agreement.document.name, agreement.status) == (first, AgreementStatus.EXPIRED)


# --- Bad input: a 400 with a clear message, and nothing written -------------------------------------------------------

TOO_LONG = "x" * 201
BAD_INPUT = [
    # form, changes to the good submission, the message, the field it links to (None: the top of the form)
    ("organisation_create", {"ods_code": "R-1!"}, "Enter an ODS code of 3 to 6 capital letters and digits", "ods_code"),
    ("organisation_create", {"ods_code": "TOOLONG1"}, "An ODS code has 3 to 6 letters and digits", "ods_code"),
    ("organisation_create", {"ods_code": "RZZ"}, "An organisation with ODS code RZZ is already on", "ods_code"),
    ("organisation_create", {"name": ""}, "Enter the organisation's name", "name"),
    ("organisation_create", {"name": "<script>alert(1)</script>"}, "Remove the HTML tags", "name"),
    ("organisation_create", {"kind": "hospital"}, "Choose the type of organisation from the list", "kind"),
    ("organisation_create", {"joined_on": "31/02/2026"}, "Enter a real date, like 27 3 2027", "joined_on"),
    ("organisation_update", {"closed_on": "2010-01-01"}, "The close date must be the same as or after", "closed_on"),
    ("organisation_update", {"ods_code": "RYY"}, "An organisation with ODS code RYY is already on", "ods_code"),
    ("membership_add", {"ods_code": "ZZZ99"}, "No organisation on the register has ODS code ZZZ99", "ods_code"),
    ("membership_add", {"ods_code": "RZZ"}, "is already part of Demo Health and Care Partnership", None),
    ("membership_update", {"left_on": "2019-01-01"}, "The date it left must be the same as or after", "left_on"),
    ("partnership_update", {"ons_code": "X123"}, "Enter an ONS code: E followed by 8 digits", "ons_code"),
    ("partnership_update", {"population": "-5"}, "The population must be 0 or more", "population"),
    ("partnership_update", {"population": "lots"}, "Enter the population as a whole number", "population"),
    ("partnership_update", {"public_description": "<b>bold</b>"}, "Remove the HTML tags", "public_description"),
    ("partnership_update", {"name": TOO_LONG}, "Name must be 200 characters or fewer", "name"),
    ("delegation_create", {"limit_pounds": "-1"}, "The limit must be £0 or more", "limit_pounds"),
    ("delegation_create", {"limit_pounds": "a lot"}, "Enter the limit as an amount in pounds", "limit_pounds"),
    ("delegation_create", {"valid_to": "2025-12-31"}, "The end date must be the same as or after", "valid_to"),
    ("delegation_create", {"categories": []}, "Choose at least one kind of decision", "categories"),
    ("delegation_create", {"categories": ["everything"]}, "Choose kinds of decision from the list", "categories"),
    ("delegation_create", {"delegate": ""}, "Choose the person or the role that holds", "delegate"),
    ("delegation_create", {"delegate_role": Role.BOARD_MEMBER}, "Choose a person or a role, not both", "delegate_role"),
    ("delegation_create", {"source_document": ""}, "Enter the document that grants the delegation", "source_document"),
    ("delegation_create", {"source_document": TOO_LONG}, "must be 200 characters or fewer", "source_document"),
    ("delegation_create", {"source_version": "<img src=x>"}, "Remove the HTML tags", "source_version"),
    ("delegation_update", {"limit_pounds": "-250000"}, "The limit must be £0 or more", "limit_pounds"),
    ("agreement_create", {"expires_on": "2025-12-31"}, "The expiry date must be the same as or after", "expires_on"),
    ("agreement_create", {"parties": []}, "Choose at least one party to the agreement", "parties"),
    ("agreement_create", {"title": ""}, "Enter the agreement's title", "title"),
    ("agreement_create", {"status": "lost"}, "Choose the status from the list", "status"),
    ("agreement_update", {"expires_on": "2020-01-01"}, "The expiry date must be the same as or after", "expires_on"),
    ("person_invite", {"username": "board"}, "That username is taken", "username"),
    ("person_invite", {"email": "not-an-email"}, "Enter an email address in the right format", "email"),
    ("person_invite", {"roles": []}, "Choose at least one role", "roles"),
    ("person_invite", {"roles": ["superuser"]}, "Choose roles from the list", "roles"),
    ("person_invite", {"first_name": "<script>x</script>"}, "Remove the HTML tags", "first_name"),
    ("person_update", {"roles": []}, "Choose at least one role", "roles"),
]


@pytest.mark.parametrize(("form", "changes", "message", "field"), BAD_INPUT)
def test_bad_input_gets_a_400_with_a_clear_message_and_writes_nothing(
    client, world, records, form, changes, message, field
):
    url, data = FORMS[form][0](world, records), FORMS[form][1](world, records)
    sign_in_for(client, world, form)
    before = written()
    response = client.post(url, {**data, **changes})
    assert response.status_code == 400
    errors = error_summary(response)
    assert any(message in error for error, _ in errors), errors
    links = [link for error, link in errors if message in error]
    # The link goes to the field's control: its input, or a date's first box (#id_joined_on-day).
    assert links[0] in ((f"#id_{field}", f"#id_{field}-day") if field else (None,))
    assert text(response, "title").startswith("Error: ")
    assert written() == before


def test_bad_input_keeps_what_was_typed(client, world, records):
    client.force_login(world.lead)
    response = client.post("/partnerships/QZZ/delegations/new/", delegation_data(world, limit_pounds="-1"))
    page = parse(response)
    assert page.select_one("input[name=source_version]")["value"] == "v8"
    assert page.select_one("select[name=delegate] option[selected]")["value"] == str(world.board.pk)


@pytest.mark.parametrize(
    ("field", "other", "message"),
    [
        ("organisation", "other_trust", "Choose one of the partnership's current member organisations"),
        ("delegate", "outsider", "Choose a person who has a role in this partnership"),
    ],
)
def test_someone_elses_organisation_or_person_in_a_delegation_is_refused(client, world, records, field, other, message):
    client.force_login(world.lead)
    before = written()
    data = delegation_data(world, **{field: getattr(world, other).pk})
    response = client.post("/partnerships/QZZ/delegations/new/", data)
    assert response.status_code == 400
    assert (message, f"#id_{field}") in error_summary(response)
    assert written() == before


def test_a_former_member_cannot_be_given_a_new_delegation(client, world, records):
    records.membership.left_on = datetime.date(2025, 1, 1)
    records.membership.save()
    client.force_login(world.lead)
    response = client.post("/partnerships/QZZ/delegations/new/", delegation_data(world))
    assert response.status_code == 400
    assert ("Choose one of the partnership's current member organisations", "#id_organisation") in error_summary(
        response
    )


def test_someone_elses_organisation_as_a_party_or_employer_is_refused(client, world, records):
    client.force_login(world.lead)
    before = written()
    agreement = client.post(
        "/partnerships/QZZ/agreements/new/", agreement_data(world, parties=[world.trust.pk, world.other_trust.pk])
    )
    assert agreement.status_code == 400
    assert error_summary(agreement)[0][1] == "#id_parties"
    invite = client.post("/partnerships/QZZ/people/invite/", invite_data(world, organisation=world.other_trust.pk))
    assert ("Choose one of the partnership's organisations", "#id_organisation") in error_summary(invite)
    assert written() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00\x03", "The file must be a PDF, DOCX, DOC, ODT."),
        ("agreement.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "The file is not a real PDF."),
        ("agreement.docx", b"%PDF-1.7 but called docx", "The file is not a real DOCX."),
        ("empty.pdf", b"", "The file is empty"),
        ("huge.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), "The file must be smaller than 10 MB."),
    ],
)
def test_a_document_of_the_wrong_type_or_size_is_refused_and_not_stored(
    client, world, records, media, name, content, message
):
    client.force_login(world.lead)
    before = written()
    response = client.post("/partnerships/QZZ/agreements/new/", agreement_data(world, document=pdf(name, content)))
    assert response.status_code == 400
    assert (message, "#id_document") in error_summary(response)
    assert written() == before
    assert not list(media.rglob("*.*"))


def test_the_last_lead_cannot_take_away_their_own_lead_role(client, world, records):
    client.force_login(world.lead)
    before = written()
    response = client.post(
        f"/partnerships/QZZ/people/{world.lead.pk}/change/",
        {"roles": [Role.BOARD_MEMBER], "organisation": world.trust.pk, "job_title": "Changed title"},
    )
    assert response.status_code == 400
    assert error_summary(response) == [("A partnership needs a lead. Make someone else lead first.", None)]
    assert written() == before
    world.lead.profile.refresh_from_db()
    assert world.lead.profile.job_title == "Partnership lead"  # the profile change was rolled back with the roles


def test_a_person_holding_a_delegation_in_force_cannot_be_removed(client, world, records):
    client.force_login(world.lead)
    before = written()
    response = client.post(f"/partnerships/QZZ/people/{world.board.pk}/remove/")
    assert response.status_code == 400
    assert "holds 1 delegation(s) in force or starting later" in error_summary(response)[0][0]
    assert written() == before


def test_fields_with_several_answers_are_checkboxes(client, world, records):
    client.force_login(world.lead)
    pages = {
        "/partnerships/QZZ/delegations/new/": "categories",
        "/partnerships/QZZ/agreements/new/": "parties",
        "/partnerships/QZZ/people/invite/": "roles",
        f"/partnerships/QZZ/people/{world.viewer.pk}/change/": "roles",
    }
    for url, name in pages.items():
        inputs = parse(client.get(url)).select(f"input[name={name}]")
        assert len(inputs) > 1, url
        assert {control["type"] for control in inputs} == {"checkbox"}, url
