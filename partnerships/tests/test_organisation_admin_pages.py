"""The pages of an organisation's administrators (issue 15): its record, its administrators, and their answers to
delegations, affiliations and corrections; and the lead's side: proposing a correction, seeing what is confirmed.

Every page answers the same personas: anonymous (sign in), an outsider and another organisation's administrator
(404: they cannot see it), a lead of a partnership listing it (403: they can see it), the organisation's
administrator and, where the service lets them, a service administrator. A refusal writes nothing; a success is
recorded in the history of every partnership that lists the organisation.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from partnerships import services
from partnerships.access import administrators_of
from partnerships.models import (
    Delegation,
    Organisation,
    OrganisationCorrection,
    OrganisationRole,
    PartnershipRole,
    Role,
)
from tests.factories import (
    DelegationFactory,
    MembershipFactory,
    PartnershipFactory,
    ProfileFactory,
    UserFactory,
    affiliate,
    grant,
)
from tests.html import error_summary, parse, text

from .test_pages_read import queries_for

pytestmark = pytest.mark.django_db


class Scene:
    """QZZ's trust, listed by QYY too, with two administrators (neither holds a role anywhere), a delegation, an
    affiliation and a correction awaiting them; the council's administrator; and a service administrator."""

    def __init__(self, world):
        self.world = world
        self.trust = world.trust
        MembershipFactory(partnership=world.other_partnership, organisation=self.trust)
        self.superuser = UserFactory(username="admin", first_name="Sam", last_name="Admin", is_superuser=True)
        self.secretary = self._administrator("secretary", self.trust, "Company secretary")
        self.deputy = self._administrator("deputy", self.trust, "Deputy company secretary")
        self.council_secretary = self._administrator("council-secretary", world.council, "Monitoring officer")
        self.delegation = services.delegation_create(
            actor=world.lead, partnership=world.partnership, **_delegation_fields(world)
        )
        self.correction = services.correction_propose(
            actor=world.lead,
            partnership=world.partnership,
            organisation=self.trust,
            reason="It was renamed in April.",
            name="Demo Teaching Hospitals NHS Foundation Trust",
        )

    def _administrator(self, username, organisation, job_title):
        user = UserFactory(username=username)
        ProfileFactory(user=user, organisation=organisation, job_title=job_title)
        services.organisation_administrator_appoint(actor=self.superuser, organisation=organisation, user=user)
        return user

    def persona(self, name):
        return {
            "organisation administrator": self.secretary,
            "other organisation's administrator": self.council_secretary,
            "service administrator": self.superuser,
            "lead": self.world.lead,
            "outsider": self.world.outsider,
        }.get(name)


def _delegation_fields(world) -> dict:
    return {
        "organisation": world.trust,
        "delegate": world.board,
        "categories": ["finance"],
        "limit_pounds": 100000,
        "valid_from": datetime.date(2026, 1, 1),
        "source_document": "Scheme of reservation and delegation",
    }


@pytest.fixture
def scene(world):
    return Scene(world)


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def state() -> dict:
    """Everything these pages could write: compare before and after a refused request."""
    return {
        "audit": AuditEvent.objects.count(),
        "administrators": sorted(OrganisationRole.objects.values_list("content_object_id", "user_id")),
        "confirmed delegations": Delegation.objects.filter(confirmed_at__isnull=False).count(),
        "delegations": Delegation.objects.count(),
        "affiliations": sorted(
            PartnershipRole.objects.values_list("pk", "organisation_id", "organisation_confirmed_at")
        ),
        "corrections": sorted(OrganisationCorrection.objects.values_list("pk", "status")),
        "organisations": sorted(Organisation.objects.values_list("pk", "name", "contact_email")),
    }


# --- The permission matrix -------------------------------------------------------------------------------------------

ADMINISTRATOR = "organisation administrator"
SERVICE = "service administrator"
PERSONAS = ["anonymous", "outsider", "other organisation's administrator", "lead", ADMINISTRATOR, SERVICE]


