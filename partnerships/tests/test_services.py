"""The services behind the pages, the admin and the API: what they refuse, what they write, and what they send."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.audit import SYSTEM
from core.models import AuditEvent
from partnerships import services
from partnerships.models import Agreement, AgreementStatus, Delegation, Organisation, OrganisationKind, Role
from partnerships.selectors.partnerships import role_values_of
from tests.factories import AgreementFactory, DelegationFactory, UserFactory

from .pages_support import written

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def invite(world, **changes):
    fields = {
        "actor": world.lead,
        "partnership": world.partnership,
        "username": "a.okoye",
        "email": "amara.okoye@example.nhs.uk",
        "first_name": "Amara",
        "last_name": "O'Keefe",
        "organisation": world.council,
        "roles": [Role.MEMBER],
        **changes,
    }
    return services.person_invite(**fields)


def test_an_invitation_is_emailed_only_after_the_account_is_saved(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invite(world)
        assert mailoutbox == []
    for callback in callbacks:  # the email's, and the signed-in-person cache's (core/user_cache.py)
        callback()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["amara.okoye@example.nhs.uk"]
    assert "Hello Amara O'Keefe" in mailoutbox[0].body  # plain text: no HTML escaping of the apostrophe
    assert "/account/invitation/" in mailoutbox[0].body


def test_an_invitation_can_be_made_without_an_email(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(world, send_invitation=False)
    assert mailoutbox == []
    assert AuditEvent.objects.filter(action="person.invited").count() == 1


def test_inviting_someone_from_another_partnerships_organisation_writes_nothing(world):
    before = written()
    with pytest.raises(ValidationError) as refused:
        invite(world, organisation=world.other_trust)
    assert "is not a current member of Demo Health and Care Partnership" in str(refused.value)
    assert written() == before


def test_person_update_grants_and_takes_away_roles_in_one_go(world):
    services.person_update(
        actor=world.lead,
        partnership=world.partnership,
        user=world.member,
        roles=[Role.BOARD_MEMBER, Role.VIEWER],
        organisation=world.trust,
        job_title="Medical director",
        is_clinician=True,
    )
    assert role_values_of(world.partnership, world.member) == [Role.BOARD_MEMBER, Role.VIEWER]
    world.member.profile.refresh_from_db()
    assert (world.member.profile.organisation, world.member.profile.is_clinician) == (world.trust, True)


@pytest.mark.parametrize("roles", [[], ["owner"]])
def test_person_update_refuses_no_roles_or_unknown_ones(world, roles):
    with pytest.raises(ValidationError) as refused:
        services.person_update(
            actor=world.lead,
            partnership=world.partnership,
            user=world.member,
            roles=roles,
            organisation=None,
            job_title="",
            is_clinician=False,
        )
    assert "roles" in refused.value.message_dict


def test_person_update_is_for_the_lead_only(world):
    with pytest.raises(PermissionDenied):
        services.person_update(
            actor=world.board,
            partnership=world.partnership,
            user=world.member,
            roles=[Role.LEAD],
            organisation=None,
            job_title="",
            is_clinician=False,
        )
    assert role_values_of(world.partnership, world.member) == [Role.MEMBER]


def test_person_remove_takes_every_role_but_keeps_the_account(world):
    services.person_remove(actor=world.lead, partnership=world.partnership, user=world.ned)
    assert role_values_of(world.partnership, world.ned) == []
    world.ned.refresh_from_db()
    assert world.ned.profile.job_title == "Lay member"


def test_person_remove_waits_until_their_delegations_have_ended(world):
    delegation = DelegationFactory(partnership=world.partnership, organisation=world.council, delegate=world.ned)
    with pytest.raises(ValidationError):
        services.person_remove(actor=world.lead, partnership=world.partnership, user=world.ned)
    services.delegation_update(actor=world.lead, delegation=delegation, valid_to=TODAY - datetime.timedelta(days=1))
    services.person_remove(actor=world.lead, partnership=world.partnership, user=world.ned)
    assert role_values_of(world.partnership, world.ned) == []


def test_the_last_lead_cannot_be_removed(world):
    with pytest.raises(ValidationError):
        services.person_remove(actor=world.lead, partnership=world.partnership, user=world.lead)
    assert role_values_of(world.partnership, world.lead) == [Role.LEAD]


def test_organisation_register_and_correction_are_for_administrators(world):
    with pytest.raises(PermissionDenied):
        services.organisation_register(actor=world.lead, name="Anywhere Trust", kind=OrganisationKind.OTHER)
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=world.lead, organisation=world.trust, name="Renamed")
    admin = UserFactory(is_superuser=True, is_staff=True)
    created = services.organisation_register(actor=admin, name="Anywhere Trust", kind=OrganisationKind.OTHER)
    services.organisation_update(actor=SYSTEM, organisation=created, ods_code="", postcode="AN1 1AA")
    created.refresh_from_db()
    assert (created.ods_code, created.postcode) == (None, "AN1 1AA")
    assert list(AuditEvent.objects.filter(target_id=created.pk).values_list("action", flat=True)) == [
        "organisation.updated",
        "organisation.created",
    ]


def test_organisation_create_records_the_organisation_and_its_membership(world):
    services.organisation_create(
        actor=world.lead,
        partnership=world.partnership,
        membership_kind="full",
        joined_on=TODAY,
        name="Northfield Hospice",
        kind=OrganisationKind.VCSE,
    )
    assert Organisation.objects.get(name="Northfield Hospice").memberships.get().partnership == world.partnership
    assert {"organisation.created", "membership.added"} <= set(AuditEvent.objects.values_list("action", flat=True))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"valid_to": datetime.date(2020, 1, 1)}, "The end date must be the same as or after the start date."),
        ({"limit_pounds": Decimal("-1")}, "The limit must be £0 or more."),
    ],
)
def test_delegation_services_give_clear_messages_for_bad_dates_and_limits(world, fields, message):
    """The API calls the services without the page's form, so the services' own messages must be clear too."""
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.delegation_create(
            actor=world.lead,
            partnership=world.partnership,
            organisation=world.trust,
            delegate=world.board,
            categories=["finance"],
            valid_from=datetime.date(2025, 4, 1),
            source_document="Scheme of reservation and delegation",
            **fields,
        )
    assert message in refused.value.messages
    assert written() == before


def test_agreement_expiry_before_it_takes_effect_has_a_clear_message(world):
    with pytest.raises(ValidationError) as refused:
        services.agreement_create(
            actor=world.lead,
            partnership=world.partnership,
            parties=[world.trust],
            kind="mou",
            title="Backwards",
            effective_on=datetime.date(2026, 1, 1),
            expires_on=datetime.date(2025, 1, 1),
        )
    assert "The expiry date must be the same as or after the date it takes effect." in refused.value.messages
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    ("days", "status", "state"),
    [
        (-1, AgreementStatus.SIGNED, "overdue"),
        (0, AgreementStatus.DRAFT, "due"),
        (60, AgreementStatus.SIGNED, "due"),
        (61, AgreementStatus.SIGNED, ""),
        (-30, AgreementStatus.TERMINATED, ""),
        (10, AgreementStatus.EXPIRED, ""),
    ],
)
def test_an_agreements_review_state_agrees_with_the_due_for_review_queryset(world, days, status, state):
    agreement = AgreementFactory(
        partnership=world.partnership, status=status, review_on=TODAY + datetime.timedelta(days=days)
    )
    assert agreement.review_state() == state
    assert Agreement.objects.due_for_review().filter(pk=agreement.pk).exists() == bool(state)


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [(-10, None), (-10, 0), (-10, -1), (1, None), (0, 0)],
)
def test_a_loaded_delegation_is_in_force_exactly_when_the_queryset_says(world, valid_from, valid_to):
    delegation = DelegationFactory(
        partnership=world.partnership,
        organisation=world.trust,
        delegate=world.board,
        valid_from=TODAY + datetime.timedelta(days=valid_from),
        valid_to=None if valid_to is None else TODAY + datetime.timedelta(days=valid_to),
    )
    in_force = Delegation.objects.in_force(TODAY).filter(pk=delegation.pk).exists()
    assert delegation.in_force_on(TODAY) == in_force
