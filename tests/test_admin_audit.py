"""Every write made in the Django admin leaves an audit event (issue 17, item 1): who, when, which record, which
partnerships, and the fields before and after. The walks below fail when a new model, admin or admin action
appears that nobody has decided about."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin_audit import HIDDEN, AuditedAdmin
from core.models import AuditEvent, WorkerHeartbeat
from partnerships import services
from partnerships.models import Membership, OrganisationRole, PartnershipRole, Profile, Role
from tests.factories import (
    AgreementFactory,
    DelegationFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProfileFactory,
    UserFactory,
    member_of,
)

OUR_APPS = ["core", "partnerships", "workstreams", "engagement", "governance", "reporting"]

# Admins registered by other packages that write and are not audited, and why that is acceptable.
THIRD_PARTY_UNAUDITED = {
    "axes.AccessAttempt": "django-axes' own record of failed sign-ins; deleting one lifts a lock-out, and sign-ins "
    "and lock-outs are audited by core.accounts",
    "axes.AccessLog": "django-axes' log of sign-ins, itself a record of events, not a governed record",
    "axes.AccessFailureLog": "django-axes' log of failed sign-ins, itself a record of events",
    "oauth2_provider.Application": "the OAuth provider used only by the single sign-on tests, not by the service",
    "oauth2_provider.AccessToken": "the OAuth provider used only by the single sign-on tests, not by the service",
    "oauth2_provider.Grant": "the OAuth provider used only by the single sign-on tests, not by the service",
    "oauth2_provider.IDToken": "the OAuth provider used only by the single sign-on tests, not by the service",
    "oauth2_provider.RefreshToken": "the OAuth provider used only by the single sign-on tests, not by the service",
}

# Models of our apps that are not in the admin at all (so the admin cannot write them), and why.
NOT_IN_THE_ADMIN = {
    "core.AuditChainHead": "the audit trail's own bookkeeping, written by audit_record",
    "core.AuditAnchor": "the audit trail's own bookkeeping, written by its daily task",
    "core.ApiToken": "made and revoked by their owners on their account pages (audited by core.accounts)",
    "core.SignedInSession": "a browser's session, written by the sign-in and sign-out receivers",
    "core.OutboxMessage": "work queued after a commit by the services, not a record of its own",
    "workstreams.WorkStreamRole": "guardian's role rows, kept in step with groups by the work-stream services",
    "workstreams.WorkStreamStatusChange": "a work-stream's history, written by its service",
    "workstreams.GroupMember": "shown read-only inside the work-stream's admin; written by the group services",
    "workstreams.PartnershipBoard": "the board as a meeting body, written by the meeting services",
    "workstreams.AgendaItem": "shown read-only inside the meeting's admin; written by the meeting services",
    "workstreams.Paper": "a document on an agenda item, written by the meeting services",
    "workstreams.Attendance": "shown read-only inside the meeting's admin; written by the meeting services",
    "workstreams.MinutesVersion": "frozen approved minutes, written by the minutes services",
    "workstreams.ActionNote": "shown read-only inside the action's admin; written by the action services",
    "workstreams.CalendarFeed": "a person's feed address, replaced by its owner on their account page",
    "engagement.GroupReached": "part of an engagement activity, written by its services",
    "engagement.ActivityAttachment": "a document on an engagement activity, written by its services",
    "governance.ReferenceCounter": "the last decision number used, taken by the decision services under a lock",
    "governance.DeclarationWithdrawal": "part of a decision's declarations, written by their services",
    "governance.RiskDomain": "the NHS defaults come from a data migration; a partnership's own from its services",
    "governance.RiskSettings": "a partnership's risk matrix, written by the risk settings service",
    "governance.RiskAppetite": "the board's appetite, written by the risk settings service",
    "governance.RiskScoreChange": "a risk's score history, written by the risk services",
    "governance.RiskDecisionLink": "written by the risk services",
    "governance.ReviewSuggestion": "written by the risk services when a risk rises above tolerance",
    "governance.SignOffRound": "shown read-only inside the decision's admin; written by the sign-off services",
    "reporting.DigestSchedule": "a partnership's digest timing, written by the digest services",
}


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory.build(is_staff=True, is_superuser=True)
    return request


def _writes(model_admin) -> bool:
    request = _superuser_request()
    return any(
        (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        )
    )


REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
WRITING = [(model, model_admin) for model, model_admin in REGISTRY if _writes(model_admin)]


# --- The walks: nothing new appears undecided ----------------------------------------------------------------------


@pytest.mark.parametrize("model, model_admin", WRITING, ids=[model._meta.label for model, _ in WRITING])
def test_every_admin_that_writes_records_its_writes_in_the_audit_trail(model, model_admin):
    if model._meta.label in THIRD_PARTY_UNAUDITED:
        return
    audited = type(model_admin)
    assert isinstance(model_admin, AuditedAdmin), f"{audited.__name__} writes without core.admin_audit.AuditedAdmin"
    for method in ("delete_model", "delete_queryset", "save_formset"):
        assert getattr(audited, method) is getattr(AuditedAdmin, method), f"{audited.__name__}.{method} is not audited"
    if not model_admin.saves_through_services:
        assert audited.save_model is AuditedAdmin.save_model
        assert audited.save_related is AuditedAdmin.save_related


def test_every_unaudited_admin_is_one_of_the_listed_third_party_ones():
    unaudited = {model._meta.label for model, model_admin in WRITING if not isinstance(model_admin, AuditedAdmin)}
    assert unaudited <= set(THIRD_PARTY_UNAUDITED)
    assert not {label.split(".")[0] for label in THIRD_PARTY_UNAUDITED} & set(OUR_APPS)


def test_every_model_of_ours_is_in_the_admin_audited_or_read_only_or_listed_with_a_reason():
    registered = {model._meta.label: model_admin for model, model_admin in REGISTRY}
    undecided = []
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label
            model_admin = registered.get(label)
            if model_admin is None:
                if label not in NOT_IN_THE_ADMIN:
                    undecided.append(label)
            elif _writes(model_admin) and not isinstance(model_admin, AuditedAdmin):
                undecided.append(label)
    assert undecided == [], "Register these with AuditedAdmin or ReadOnlyAdmin, or list them in NOT_IN_THE_ADMIN"
    stale = [label for label in NOT_IN_THE_ADMIN if label in registered or not _model_exists(label)]
    assert stale == []


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


# --- Through the admin's pages --------------------------------------------------------------------------------------


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, world, administrator):
    client.force_login(administrator)
    return client


def events_of(obj, action: str):
    target_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEvent.objects.filter(target_type=target_type, target_id=obj.pk, action=action)


def change_form_data(response) -> dict:
    """What the admin's change form would send back unchanged: its fields' values and its inlines' management
    forms."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        for name in inline.formset.management_form.fields:
            data[inline.formset.management_form.add_prefix(name)] = inline.formset.management_form[name].value()
        for row in inline.formset.forms:
            for name in row.fields:
                value = row[name].value()
                if value not in (None, False):
                    data[row.add_prefix(name)] = "on" if value is True else value
    return data


