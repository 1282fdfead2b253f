"""The pages everyone with a role reads: my partnerships, the overview, organisations, agreements and documents."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.audit import SYSTEM
from partnerships import services
from partnerships.models import AgreementStatus, DecisionCategory, MembershipKind, OrganisationKind, Role
from partnerships.services import agreement_create
from tests.factories import (
    AgreementFactory,
    DelegationFactory,
    MembershipFactory,
    PartnershipFactory,
    ProfileFactory,
    UserFactory,
    grant,
    member_of,
)
from tests.fixtures import PERSONAS, client_for
from tests.html import parse, text

from .pages_support import pdf, populate

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
READERS = ["viewer", "member", "ned", "board", "lead"]


@pytest.fixture
def agreement(world):
    agreement = AgreementFactory(partnership=world.partnership, title="Memorandum of understanding 2025")
    agreement.parties.set([world.trust, world.council])
    return agreement


def page_urls(world, agreement) -> dict[str, str]:
    return {
        "overview": "/partnerships/QZZ/",
        "organisation": f"/organisations/{world.trust.pk}/",
        "agreement": f"/agreements/{agreement.pk}/",
    }


# --- Permission matrix -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["overview", "organisation", "agreement"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_partnership_pages_answer_each_persona_as_the_access_model_says(client, world, agreement, page, persona):
    url = page_urls(world, agreement)[page]
    response = client_for(client, world, persona).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"/sign-in/?next={url}"
    elif persona == "outsider":
        assert response.status_code == 404
        assert "Page not found" in text(response, "h1")
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_partnerships_needs_sign_in_and_is_open_to_everyone_signed_in(client, world, persona):
    response = client_for(client, world, persona).get("/partnerships/")
    if persona == "anonymous":
        assert response["Location"] == "/sign-in/?next=/partnerships/"
    else:
        assert response.status_code == 200


def test_pages_refuse_writes_by_post(client, world, agreement):
    client.force_login(world.lead)
    for url in ["/partnerships/", *page_urls(world, agreement).values()]:
        assert client.post(url).status_code == 405


def test_an_unknown_partnership_code_is_the_same_404_as_someone_elses(client, world):
    client.force_login(world.lead)
    assert client.get("/partnerships/QQQ/").status_code == 404
    assert client.get("/partnerships/QYY/").status_code == 404


def test_an_organisation_of_another_partnership_is_not_found(client, world):
    client.force_login(world.lead)
    assert client.get(f"/organisations/{world.other_trust.pk}/").status_code == 404
    assert client.get("/organisations/999999/").status_code == 404


# --- My partnerships -------------------------------------------------------------------------------------------------


def test_my_partnerships_lists_mine_with_my_roles_and_the_member_count(client, world):
    grant(world.board, world.other_partnership, Role.VIEWER)
    MembershipFactory(partnership=world.partnership, joined_on=TODAY + datetime.timedelta(days=10))  # not yet
    client.force_login(world.board)
    rows = [" ".join(row.get_text(" ").split()) for row in parse(client.get("/partnerships/")).select("tbody tr")]
    assert rows == [
        "Demo Health and Care Partnership QZZ North East and Yorkshire 2 Board member",
        "Other Health and Care Partnership QYY North East and Yorkshire 1 Viewer",
    ]


def test_someone_with_no_role_is_told_to_ask_their_lead(client, db):
    client.force_login(UserFactory())
    assert "You do not have a role in any partnership yet" in text(client.get("/partnerships/"))


def test_a_superuser_sees_every_partnership(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/partnerships/")
    assert "Demo Health and Care Partnership" in text(response)
    assert "Other Health and Care Partnership" in text(response)


def test_the_header_and_start_page_link_to_my_partnerships(client, world):
    client.force_login(world.viewer)
    page = parse(client.get("/"))
    assert (
        page.select_one(".nhsuk-header__navigation a[href='/partnerships/']").get_text(strip=True) == "My partnerships"
    )
    assert page.select_one("main a[href='/partnerships/']").get_text(strip=True) == "My partnerships"


# --- The overview ----------------------------------------------------------------------------------------------------


def test_overview_groups_members_by_type_with_their_membership(client, world):
    ambulance = member_of(world.partnership, name="Moors Ambulance Service", kind=OrganisationKind.AMBULANCE_TRUST)
    ambulance.memberships.update(kind=MembershipKind.OBSERVER)
    former = member_of(world.partnership, name="Closed Care Trust", kind=OrganisationKind.COMMUNITY_TRUST)
    former.memberships.update(left_on=datetime.date(2024, 3, 31))
    client.force_login(world.viewer)
    page = parse(client.get("/partnerships/QZZ/"))
    captions = [caption.get_text(" ", strip=True) for caption in page.select("#members ~ table > caption")][:3]
    assert captions == ["Acute trust (1)", "Ambulance trust (1)", "Local authority (1)"]
    ambulance_row = page.find("a", string="Moors Ambulance Service").find_parent("tr")
    assert "Observer" in ambulance_row.get_text() and "1 April 2020" in ambulance_row.get_text()
    assert "Former members (1)" in page.text
    assert "31 March 2024" in page.select_one("details").get_text()


def test_overview_lists_people_with_their_roles_and_organisations(client, world):
    """Whom each person represents here, and whether the organisation confirmed it: only an organisation with
    administrators can (the trust has one; the council has none, so its people carry no state)."""
    grant(world.board, world.partnership, Role.MEMBER)
    services.organisation_administrator_appoint(actor=SYSTEM, organisation=world.trust, user=world.lead)
    client.force_login(world.viewer)
    rows = {
        row.select("td")[0].get_text(strip=True): " | ".join(td.get_text(" ", strip=True) for td in row.select("td"))
        for row in parse(client.get("/partnerships/QZZ/")).select("#people-table tbody tr")
    }
    assert rows[world.board.display_name] == (
        f"{world.board.display_name} | Chief executive | Demo Hospitals NHS Foundation Trust Awaiting confirmation | "
        "Board member, Member"
    )
    assert rows[world.ned.display_name].endswith("| Lay member | Demo City Council | Non-executive or lay member")
    assert world.outsider.display_name not in rows


def test_overview_shows_delegations_in_force_and_keeps_the_others_apart(client, world):
    DelegationFactory(
        partnership=world.partnership,
        organisation=world.council,
        delegate=None,
        delegate_role=Role.NON_EXECUTIVE,
        categories=[DecisionCategory.POLICY, DecisionCategory.STRATEGY],
        limit_pounds=Decimal("250000"),
        valid_from=datetime.date(2025, 4, 1),
        source_document="Constitution, part 3",
        source_version="2025",
    )
    DelegationFactory(
        partnership=world.partnership,
        organisation=world.trust,
        delegate=world.board,
        limit_pounds=None,
        valid_from=datetime.date(2020, 4, 1),
        valid_to=datetime.date(2024, 3, 31),
    )
    client.force_login(world.member)
    page = parse(client.get("/partnerships/QZZ/"))
    in_force = [" ".join(row.get_text(" ").split()) for row in page.select("#delegations-in-force tbody tr")]
    assert in_force == [
        "Demo City Council Any non-executive or lay member Strategy, Policy £250,000 "
        "From 1 April 2025, no end date Constitution, part 3, 2025 Not confirmed by Demo City Council"
    ]
    ended = " ".join(page.select_one("#delegations-not-in-force").get_text(" ").split())
    assert "No limit From 1 April 2020 to 31 March 2024" in ended


def test_overview_highlights_agreements_due_for_review_or_overdue(client, world):
    def agreement(title, review_on, status=AgreementStatus.SIGNED):
        return AgreementFactory(partnership=world.partnership, title=title, review_on=review_on, status=status)

    agreement("Due in a month", TODAY + datetime.timedelta(days=30))
    agreement("Due on day 60", TODAY + datetime.timedelta(days=60))
    agreement("Overdue", TODAY - datetime.timedelta(days=1))
    agreement("Not for a year", TODAY + datetime.timedelta(days=365))
    agreement("Expired long ago", TODAY - datetime.timedelta(days=400), status=AgreementStatus.EXPIRED)
    client.force_login(world.viewer)
    page = parse(client.get("/partnerships/QZZ/"))
    tags = {
        row.select_one("a").get_text(strip=True): row.select("td")[-1].select_one(".nhsuk-tag")
        for row in page.select("#agreements-table tbody tr")
    }
    assert {title: tag.get_text(strip=True) if tag else None for title, tag in tags.items()} == {
        "Due in a month": "Review due soon",
        "Due on day 60": "Review due soon",
        "Overdue": "Review overdue",
        "Not for a year": None,
        "Expired long ago": None,
    }
    callout = page.select_one(".nhsuk-card--warning").get_text(" ")
    assert "3 agreements are due for review" in " ".join(callout.split())
    assert "Not for a year" not in callout


def test_only_the_lead_sees_the_links_to_add_and_change(client, world, agreement):
    DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board)
    links = {
        "/partnerships/QZZ/details/",
        "/partnerships/QZZ/members/add/",
        "/partnerships/QZZ/organisations/new/",
        "/partnerships/QZZ/organisations/import/",
        "/partnerships/QZZ/people/invite/",
        "/partnerships/QZZ/delegations/new/",
        "/partnerships/QZZ/agreements/new/",
    }
    for persona in READERS:
        client.force_login(getattr(world, persona))
        hrefs = {a["href"] for a in parse(client.get("/partnerships/QZZ/")).select("main a")}
        change_links = {href for href in hrefs if href.endswith("/change/")}
        if persona == "lead":
            assert links <= hrefs
            assert len(change_links) == 2 + 5 + 1  # memberships, people, delegations
        else:
            assert not links & hrefs
            assert change_links == set()


# --- Organisation and agreement pages ---------------------------------------------------------------------------------


@pytest.fixture
def shared_trust(world):
    """The trust also belongs to QYY, with a delegation and an agreement there that QZZ's people must not see."""
    MembershipFactory(partnership=world.other_partnership, organisation=world.trust)
    DelegationFactory(
        partnership=world.other_partnership,
        organisation=world.trust,
        delegate=world.outsider,
        source_document="QYY secret scheme",
    )
    hidden = AgreementFactory(partnership=world.other_partnership, title="QYY private agreement")
    hidden.parties.set([world.trust])
    DelegationFactory(
        partnership=world.partnership, organisation=world.trust, delegate=world.board, source_document="QZZ scheme"
    )
    shown = AgreementFactory(partnership=world.partnership, title="QZZ memorandum")
    shown.parties.set([world.trust])
    return world.trust


