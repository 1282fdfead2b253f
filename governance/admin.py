"""The Django admin for staff superusers: decisions, risks and their records are read here, never written.
They change only through their services (pages, API), so audit trails, locks and notifications are never skipped."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import (
    Challenge,
    Decision,
    DecisionDeclaration,
    DecisionSettings,
    InterestDeclaration,
    Ratification,
    Risk,
    RiskReview,
    SignOff,
    SignOffRound,
)


class SignOffRoundInline(admin.TabularInline):
    model = SignOffRound
    fields = ["number", "opened_at", "closes_at", "closed_at", "outcome", "rule", "hide_votes"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "partnership", "category", "status", "is_urgent", "visibility", "created_at"]
    list_filter = ["status", "category", "is_urgent", "visibility"]
    search_fields = ["reference", "title"]
    list_select_related = ["partnership"]
    inlines = [SignOffRoundInline]


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ["decision", "organisation", "signatory", "vote", "signed_at", "superseded_at"]
    list_select_related = ["decision", "organisation", "signatory"]
    search_fields = ["decision__reference"]


@admin.register(Ratification)
class RatificationAdmin(ReadOnlyAdmin):
    list_display = ["decision", "organisation", "body", "ratified_on", "outcome"]
    list_select_related = ["decision", "organisation"]


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ["decision", "kind", "raised_by", "is_non_executive", "raised_at", "responded_at"]
    list_select_related = ["decision", "raised_by"]


@admin.register(DecisionDeclaration)
class DecisionDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["decision", "person", "position", "kind"]
    list_select_related = ["decision", "person"]


@admin.register(InterestDeclaration)
class InterestDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["person", "partnership", "kind", "valid_from", "valid_to"]
    list_select_related = ["person", "partnership"]
    list_filter = ["kind"]


@admin.register(DecisionSettings)
class DecisionSettingsAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "rule", "quorum_percentage", "majority_percentage", "hide_votes_until_closed"]
    list_select_related = ["partnership"]


@admin.register(Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "partnership", "tier", "current_score", "status", "next_review_on"]
    list_filter = ["status", "tier"]
    search_fields = ["reference", "title"]
    list_select_related = ["partnership"]


@admin.register(RiskReview)
class RiskReviewAdmin(ReadOnlyAdmin):
    list_display = ["risk", "reviewed_on", "reviewer", "likelihood", "consequence"]
    list_select_related = ["risk", "reviewer"]
