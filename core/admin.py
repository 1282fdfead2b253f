from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import SentEmail, User, WorkerHeartbeat

admin.site.site_header = "STP Portal administration"
admin.site.site_title = "STP Portal administration"
admin.site.register(User, UserAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through their services (so audit trails, locks and emails are never skipped):
    staff read them in the admin but never add, change or delete them there."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker", "last_seen"]


@admin.register(SentEmail)
class SentEmailAdmin(ReadOnlyAdmin):
    list_display = ["key", "recipient", "sent_at"]
    list_select_related = ["recipient"]
    search_fields = ["key"]
