"""The Django admin for staff superusers. Saves and actions go through the services, so the audit trail and the
checks are the same as on the pages; only what no service covers (profiles, deleting records) is written directly,
and audited by `core.admin_audit.AuditedAdmin`, in the history of every partnership the record concerns."""

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import models
from django.utils import timezone

from core.admin import AuditedUserAdmin
from core.admin_audit import AuditedAdmin, ServiceAdmin, changed_fields, each_through_service, saved_copy
from core.models import User

from . import services
from .models import (
    Agreement,
    AgreementStatus,
    Delegation,
    Membership,
    Organisation,
    OrganisationCorrection,
    OrganisationRole,
    Partnership,
    PartnershipRole,
    Profile,
    Role,
)


@admin.register(Partnership)
class PartnershipAdmin(ServiceAdmin):
    list_display = ["code", "name", "region", "governance_form", "population"]
    list_filter = ["governance_form", "region"]
    search_fields = ["code", "name", "ons_code"]
    editable = ["name", "ons_code", "region", "population", "governance_form", "public_description"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def audit_partnerships(self, obj, *, before=None):
        return [obj.pk]

    def save_through_service(self, request, obj, form, change):
        if change:
            fields = changed_fields(form, self.editable)
            return services.partnership_update(actor=request.user, partnership=saved_copy(obj), **fields)
        return services.partnership_create(actor=request.user, **form.cleaned_data)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["partnership", "kind", "joined_on", "left_on"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    list_display = ["name", "ods_code", "kind", "opened_on", "closed_on"]
    list_filter = ["kind"]
    search_fields = ["name", "ods_code", "postcode"]
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a website typed without a scheme

    def audit_partnerships(self, obj, *, before=None):
        return Membership.objects.listing_partnership_ids([obj.pk])

    def save_through_service(self, request, obj, form, change):
        if change:
            fields = changed_fields(form, services.ORGANISATION_FIELDS)
            return services.organisation_update(actor=request.user, organisation=saved_copy(obj), **fields)
        return services.organisation_register(actor=request.user, **form.cleaned_data)


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ["organisation", "partnership", "kind", "joined_on", "left_on"]
    list_filter = ["kind", "partnership"]
    search_fields = ["organisation__name", "organisation__ods_code", "partnership__code"]
    list_select_related = ["organisation", "partnership"]
    autocomplete_fields = ["organisation", "partnership"]
    actions = ["end_today"]

    def get_readonly_fields(self, request, obj=None):
        return ["partnership", "organisation"] if obj else []

    def save_through_service(self, request, obj, form, change):
        if change:
            fields = changed_fields(form, services.MEMBERSHIP_FIELDS)
            return services.membership_update(actor=request.user, membership=saved_copy(obj), **fields)
        return services.membership_add(actor=request.user, **form.cleaned_data)

    @admin.action(description="End the selected memberships today")
    def end_today(self, request, queryset):
        today = timezone.localdate()
        each_through_service(
            request,
            queryset.filter(left_on__isnull=True),
            lambda membership: services.membership_update(actor=request.user, membership=membership, left_on=today),
            "Memberships ended",
        )


@admin.register(Profile)
class ProfileAdmin(AuditedAdmin):
    """No service covers a profile outside a partnership: a service administrator corrects it here directly, and
    the change is recorded in every partnership that lists the organisation before or after it."""

    list_display = ["user", "organisation", "job_title", "is_clinician"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "job_title", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]

    def audit_partnerships(self, obj, *, before=None):
        return Membership.objects.listing_partnership_ids([obj.organisation_id, (before or {}).get("organisation")])


@admin.register(PartnershipRole)
class PartnershipRoleAdmin(ServiceAdmin):
    """Roles are granted and taken away through the role services; a grant itself is never edited. Whom the holder
    represents is set by `affiliation_set`, for all their roles in the partnership at once, and confirmed only by
    the organisation's administrators."""

    list_display = ["user", "content_object", "permission", "organisation", "organisation_confirmed_at"]
    list_filter = ["permission", "content_object"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "content_object__code"]
    list_select_related = ["user", "content_object", "permission", "organisation"]
    autocomplete_fields = ["user", "content_object", "organisation"]
    readonly_fields = ["organisation_confirmed_by", "organisation_confirmed_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:  # the organisation chosen here becomes the affiliation of all their roles in the partnership
            return ["user", "content_object", "permission", "organisation"]
        return ["user", "content_object", "permission", "organisation", *self.readonly_fields]

    def audit_partnerships(self, obj, *, before=None):
        return [obj.content_object_id]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the "take away" action below goes through role_revoke, which keeps the last lead

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "permission":
            kwargs["queryset"] = Permission.objects.filter(
                content_type__app_label="partnerships", codename__in=Role.values
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_through_service(self, request, obj, form, change):
        partnership, user, role = obj.content_object, obj.user, obj.permission.codename
        services.role_grant(actor=request.user, partnership=partnership, user=user, role=role)
        if obj.organisation is not None:
            services.affiliation_set(
                actor=request.user, partnership=partnership, user=user, organisation=obj.organisation
            )
        return PartnershipRole.objects.get(content_object=partnership, user=user, permission=obj.permission)

    @admin.action(description="Take away the selected roles")
    def revoke(self, request, queryset):
        each_through_service(
            request,
            queryset.select_related("user", "content_object", "permission"),
            lambda grant: services.role_revoke(
                actor=request.user, partnership=grant.content_object, user=grant.user, role=grant.permission.codename
            ),
            "Roles taken away",
        )


@admin.register(Delegation)
class DelegationAdmin(ServiceAdmin):
    """Who recorded and who confirmed a delegation is the services' to write: only the organisation's own
    administrators confirm it, on the pages."""

    list_display = [
        "organisation",
        "partnership",
        "delegate_display",
        "limit_pounds",
        "valid_from",
        "valid_to",
        "confirmed_at",
    ]
    list_filter = ["partnership"]
    search_fields = ["organisation__name", "organisation__ods_code", "delegate__username", "source_document"]
    list_select_related = ["organisation", "partnership", "delegate"]
    autocomplete_fields = ["organisation", "partnership", "delegate"]
    actions = ["end_today"]
    recorded = ["recorded_by", "confirmed_by", "confirmed_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["partnership", *self.recorded] if obj else self.recorded

    def audit_partnerships(self, obj, *, before=None):
        """Its own partnership and, as the delegation services record it, every partnership listing the
        organisation."""
        return sorted(
            {obj.partnership_id, *Membership.objects.listing_partnership_ids([obj.organisation_id])} - {None}
        ) or [None]

    def save_through_service(self, request, obj, form, change):
        if change:
            fields = changed_fields(form, services.DELEGATION_FIELDS)
            return services.delegation_update(actor=request.user, delegation=saved_copy(obj), **fields)
        fields = {name: form.cleaned_data[name] for name in services.DELEGATION_FIELDS}
        return services.delegation_create(actor=request.user, partnership=form.cleaned_data["partnership"], **fields)

    @admin.action(description="End the selected delegations today")
    def end_today(self, request, queryset):
        today = timezone.localdate()
        each_through_service(
            request,
            queryset.in_force(today),
            lambda delegation: services.delegation_update(actor=request.user, delegation=delegation, valid_to=today),
            "Delegations ended",
        )


@admin.register(Agreement)
class AgreementAdmin(ServiceAdmin):
    list_display = ["title", "partnership", "kind", "status", "review_on"]
    list_filter = ["kind", "status", "partnership"]
    search_fields = ["title"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["partnership", "parties"]
    exclude = ["document_size"]
    actions = ["mark_expired"]

    def get_readonly_fields(self, request, obj=None):
        return ["partnership"] if obj else []

    def save_through_service(self, request, obj, form, change):
        document = form.cleaned_data.get("document") if "document" in form.changed_data else None
        if change:
            return services.agreement_update(
                actor=request.user,
                agreement=saved_copy(obj),
                parties=form.cleaned_data["parties"] if "parties" in form.changed_data else None,
                document=document or None,
                **changed_fields(form, services.AGREEMENT_FIELDS),
            )
        return services.agreement_create(
            actor=request.user,
            partnership=form.cleaned_data["partnership"],
            parties=list(form.cleaned_data["parties"]),
            document=document or None,
            **{name: form.cleaned_data[name] for name in services.AGREEMENT_FIELDS},
        )

    @admin.action(description="Mark the selected agreements as expired")
    def mark_expired(self, request, queryset):
        each_through_service(
            request,
            queryset.exclude(status=AgreementStatus.EXPIRED),
            lambda agreement: services.agreement_update(
                actor=request.user, agreement=agreement, status=AgreementStatus.EXPIRED
            ),
            "Agreements marked expired",
        )


class OrganisationAdministratorForm(forms.ModelForm):
    class Meta:
        model = OrganisationRole
        fields = ["user", "content_object"]
        labels = {"user": "Administrator", "content_object": "Organisation"}


@admin.register(OrganisationRole)
class OrganisationRoleAdmin(ServiceAdmin):
    """Organisation administrators (board or company secretaries) are appointed and removed through the
    administration services, which write the audit record in every partnership listing the organisation and keep
    its last administrator; an appointment itself is never edited."""

    form = OrganisationAdministratorForm
    list_display = ["user", "content_object"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "content_object__name"]
    list_select_related = ["user", "content_object"]
    autocomplete_fields = ["user", "content_object"]
    actions = ["remove"]

    def audit_partnerships(self, obj, *, before=None):
        return Membership.objects.listing_partnership_ids([obj.content_object_id])

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the "remove" action below goes through the service, which keeps the last administrator

    def save_through_service(self, request, obj, form, change):
        organisation, user = form.cleaned_data["content_object"], form.cleaned_data["user"]
        services.organisation_administrator_appoint(actor=request.user, organisation=organisation, user=user)
        saved = OrganisationRole.objects.select_related("permission").get(content_object=organisation, user=user)
        obj.permission = saved.permission  # the admin names the new record in its log
        return saved

    @admin.action(description="Remove the selected administrators")
    def remove(self, request, queryset):
        each_through_service(
            request,
            queryset.select_related("user", "content_object"),
            lambda grant: services.organisation_administrator_remove(
                actor=request.user, organisation=grant.content_object, user=grant.user
            ),
            "Administrators removed",
        )


class CorrectionAnswerForm(forms.ModelForm):
    outcome = forms.ChoiceField(
        choices=[("accept", "Accept: change the record"), ("decline", "Decline: keep the record as it is")],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = OrganisationCorrection
        fields = ["answer"]


@admin.register(OrganisationCorrection)
class OrganisationCorrectionAdmin(ServiceAdmin):
    """A correction is proposed by a partnership lead on the pages; here a service administrator only answers a
    pending one, through the services (which make the change, or keep the record, and write the audit record)."""

    form = CorrectionAnswerForm
    list_display = ["organisation", "partnership", "status", "proposed_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "organisation__ods_code", "partnership__code"]
    list_select_related = ["organisation", "partnership", "proposed_by"]
    readonly_fields = [
        "organisation",
        "partnership",
        "proposed_by",
        "created_at",
        "changes",
        "reason",
        "status",
        "answered_by",
        "answered_at",
    ]
    actions = ["accept"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_pending:
            return [*self.readonly_fields, "outcome", "answer"]
        return [*self.readonly_fields, "answer"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None and obj.is_pending else [*self.readonly_fields, "answer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        """Answered corrections are the record of what happened: they are only read."""
        return super().has_change_permission(request, obj) and (obj is None or obj.is_pending)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_through_service(self, request, obj, form, change):
        answer = form.cleaned_data.get("answer", "")
        if form.cleaned_data["outcome"] == "accept":
            return services.correction_accept(actor=request.user, correction=obj, answer=answer)
        return services.correction_decline(actor=request.user, correction=obj, answer=answer)

    @admin.action(description="Accept the selected corrections (change the records)")
    def accept(self, request, queryset):
        each_through_service(
            request,
            queryset.select_related("organisation", "partnership"),
            lambda correction: services.correction_accept(actor=request.user, correction=correction),
            "Corrections accepted",
        )


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AuditedUserAdmin):
    """Core's audited user admin, with each change recorded in the history of every partnership the person holds a
    role in, where their name is shown (and the stored dashboard hears of it, reporting/selectors/dashboard_store.py);
    in the service's own history when they hold none."""

    def audit_partnerships(self, obj, *, before=None):
        roles = PartnershipRole.objects.filter(user_id=obj.pk).values_list("content_object_id", flat=True)
        return sorted(set(roles)) or [None]
