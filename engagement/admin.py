"""The Django admin shows engagement records read-only: every change goes through the services, from the pages or
the API, so it is checked and audited the same way whoever makes it."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import EngagementActivity, EngagementExpectation, Feedback, StakeholderGroup


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "parent", "partnership", "position"]
    list_select_related = ["parent", "partnership"]
    search_fields = ["name"]


@admin.register(EngagementActivity)
class EngagementActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "held_on", "method", "level", "partnership"]
    list_filter = ["method", "level", "partnership"]
    list_select_related = ["partnership"]
    search_fields = ["title"]
    date_hierarchy = "held_on"


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["theme", "status", "published", "partnership"]
    list_filter = ["status", "published", "partnership"]
    list_select_related = ["partnership"]
    search_fields = ["theme", "response"]


@admin.register(EngagementExpectation)
class EngagementExpectationAdmin(ReadOnlyAdmin):
    list_display = ["workstream", "group", "interval_days", "partnership"]
    list_select_related = ["workstream", "group", "partnership"]