def _pages(scene) -> dict:
    """{page: (url, data posted, who may use it, the audit action a success writes)}."""
    world, trust = scene.world, scene.trust
    affiliation = ["QZZ", world.board.pk]
    return {
        "organisation_change": (
            reverse("partnerships:organisation_change", args=[trust.pk]),
            {"name": "Demo Hospitals", "kind": trust.kind, "contact_email": "board@demo.nhs.uk"},
            {ADMINISTRATOR, SERVICE},
            "organisation.updated",
        ),
        "administrator_appoint": (
            reverse("partnerships:administrator_appoint", args=[trust.pk]),
            {"user": world.board.username},
            {ADMINISTRATOR, SERVICE},
            "organisation.administrator_appointed",
        ),
        "administrator_remove": (
            reverse("partnerships:administrator_remove", args=[trust.pk, scene.deputy.pk]),
            {},
            {ADMINISTRATOR, SERVICE},
            "organisation.administrator_removed",
        ),
        "delegation_confirm": (
            reverse("partnerships:delegation_confirm", args=[scene.delegation.pk]),
            {},
            {ADMINISTRATOR},
            "delegation.confirmed",
        ),
        "affiliation_confirm": (
            reverse("partnerships:affiliation_confirm", args=[trust.pk, *affiliation]),
            {},
            {ADMINISTRATOR},
            "affiliation.confirmed",
        ),
        "affiliation_decline": (
            reverse("partnerships:affiliation_decline", args=[trust.pk, *affiliation]),
            {"reason": "Natalie left the trust in March."},
            {ADMINISTRATOR},
            "affiliation.declined",
        ),
        "correction_accept": (
            reverse("partnerships:correction_accept", args=[scene.correction.pk]),
            {"answer": ""},
            {ADMINISTRATOR, SERVICE},
            "organisation.correction_accepted",
        ),
        "correction_decline": (
            reverse("partnerships:correction_decline", args=[scene.correction.pk]),
            {"answer": "The new name takes effect next year."},
            {ADMINISTRATOR, SERVICE},
            "organisation.correction_declined",
        ),
        "correction_propose": (
            reverse("partnerships:correction_propose", args=["QZZ", trust.pk]),
            {**_record_form(trust), "postcode": "NF1 4HS", "reason": "The postcode is missing."},
            {"lead", SERVICE},
            "organisation.correction_proposed",
        ),
    }


PAGES = [
    "organisation_change",
    "administrator_appoint",
    "administrator_remove",
    "delegation_confirm",
    "affiliation_confirm",
    "affiliation_decline",
    "correction_accept",
    "correction_decline",
    "correction_propose",
]


def _record_form(organisation) -> dict:
    return {
        "name": organisation.name,
        "ods_code": organisation.ods_code or "",
        "kind": organisation.kind,
        "postcode": organisation.postcode,
        "opened_on": organisation.opened_on.isoformat() if organisation.opened_on else "",
        "closed_on": "",
        "contact_email": "",
        "website": "",
    }


# Pages about what belongs to QZZ (its delegation, the correction proposed from it, its correction form): the outsider
# sees the trust, which QYY lists too, but not these.
IN_QZZ = {"delegation_confirm", "correction_accept", "correction_decline", "correction_propose"}


