"""The Django admin for staff superusers: work-streams, meetings and actions to look at, not to change.

Every change to them goes through the services from the pages or the API, which check the group's rules, keep
guardian roles in step with the groups and write the audit trail; the admin would skip all three.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Action, ActionNote, AgendaItem, Attendance, GroupMember, HighlightReport, Meeting, WorkStream


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    fields = ["user", "organisation", "role", "deputy_for", "is_clinician", "is_non_executive", "joined_on", "left_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(WorkStream)
class WorkStreamAdmin(ReadOnlyAdmin):
    list_display = ["name", "partnership", "status", "rag", "lead"]
    list_filter = ["status", "rag", "partnership"]
    list_select_related = ["partnership", "lead"]
    search_fields = ["name", "partnership__code"]
    inlines = [GroupMemberInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["position", "title", "purpose", "presenter"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fields = ["user", "status", "deputy_for"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "starts_at", "status", "quorate"]
    list_filter = ["status", "partnership"]
    list_select_related = ["partnership"]
    date_hierarchy = "starts_at"
    search_fields = ["title", "partnership__code"]
    inlines = [AgendaItemInline, AttendanceInline]


class ActionNoteInline(admin.TabularInline):
    model = ActionNote
    fields = ["written_on", "author", "text", "from_status", "to_status"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "owner", "due_on", "status"]
    list_filter = ["status", "partnership"]
    list_select_related = ["partnership", "owner"]
    search_fields = ["description", "owner__username", "owner__last_name"]
    raw_id_fields = ["owner", "raised_by", "meeting", "agenda_item", "workstream"]
    inlines = [ActionNoteInline]


@admin.register(HighlightReport)
class HighlightReportAdmin(ReadOnlyAdmin):
    list_display = ["workstream", "period_start", "period_end", "rag"]
    list_filter = ["rag", "partnership"]
    list_select_related = ["workstream"]
