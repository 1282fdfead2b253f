"""The demo data: the partnership QZZ with partners of every type, its board, delegations and agreements, the
demo users' roles, and the board secretary who administers two of its organisations. Loading it twice gives the same
rows."""

import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from partnerships.access import administers, roles_in
from partnerships.models import (
    Agreement,
    CorrectionStatus,
    Delegation,
    Membership,
    Organisation,
    OrganisationCorrection,
    OrganisationKind,
    OrganisationRole,
    Partnership,
    PartnershipRole,
    Profile,
    Role,
)

pytestmark = pytest.mark.django_db

PARTNERSHIP_MODELS = (
    Partnership,
    Organisation,
    Membership,
    Profile,
    PartnershipRole,
    Delegation,
    Agreement,
    OrganisationRole,
    OrganisationCorrection,
)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    return Partnership.objects.get(code="QZZ")


def rows() -> dict[str, int]:
    """Rows of the partnerships tables, and audit events about partnerships records or people."""
    types = ContentType.objects.filter(app_label__in=["partnerships", "core"])
    return {
        **{model.__name__: model.objects.count() for model in PARTNERSHIP_MODELS},
        "audit": AuditEvent.objects.filter(target_type__in=types).count(),
        "users": get_user_model().objects.count(),
    }


def user(username):
    return get_user_model().objects.get(username=username)


def test_loading_the_demo_twice_gives_the_same_rows(demo, tmp_path):
    first = rows()
    files = sorted(tmp_path.rglob("*.pdf"))
    call_command("seed_demo", stdout=io.StringIO())
    assert rows() == first
    assert sorted(tmp_path.rglob("*.pdf")) == files


def test_the_demo_users_get_their_roles(demo):
    qyx = Partnership.objects.get(code="QYX")
    assert roles_in(user("lead"), demo) == {Role.LEAD}
    assert roles_in(user("board"), demo) == {Role.BOARD_MEMBER}
    assert roles_in(user("ned"), demo) == {Role.NON_EXECUTIVE}
    assert roles_in(user("member"), demo) == {Role.MEMBER}
    assert roles_in(user("viewer"), demo) == {Role.VIEWER}
    assert roles_in(user("outsider"), demo) == frozenset()
    assert roles_in(user("outsider"), qyx) == {Role.LEAD}
    board = user("board").profile
    assert (board.job_title, board.organisation.kind) == ("Chief executive", OrganisationKind.ACUTE_TRUST)


def test_the_demo_partnership_has_about_twenty_partners_of_every_type(demo):
    organisations = Organisation.objects.filter(memberships__partnership=demo)
    assert 18 <= organisations.count() <= 25
    assert set(organisations.values_list("kind", flat=True)) == set(OrganisationKind.values)
    assert organisations.filter(kind=OrganisationKind.LOCAL_AUTHORITY).count() == 2
    assert Membership.objects.filter(partnership=demo).current().count() == organisations.count()


def test_board_members_come_from_several_partners(demo):
    board = PartnershipRole.objects.filter(content_object=demo, permission__codename=Role.BOARD_MEMBER)
    assert board.values("user__profile__organisation").distinct().count() >= 6


def test_delegations_have_different_limits_some_categories_only_and_one_has_expired(demo):
    delegations = list(Delegation.objects.filter(partnership=demo))
    today = timezone.localdate()
    in_force = [delegation for delegation in delegations if delegation.in_force_on(today)]
    assert len({delegation.limit_pounds for delegation in in_force}) >= 5
    assert any(delegation.limit_pounds is None for delegation in in_force)
    assert any(len(delegation.categories) < 3 for delegation in in_force)
    assert len([delegation for delegation in delegations if not delegation.in_force_on(today)]) == 1


def test_there_are_two_agreements_and_one_is_due_for_review(demo):
    assert Agreement.objects.filter(partnership=demo).count() == 2
    due = Agreement.objects.filter(partnership=demo).due_for_review()
    assert due.count() == 1
    assert due.get().document.read().startswith(b"%PDF")


def test_the_demo_has_an_audit_trail_written_by_the_system_but_for_what_only_a_person_does(demo):
    events = AuditEvent.objects.filter(partnership_id=demo.pk, target_type__app_label__in=["partnerships", "core"])
    assert events.filter(action="delegation.created").count() == Delegation.objects.filter(partnership=demo).count()
    by_people = set(events.exclude(actor=None).values_list("actor__username", "action"))
    assert by_people == {
        ("orgsec", "delegation.confirmed"),
        ("orgsec", "affiliation.confirmed"),
        ("lead", "delegation.created"),
        ("lead", "organisation.correction_proposed"),
    }
    assert events.filter(action="organisation.administrator_appointed", actor=None).count() == 2


def test_the_board_secretary_administers_the_trust_and_the_council_and_signs_in_like_the_others(demo):
    secretary = user("orgsec")
    assert secretary.check_password(settings.DEMO_PASSWORD)
    assert (secretary.profile.job_title, secretary.profile.organisation.ods_code) == ("Board secretary", "RZ1")
    administered = Organisation.objects.filter(administrator_grants__user=secretary)
    assert sorted(administered.values_list("ods_code", flat=True)) == ["RZ1", "ZC101"]
    assert not administers(user("lead"), administered.first())


def test_the_organisations_confirmed_all_their_delegations_but_the_one_the_lead_recorded(demo):
    delegations = Delegation.objects.filter(partnership=demo, organisation__ods_code__in=["RZ1", "ZC101"])
    unconfirmed = delegations.unconfirmed()
    assert unconfirmed.count() == 1
    assert unconfirmed.get().recorded_by == user("lead")
    confirmed = delegations.exclude(pk=unconfirmed.get().pk)
    assert confirmed.count() >= 2
    assert set(confirmed.values_list("confirmed_by__username", flat=True)) == {"orgsec"}
    assert (
        not Delegation.objects.filter(partnership=demo)
        .exclude(organisation__ods_code__in=["RZ1", "ZC101"])
        .exclude(confirmed_at=None)
    )


def test_the_lead_proposed_a_correction_that_awaits_the_council(demo):
    correction = OrganisationCorrection.objects.get()
    assert (correction.organisation.ods_code, correction.proposed_by, correction.status) == (
        "ZC101",
        user("lead"),
        CorrectionStatus.PENDING,
    )
    assert correction.changes == {"website": ["", "https://www.northfield-city.example/"]}


def test_everyone_represents_their_own_organisation_in_the_demo_partnership(demo):
    grants = PartnershipRole.objects.filter(content_object=demo).select_related("user__profile")
    assert grants.count() >= 15
    assert all(grant.organisation_id == grant.user.profile.organisation_id for grant in grants)
    assert not grants.filter(organisation=None).exists()


def test_the_lead_sees_the_demo_overview(client, demo):
    client.force_login(user("lead"))
    response = client.get("/partnerships/QZZ/")
    assert response.status_code == 200
    assert "Northfield and Dales Health and Care Partnership" in response.content.decode()
    client.force_login(user("outsider"))
    assert client.get("/partnerships/QZZ/").status_code == 404