def _cannot_see(scene, persona: str, page: str) -> bool:
    """Whether the persona cannot see what the page is about (404) rather than may not act on it (403)."""
    if persona == "other organisation's administrator":
        return True
    if persona == "outsider":
        return page in IN_QZZ
    return page == "correction_propose" and persona == ADMINISTRATOR  # no role in QZZ, whose page it is


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_opens_and_acts_only_for_those_its_service_allows(scene, page, persona):
    url, data, allowed, action = _pages(scene)[page]
    client = signed_in(scene.persona(persona))
    before = state()
    opened, submitted = client.get(url), client.post(url, data)
    if persona == "anonymous":
        assert (opened.status_code, submitted.status_code) == (302, 302)
        assert opened["Location"] == f"/sign-in/?next={url}"
    elif persona not in allowed:
        expected = 404 if _cannot_see(scene, persona, page) else 403
        assert (opened.status_code, submitted.status_code) == (expected, expected)
    else:
        assert opened.status_code == 200
        assert submitted.status_code == 302, error_summary(submitted)
    if persona not in allowed:
        assert state() == before
        return
    listing = {scene.world.partnership.pk, scene.world.other_partnership.pk}
    recorded = set(AuditEvent.objects.filter(action=action).values_list("partnership_id", flat=True))
    assert listing <= recorded, f"{action} is recorded in every partnership that lists the trust"


# --- Bad input: a clear message, and nothing written ----------------------------------------------------------------

TOO_LONG = "x" * 2001