def test_organisation_page_shows_only_what_belongs_to_partnerships_the_reader_can_see(client, world, shared_trust):
    client.force_login(world.viewer)
    qzz_view = text(client.get(f"/organisations/{shared_trust.pk}/"))
    assert "Demo Health and Care Partnership" in qzz_view
    assert "QZZ scheme" in qzz_view and "QZZ memorandum" in qzz_view
    assert "Other Health and Care Partnership" not in qzz_view
    assert "QYY secret scheme" not in qzz_view and "QYY private agreement" not in qzz_view
    assert world.outsider.display_name not in qzz_view

    client.force_login(world.outsider)
    qyy_view = text(client.get(f"/organisations/{shared_trust.pk}/"))
    assert "QYY secret scheme" in qyy_view and "QYY private agreement" in qyy_view
    assert "QZZ scheme" not in qyy_view and "QZZ memorandum" not in qyy_view
    assert world.board.display_name not in qyy_view


def test_organisation_page_offers_the_change_link_only_to_a_service_administrator(client, world):
    change = f"a[href='/organisations/{world.trust.pk}/change/']"
    for persona in ["lead", "board", "viewer"]:
        client.force_login(getattr(world, persona))
        page = parse(client.get(f"/organisations/{world.trust.pk}/"))
        assert page.select(change) == []
        assert page.select_one("#record-keeper").get_text() == (
            "This organisation has no administrator yet: its record is kept by the service administrators."
        )
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = parse(client.get(f"/organisations/{world.trust.pk}/"))
    assert len(page.select(change)) == 1


