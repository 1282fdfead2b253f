"""The admin for what core owns: accounts, second-factor devices, the worker heartbeat, and the audit trail (read
only). Every admin that writes records its writes in the audit trail (`core.admin_audit.AuditedAdmin`), including
Django's own account admins and django-otp's device admins, which are registered again here with it."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_audit import HIDDEN, AuditedAdmin
from .models import AuditEvent, SentEmail, User, WorkerHeartbeat

admin.site.site_header = "STP Portal administration"
admin.site.site_title = "STP Portal administration"


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through their services (so audit trails, locks and emails are never skipped):
    staff read them in the admin but never add, change or delete them there."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin, audited; a password set here is recorded as changed, never with its hash (the
    default of `audit_hidden_fields`)."""

    def user_change_password(self, request, id, form_url=""):
        """Django's password page saves the form itself, outside `save_model`: record the change here."""
        with transaction.atomic():
            before = User.objects.filter(pk=_int_or_none(unquote(id))).first()
            response = super().user_change_password(request, id, form_url)
            after = User.objects.filter(pk=before.pk).first() if before else None
            if after is not None and after.password != before.password:
                self.audit(request, after, "updated", before={"password": before.password}, after={"password": HIDDEN})
        return response


admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuditedTOTPDeviceAdmin(AuditedAdmin, TOTPDeviceAdmin):
    """Deleting a person's authenticator app here makes them set one up again: a change the trail must show."""

    audit_hidden_fields = ("key",)


admin.site.unregister(StaticDevice)


@admin.register(StaticDevice)
class AuditedStaticDeviceAdmin(AuditedAdmin, StaticDeviceAdmin):
    audit_hidden_fields = ("token",)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(AuditedAdmin):
    list_display = ["worker", "last_seen"]


@admin.register(SentEmail)
class SentEmailAdmin(ReadOnlyAdmin):
    list_display = ["key", "recipient", "sent_at"]
    list_select_related = ["recipient"]
    search_fields = ["key"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, to read: nobody adds, changes or deletes an event, here or anywhere."""

    list_display = ["chain", "sequence", "at", "action", "actor", "partnership_id", "summary", "request_id", "hash"]
    list_filter = ["action", "partnership_id", "at"]
    list_select_related = ["actor", "target_type"]
    search_fields = ["summary"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in AuditEvent._meta.concrete_fields]


def _int_or_none(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