@pytest.mark.parametrize(
    ("page", "data", "message"),
    [
        ("affiliation_decline", {"reason": ""}, "Say why this person does not represent the organisation"),
        ("affiliation_decline", {"reason": TOO_LONG}, "must be 2000 characters or fewer"),
        ("affiliation_decline", {"reason": "<script>alert(1)</script>"}, "HTML"),
        ("correction_decline", {"answer": ""}, "Say why the record should stay as it is"),
        ("correction_decline", {"answer": "<b>No</b>"}, "HTML"),
        ("correction_accept", {"answer": TOO_LONG}, "must be 2000 characters or fewer"),
        ("organisation_change", {"name": "", "kind": "acute_trust"}, "Enter the organisation's name"),
        ("organisation_change", {"name": "<i>Trust</i>", "kind": "acute_trust"}, "HTML"),
        ("organisation_change", {"name": "Trust", "kind": "acute_trust", "website": "not a site"}, "web address"),
        ("administrator_appoint", {"user": ""}, "Choose the person to appoint"),
        ("administrator_appoint", {"user": "ned"}, "Choose someone who works for the organisation"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(scene, page, data, message):
    url = _pages(scene)[page][0]
    before = state()
    response = signed_in(scene.secretary).post(url, data)
    assert response.status_code == 400
    messages = " ".join(error for error, _ in error_summary(response))
    assert message.lower() in messages.lower(), messages
    assert state() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Say why the record should change"),
        ({"reason": TOO_LONG}, "The reason must be 2000 characters or fewer"),
        ({"reason": "<a href='x'>see</a>"}, "HTML"),
        ({"reason": "Nothing changes."}, "Change at least one detail"),
        ({"reason": "A new name.", "name": "<b>Trust</b>"}, "HTML"),
    ],
)
def test_a_lead_correction_needs_a_reason_and_a_change(scene, data, message):
    url = reverse("partnerships:correction_propose", args=["QZZ", scene.trust.pk])
    before = state()
    response = signed_in(scene.world.lead).post(url, {**_record_form(scene.trust), **data})
    assert response.status_code == 400
    assert message.lower() in " ".join(error for error, _ in error_summary(response)).lower()
    assert state() == before


def test_an_administrator_cannot_answer_for_another_organisation_by_its_ids(scene):
    world = scene.world
    council_delegation = DelegationFactory(
        partnership=world.partnership, organisation=world.council, delegate=world.ned
    )
    council_correction = services.correction_propose(
        actor=world.lead, partnership=world.partnership, organisation=world.council, reason="Renamed.", name="City"
    )
    client = signed_in(scene.secretary)
    before = state()
    for url in [
        reverse("partnerships:delegation_confirm", args=[council_delegation.pk]),
        reverse("partnerships:correction_accept", args=[council_correction.pk]),
        # Ned represents the council, not the trust: the trust's address does not reach her affiliation.
        reverse("partnerships:affiliation_confirm", args=[scene.trust.pk, "QZZ", world.ned.pk]),
        reverse("partnerships:affiliation_decline", args=[world.council.pk, "QZZ", world.ned.pk]),
        reverse("partnerships:administrator_remove", args=[scene.trust.pk, world.board.pk]),
        reverse("partnerships:administrator_remove", args=[world.council.pk, scene.council_secretary.pk]),
    ]:
        assert client.post(url, {"reason": "No.", "answer": "No."}).status_code == 404, url
    assert state() == before


def test_the_reference_fields_are_not_offered_to_an_administrator_and_not_changed_by_one(scene):
    url = reverse("partnerships:organisation_change", args=[scene.trust.pk])
    client = signed_in(scene.secretary)
    form = parse(client.get(url))
    assert form.select_one("#id_ods_code") is None and form.select_one("#id_postcode") is None
    assert "ask a service administrator to correct them" in form.select_one("#reference-fields").get_text()
    data = {**_record_form(scene.trust), "ods_code": "RAA", "postcode": "ZZ1 1ZZ", "website": "https://demo.nhs.uk"}
    assert client.post(url, data).status_code == 302
    scene.trust.refresh_from_db()
    assert (scene.trust.ods_code, scene.trust.postcode, scene.trust.website) == ("RZZ", "", "https://demo.nhs.uk")


def test_the_last_administrator_is_not_removed_by_an_administrator(scene):
    services.organisation_administrator_remove(actor=scene.superuser, organisation=scene.trust, user=scene.deputy)
    url = reverse("partnerships:administrator_remove", args=[scene.trust.pk, scene.secretary.pk])
    before = state()
    response = signed_in(scene.secretary).post(url)
    assert response.status_code == 400
    assert "needs an administrator" in text(response)
    assert state() == before


def test_a_confirmed_delegation_and_an_answered_correction_say_so_instead_of_offering_the_button(scene):
    client = signed_in(scene.secretary)
    services.delegation_confirm(actor=scene.secretary, delegation=scene.delegation)
    services.correction_decline(actor=scene.secretary, correction=scene.correction, answer="Not yet.")
    for url in [
        reverse("partnerships:delegation_confirm", args=[scene.delegation.pk]),
        reverse("partnerships:correction_accept", args=[scene.correction.pk]),
    ]:
        page = parse(client.get(url))
        assert "already" in page.select_one("#refusal").get_text()
        before = state()
        assert client.post(url, {"answer": ""}).status_code == 400
        assert state() == before


# --- Appointing: whom an administrator may choose -------------------------------------------------------------------


def test_an_administrator_chooses_from_the_organisations_people_and_those_who_represent_it(scene):
    world = scene.world
    elsewhere = UserFactory(username="elsewhere")
    ProfileFactory(user=elsewhere, organisation=world.other_trust)
    grant(elsewhere, world.other_partnership, Role.MEMBER)
    affiliate(elsewhere, world.other_partnership, scene.trust)  # represents the trust in QYY
    page = parse(signed_in(scene.secretary).get(reverse("partnerships:administrator_appoint", args=[scene.trust.pk])))
    offered = {option["value"] for option in page.select("#id_user option") if option["value"]}
    assert offered == {world.lead.username, world.board.username, elsewhere.username}  # not ned, nor the deputy


def test_a_service_administrator_appoints_anyone_by_username(scene):
    url = reverse("partnerships:administrator_appoint", args=[scene.trust.pk])
    response = signed_in(scene.superuser).post(url, {"user": "ned"})
    assert response.status_code == 302
    assert OrganisationRole.objects.filter(content_object=scene.trust, user=scene.world.ned).exists()
    assert signed_in(scene.superuser).post(url, {"user": "nobody"}).status_code == 400


# --- The organisation's page -----------------------------------------------------------------------------------------


def _names(organisation) -> str:
    """The organisation's administrators as the pages list them: by surname."""
    return ", ".join(administrator.display_name for administrator in administrators_of(organisation))


def test_the_administrator_sees_every_partnership_delegation_representative_and_correction(scene):
    world = scene.world
    page = parse(signed_in(scene.secretary).get(scene.trust.get_absolute_url()))
    listings = page.select_one("#listings-table").get_text(" ")
    assert "Demo Health and Care Partnership" in listings and "Other Health and Care Partnership" in listings
    assert scene.deputy.display_name in page.select_one("#administrator-list").get_text()
    delegations = " ".join(page.select_one("#organisation-delegations-table").get_text(" ").split())
    assert "Awaiting your confirmation" in delegations
    assert page.select(f"form[action='/delegations/{scene.delegation.pk}/confirm/'] button")
    assert page.select(f"a[href='/delegations/{scene.delegation.pk}/change/']")
    representatives = " ".join(page.select_one("#representatives ~ table").get_text(" ").split())
    assert f"{world.board.display_name} Awaiting confirmation" in representatives
    assert world.lead.display_name in representatives
    correction = " ".join(page.select_one(f"#correction-{scene.correction.pk}").get_text(" ").split())
    assert "Name Demo Hospitals NHS Foundation Trust Demo Teaching Hospitals NHS Foundation Trust" in correction
    assert "Why: It was renamed in April." in correction
    assert page.select(f"a[href='/corrections/{scene.correction.pk}/accept/']")
    assert page.select_one("#business-link")["href"] == f"/organisations/{scene.trust.pk}/business/"


def test_other_visitors_see_who_keeps_the_record_and_no_administration(scene):
    page = parse(signed_in(scene.world.lead).get(scene.trust.get_absolute_url()))
    assert page.select_one("#record-keeper").get_text() == f"Kept by its administrators: {_names(scene.trust)}."
    assert page.select_one("#listings") is None and page.select_one("#corrections") is None
    assert page.select_one("#business-link") is None
    assert not page.select("a[href$='/change/'][href^='/organisations/']")


def test_a_confirmed_delegation_shows_who_confirmed_it_and_offers_no_confirm_button(scene):
    services.delegation_confirm(actor=scene.secretary, delegation=scene.delegation)
    page = parse(signed_in(scene.deputy).get(scene.trust.get_absolute_url()))
    delegations = " ".join(page.select_one("#organisation-delegations-table").get_text(" ").split())
    assert f"Confirmed on {datetime.date.today():%-d %B %Y} by {scene.secretary.display_name}" in delegations
    assert not page.select(f"form[action='/delegations/{scene.delegation.pk}/confirm/']")


def test_the_organisation_page_takes_a_fixed_number_of_queries_for_its_administrator(scene, django_assert_num_queries):
    def more(count, start):
        for number in range(start, start + count):
            partnership = PartnershipFactory()
            MembershipFactory(partnership=partnership, organisation=scene.trust)
            for kind in ("board", "member"):
                person = UserFactory(username=f"trust-{kind}-{number}")
                grant(person, partnership, Role.BOARD_MEMBER, Role.MEMBER, organisation=scene.trust)
            DelegationFactory(partnership=partnership, organisation=scene.trust, delegate=person)
            DelegationFactory(
                partnership=partnership,
                organisation=scene.trust,
                delegate=person,
                confirmed_by=scene.secretary,
                confirmed_at=datetime.datetime.now(datetime.UTC),
            )
            services.correction_propose(
                actor=scene.superuser,
                partnership=partnership,
                organisation=scene.trust,
                reason="Its website.",
                website=f"https://trust-{number}.nhs.uk",
            )

    client = signed_in(scene.secretary)
    url = scene.trust.get_absolute_url()
    more(2, 0)
    small = queries_for(client, url)
    more(20, 2)
    with django_assert_num_queries(small):
        response = client.get(url)
    page = parse(response)
    assert len(page.select("#organisation-delegations-table tbody tr")) == 1 + 2 * 22
    assert len(page.select("#listings-table tbody tr")) == 2 + 22
    assert len(page.select("[id^=correction-]")) == 1 + 22