def test_agreement_page_shows_parties_dates_document_and_history(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = agreement_create(
        actor=world.lead,
        partnership=world.partnership,
        parties=[world.trust, world.council],
        document=pdf("mou-2025.pdf"),
        kind="mou",
        title="Memorandum of understanding 2025",
        status=AgreementStatus.SIGNED,
        effective_on=datetime.date(2025, 4, 1),
        expires_on=datetime.date(2028, 3, 31),
        review_on=TODAY - datetime.timedelta(days=3),
    )
    client.force_login(world.viewer)
    page = text(client.get(f"/agreements/{agreement.pk}/"))
    assert "Review overdue" in page
    assert "Parties Demo City Council Demo Hospitals NHS Foundation Trust" in page
    assert "Takes effect 1 April 2025 Expires 31 March 2028" in page
    assert "Download mou-2025.pdf" in page
    assert f"Agreement recorded: Memorandum of understanding 2025 ({world.lead.display_name})" in page
    assert "Change this agreement" not in page


# --- Documents ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_document_download_checks_access_and_comes_as_an_attachment(client, world, settings, tmp_path, persona):
    settings.MEDIA_ROOT = tmp_path
    agreement = agreement_create(
        actor=world.lead, partnership=world.partnership, parties=[world.trust], document=pdf(), kind="mou", title="MoU"
    )
    response = client_for(client, world, persona).get(f"/agreements/{agreement.pk}/document/")
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="agreement.pdf"'
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "no-cache" in response["Cache-Control"]


def test_documents_are_never_served_from_a_public_url(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = agreement_create(
        actor=world.lead, partnership=world.partnership, parties=[world.trust], document=pdf(), kind="mou", title="MoU"
    )
    client.force_login(world.lead)
    assert (tmp_path / agreement.document.name).exists()
    assert client.get(f"/media/{agreement.document.name}").status_code == 404


def test_an_agreement_without_a_document_has_nothing_to_download(client, world, agreement):
    client.force_login(world.lead)
    assert client.get(f"/agreements/{agreement.pk}/document/").status_code == 404


# --- Database work does not grow with the data -----------------------------------------------------------------------


def queries_for(client, url) -> int:
    client.get(url)  # warm: the first request after signing in reads the person, later ones the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_overview_queries_do_not_grow_with_members_people_delegations_or_agreements(
    client, world, django_assert_num_queries
):
    populate(world.partnership, 3)
    client.force_login(world.lead)
    small = queries_for(client, "/partnerships/QZZ/")
    populate(world.partnership, 27, start=3)
    with django_assert_num_queries(small):
        response = client.get("/partnerships/QZZ/")
    assert len(parse(response).select("#people-table tbody tr")) == 5 + 30
    assert len(parse(response).select("#agreements-table tbody tr")) == 30


def test_my_partnerships_queries_do_not_grow_with_partnerships_or_members(client, world, django_assert_num_queries):
    def more_partnerships(count):
        for _ in range(count):
            partnership = PartnershipFactory()
            grant(world.board, partnership, Role.BOARD_MEMBER, Role.VIEWER)
            populate(partnership, 2)

    more_partnerships(2)
    client.force_login(world.board)
    small = queries_for(client, "/partnerships/")
    more_partnerships(10)
    with django_assert_num_queries(small):
        response = client.get("/partnerships/")
    assert len(parse(response).select("tbody tr")) == 13


def test_organisation_page_queries_do_not_grow_with_partnerships_delegations_agreements_or_people(
    client, world, django_assert_num_queries
):
    def more(count, start):
        for number in range(start, start + count):
            partnership = PartnershipFactory()
            grant(world.viewer, partnership, Role.VIEWER)
            MembershipFactory(partnership=partnership, organisation=world.trust)
            person = UserFactory(username=f"trust-person-{number}")
            grant(person, partnership, Role.BOARD_MEMBER)
            ProfileFactory(user=person, organisation=world.trust)
            DelegationFactory(partnership=partnership, organisation=world.trust, delegate=person)
            AgreementFactory(partnership=partnership).parties.set([world.trust])

    more(3, 0)
    client.force_login(world.viewer)
    url = f"/organisations/{world.trust.pk}/"
    small = queries_for(client, url)
    more(27, 3)
    with django_assert_num_queries(small):
        response = client.get(url)
    assert len(parse(response).select("#delegations ~ table")[0].select("tbody tr")) == 30
