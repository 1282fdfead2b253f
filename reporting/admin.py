"""The Django admin for staff superusers: board digests and archives of a partnership's record are read here, never
written.
They change only through their services (pages, API), so audit trails, locks and notifications are never skipped."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Digest, PartnershipExport


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "period_end", "status", "built_at", "emailed_at"]
    list_filter = ["status"]
    list_select_related = ["partnership"]
    exclude = ["content"]  # the stored snapshot is read on the digest's own page


@admin.register(PartnershipExport)
class PartnershipExportAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "created_at", "requested_by", "status", "built_at", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["partnership", "requested_by"]