@pytest.mark.django_db
def test_deleting_a_delegation_in_the_admin_is_recorded_with_its_partnership_and_fields(admin_client, world):
    delegation = DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board)
    pk = delegation.pk
    response = admin_client.post(f"/admin/partnerships/delegation/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="delegation.deleted")
    assert (event.target_id, event.partnership_id, event.actor.username) == (pk, world.partnership.pk, "administrator")
    assert event.changes["organisation"] == [world.trust.pk, None]
    assert event.changes["delegate"] == [world.board.pk, None]
    assert event.changes["source_document"] == ["Scheme of reservation and delegation", None]
    assert "in the admin" in event.summary


@pytest.mark.django_db
def test_changing_a_profiles_organisation_in_the_admin_is_recorded_with_before_and_after(admin_client, world):
    profile = Profile.objects.get(user=world.member)
    data = change_form_data(admin_client.get(f"/admin/partnerships/profile/{profile.pk}/change/"))
    response = admin_client.post(
        f"/admin/partnerships/profile/{profile.pk}/change/", {**data, "organisation": world.trust.pk}
    )
    assert response.status_code == 302
    event = events_of(profile, "profile.updated").get()
    assert event.changes == {"organisation": [world.council.pk, world.trust.pk]}
    assert (event.partnership_id, event.actor.username) == (world.partnership.pk, "administrator")


@pytest.mark.django_db
def test_moving_a_profile_between_partnerships_is_recorded_in_both(admin_client, world):
    profile = Profile.objects.get(user=world.member)
    data = change_form_data(admin_client.get(f"/admin/partnerships/profile/{profile.pk}/change/"))
    admin_client.post(
        f"/admin/partnerships/profile/{profile.pk}/change/", {**data, "organisation": world.other_trust.pk}
    )
    partnerships = set(events_of(profile, "profile.updated").values_list("partnership_id", flat=True))
    assert partnerships == {world.partnership.pk, world.other_partnership.pk}


@pytest.mark.django_db
def test_saving_a_profile_unchanged_records_nothing(admin_client, world):
    profile = Profile.objects.get(user=world.member)
    data = change_form_data(admin_client.get(f"/admin/partnerships/profile/{profile.pk}/change/"))
    assert admin_client.post(f"/admin/partnerships/profile/{profile.pk}/change/", data).status_code == 302
    assert not events_of(profile, "profile.updated").exists()


@pytest.mark.django_db
def test_adding_a_profile_in_the_admin_is_recorded(admin_client, world):
    user = UserFactory(username="newcomer")
    response = admin_client.post(
        "/admin/partnerships/profile/add/", {"user": user.pk, "organisation": world.council.pk, "job_title": "Nurse"}
    )
    assert response.status_code == 302
    event = events_of(Profile.objects.get(user=user), "profile.created").get()
    assert event.changes["organisation"] == [None, world.council.pk]
    assert event.partnership_id == world.partnership.pk


@pytest.mark.django_db
def test_deleting_selected_records_in_the_admin_records_each_one(admin_client, world):
    agreements = [AgreementFactory(partnership=world.partnership) for _ in range(3)]
    response = admin_client.post(
        "/admin/partnerships/agreement/",
        {"action": "delete_selected", "_selected_action": [agreement.pk for agreement in agreements], "post": "yes"},
    )
    assert response.status_code == 302
    events = AuditEvent.objects.filter(action="agreement.deleted")
    assert sorted(events.values_list("target_id", flat=True)) == sorted(agreement.pk for agreement in agreements)
    assert set(events.values_list("partnership_id", flat=True)) == {world.partnership.pk}


PASSPHRASE = "a-new-long-passphrase-42"


@pytest.mark.django_db
def test_a_users_password_set_in_the_admin_is_recorded_without_its_hash(admin_client, world):
    response = admin_client.post(
        f"/admin/core/user/{world.member.pk}/password/",
        {
            "password1": "a-new-long-passphrase-42",
            "password2": "a-new-long-passphrase-42",
            "set_usable_password": "true",
        },
    )
    assert response.status_code == 302
    event = events_of(world.member, "user.updated").get()
    assert event.changes == {"password": [HIDDEN, HIDDEN]}


@pytest.mark.django_db
def test_a_row_added_in_an_inline_is_recorded(admin_client, world):
    device = StaticDevice.objects.create(user=world.member, name="backup")
    url = f"/admin/otp_static/staticdevice/{device.pk}/change/"
    data = change_form_data(admin_client.get(url))
    prefix = "token_set"
    response = admin_client.post(url, {**data, f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-token": "abcd1234"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    token = device.token_set.get()
    event = events_of(token, "statictoken.created").get()
    assert event.changes == {"device": [None, device.pk], "token": [None, HIDDEN]}


@pytest.mark.django_db
def test_the_audit_trail_is_read_in_the_admin_and_never_written_there(admin_client, world):
    delegation = DelegationFactory(partnership=world.partnership, organisation=world.trust, delegate=world.board)
    admin_client.post(f"/admin/partnerships/delegation/{delegation.pk}/delete/", {"post": "yes"})
    event = AuditEvent.objects.get(action="delegation.deleted")
    listing = admin_client.get("/admin/core/auditevent/?action=delegation.deleted")
    assert listing.status_code == 200 and "Delegation deleted in the admin" in listing.content.decode()
    assert admin_client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200
    assert admin_client.get("/admin/core/auditevent/add/").status_code == 403
    assert admin_client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_rows_changed_and_deleted_in_an_inline_are_recorded(admin_client, world):
    device = StaticDevice.objects.create(user=world.member, name="backup")
    kept, dropped = device.token_set.create(token="aaaa1111"), device.token_set.create(token="bbbb2222")
    url = f"/admin/otp_static/staticdevice/{device.pk}/change/"
    data = change_form_data(admin_client.get(url))
    rows = {data[f"token_set-{index}-id"]: index for index in range(2)}
    changes = {f"token_set-{rows[kept.pk]}-token": "cccc3333", f"token_set-{rows[dropped.pk]}-DELETE": "on"}
    assert admin_client.post(url, {**data, **changes}).status_code == 302
    assert events_of(kept, "statictoken.updated").get().changes == {"token": [HIDDEN, HIDDEN]}
    assert events_of(dropped, "statictoken.deleted").get().changes["token"] == [HIDDEN, None]


# Every record the admin may delete, made fresh; a new deletable admin needs a line here.
MAKERS = {
    "auth.Group": lambda world: Group.objects.create(name="Auditors"),
    "core.User": lambda world: UserFactory(username="leaver"),
    "core.WorkerHeartbeat": lambda world: WorkerHeartbeat.objects.create(worker="celery@old", last_seen=timezone.now()),
    "otp_static.StaticDevice": lambda world: StaticDevice.objects.create(user=world.member, name="backup"),
    "otp_totp.TOTPDevice": lambda world: TOTPDevice.objects.create(user=world.member, name="phone"),
    "partnerships.Agreement": lambda world: AgreementFactory(partnership=world.partnership),
    "partnerships.Delegation": lambda world: DelegationFactory(
        partnership=world.partnership, organisation=world.trust, delegate=world.board
    ),
    "partnerships.Membership": lambda world: Membership.objects.get(organisation=member_of(world.partnership)),
    "partnerships.Organisation": lambda world: OrganisationFactory(),  # one no partnership lists (memberships protect)
    "partnerships.Partnership": lambda world: PartnershipFactory(),
    "partnerships.Profile": lambda world: ProfileFactory(organisation=world.council),
}
DELETABLE = [
    (model, model_admin)
    for model, model_admin in WRITING
    if model._meta.label not in THIRD_PARTY_UNAUDITED and model_admin.has_delete_permission(_superuser_request())
]


def test_every_admin_that_deletes_is_walked_below():
    assert sorted(model._meta.label for model, _ in DELETABLE) == sorted(MAKERS)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(MAKERS))
def test_deleting_any_record_in_the_admin_is_recorded(admin_client, world, label):
    record = MAKERS[label](world)
    pk, meta = record.pk, record._meta
    response = admin_client.post(f"/admin/{meta.app_label}/{meta.model_name}/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not type(record)._default_manager.filter(pk=pk).exists()
    events = AuditEvent.objects.filter(action=f"{meta.model_name}.deleted", target_id=pk)
    assert events.exists()
    assert all(event.actor.username == "administrator" for event in events)


# --- Custom actions go through services, which write the events ----------------------------------------------------


def _appoint(organisation, user):
    OrganisationRole.objects.create(
        content_object=organisation,
        user=user,
        permission=Permission.objects.get(codename="administer", content_type__app_label="partnerships"),
    )


def _two_administrators(world):
    _appoint(world.trust, world.board)
    _appoint(world.trust, world.lead)
    return OrganisationRole.objects.get(content_object=world.trust, user=world.board)


ACTIONS = {
    ("partnerships.Membership", "end_today"): lambda world: Membership.objects.get(
        organisation=member_of(world.partnership)
    ),
    ("partnerships.Delegation", "end_today"): lambda world: DelegationFactory(
        partnership=world.partnership,
        organisation=world.trust,
        delegate=world.board,
        valid_from=datetime.date(2020, 1, 1),
    ),
    ("partnerships.Agreement", "mark_expired"): lambda world: AgreementFactory(partnership=world.partnership),
    ("partnerships.PartnershipRole", "revoke"): lambda world: PartnershipRole.objects.get(
        user=world.viewer, content_object=world.partnership, permission__codename=Role.VIEWER
    ),
    ("partnerships.OrganisationRole", "remove"): _two_administrators,
    ("partnerships.OrganisationCorrection", "accept"): lambda world: services.correction_propose(
        actor=world.lead,
        partnership=world.partnership,
        organisation=world.council,
        reason="The council's website is missing.",
        website="https://www.demo-city.example/",
    ),
}


def test_every_custom_admin_action_is_walked_below():
    custom = {
        (model._meta.label, name)
        for model, model_admin in WRITING
        if model._meta.label not in THIRD_PARTY_UNAUDITED
        for name in model_admin.get_actions(_superuser_request())
        if name != "delete_selected"
    }
    assert custom == set(ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("label, action", sorted(ACTIONS))
def test_every_custom_admin_action_leaves_an_audit_event(admin_client, world, label, action):
    record = ACTIONS[(label, action)](world)
    last = AuditEvent.objects.order_by("id").values_list("id", flat=True).last() or 0
    meta = record._meta
    response = admin_client.post(
        f"/admin/{meta.app_label}/{meta.model_name}/", {"action": action, "_selected_action": [record.pk]}, follow=True
    )
    notes = [(message.level_tag, str(message)) for message in response.context["messages"]]
    assert [level for level, _ in notes] == ["success"], notes
    new = AuditEvent.objects.filter(id__gt=last)
    assert new.exists()
    assert all(event.actor.username == "administrator" for event in new)
