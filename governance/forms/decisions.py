"""Forms for proposing and editing a decision, publication and the decision rule. The register's filters are
`governance.api.filters.DecisionFilter`.

They check what was typed and offer only the partnership's own work-streams, meetings and organisations; the
services check everything again, so the API gets the same answers."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from core.forms import Form, pounds_field
from partnerships.forms import date_field, member_organisations, text_field
from partnerships.models import DecisionCategory, Partnership
from workstreams.models import Meeting, WorkStream

from ..models import DecisionRule, DecisionSettings, Visibility
from .evidence import evidence_field, evidence_params, offer_evidence


def long_text(label: str, *, max_length: int, required: bool = True, missing: str = "", help_text: str = ""):
    return text_field(
        label,
        required=required,
        max_length=max_length,
        missing=missing,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


def check_confidential(form: forms.Form, data: dict) -> None:
    if data.get("visibility") == Visibility.CONFIDENTIAL:
        if not data.get("confidential_reason"):
            form.add_error("confidential_reason", "Say why the decision is confidential")
        if not data.get("confidential_review_on"):
            form.add_error("confidential_review_on", "Enter when the reason for confidentiality will be reviewed")


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return f"{meeting.group_name}: {meeting}"


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, organisation) -> str:
        return organisation.name


def recent_meetings(partnership: Partnership):
    """Meetings a proposal may come from: the board's and the work-streams', from the last year and to come."""
    since = timezone.now() - timedelta(days=365)
    return (
        Meeting.objects.filter(partnership=partnership, starts_at__gte=since)
        .select_related("workstream")
        .order_by("-starts_at")
    )


class DecisionForm(Form):
    title = text_field("Title", missing="Enter a title for the decision")
    case = long_text(
        "The case for the decision",
        max_length=20000,
        missing="Enter the case for the decision",
        help_text="What is proposed, why, and what it will cost and change.",
    )
    options_considered = long_text(
        "Options considered", max_length=10000, required=False, help_text="The other options, including doing nothing."
    )
    reason_for_choice = long_text("Why this option", max_length=5000, required=False)
    category = forms.ChoiceField(
        label="Category",
        choices=DecisionCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a category", "invalid_choice": "Choose a category from the list"},
    )
    value_pounds = pounds_field(
        "Value in pounds",
        noun="value",
        help_text="What it commits the partners to. Leave blank if no money is involved.",
    )
    workstream = forms.ModelChoiceField(
        label="Work-stream",
        queryset=WorkStream.objects.none(),
        required=False,
        empty_label="None",
        help_text="The work-stream it comes from. To establish a work-stream, choose the proposed one.",
        error_messages={"invalid_choice": "Choose a work-stream of this partnership"},
    )
    meeting = MeetingChoiceField(
        label="Meeting",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="None",
        help_text="The meeting it comes from, if any.",
        error_messages={"invalid_choice": "Choose a meeting of this partnership"},
    )
    bound_organisations = OrganisationsField(
        label="Organisations it would bind",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every full member is chosen to start with.",
        error_messages={
            "required": "Choose at least one organisation the decision would bind",
            "invalid_choice": "Choose organisations that are members of this partnership",
        },
    )
    engagement_activities = evidence_field(
        "Engagement that informs it",
        help_text="The work-stream's engagement comes first. Older activities can be linked from their own page.",
        invalid="Choose engagement activities of this partnership from the list",
    )
    feedback_addressed = evidence_field(
        'What people said that it answers ("you said, we did")',
        help_text="Themes heard in engagement that this decision responds to.",
        invalid='Choose "you said" items of this partnership from the list',
    )
    review_on = date_field("Review date", required=False, help_text="When the decision should be looked at again.")
    visibility = forms.ChoiceField(
        label="Publication",
        choices=[
            (Visibility.PUBLIC, "Public: published on the partnership's public page once approved"),
            (Visibility.CONFIDENTIAL, "Confidential: kept within the partnership board"),
        ],
        widget=forms.RadioSelect,
        initial=Visibility.PUBLIC,
        error_messages={"required": "Choose whether the decision is public or confidential"},
    )
    confidential_reason = long_text(
        "Why it is confidential", max_length=2000, required=False, help_text="Only if confidential."
    )
    confidential_review_on = date_field(
        "Review the reason for confidentiality on", required=False, help_text="Only if confidential."
    )

    def __init__(self, *args, partnership: Partnership, can_mark_urgent: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["workstream"].queryset = WorkStream.objects.filter(partnership=partnership).order_by("name")
        self.fields["meeting"].queryset = recent_meetings(partnership)
        self.fields["bound_organisations"].queryset = member_organisations(partnership)
        offer_evidence(self, partnership)
        if can_mark_urgent:
            self.fields["is_urgent"] = forms.BooleanField(
                label="Urgent: taken between board meetings",
                required=False,
                help_text="The next board meeting must ratify it.",
            )
            self.fields["urgent_reason"] = long_text("Why it cannot wait", max_length=2000, required=False)

    def evidence_params(self, name: str) -> dict:
        return evidence_params(self, name)

    def clean(self):
        data = super().clean()
        check_confidential(self, data)
        if data.get("is_urgent") and not data.get("urgent_reason"):
            self.add_error("urgent_reason", "Say why the decision cannot wait for the next board meeting")
        return data


class PublicationForm(Form):
    visibility = DecisionForm.base_fields["visibility"]
    confidential_reason = DecisionForm.base_fields["confidential_reason"]
    confidential_review_on = DecisionForm.base_fields["confidential_review_on"]

    def clean(self):
        data = super().clean()
        check_confidential(self, data)
        return data


class DecisionSettingsForm(Form):
    rule = forms.ChoiceField(
        label="Decision rule",
        choices=DecisionRule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision rule"},
    )
    quorum_percentage = forms.IntegerField(
        label=DecisionSettings._meta.get_field("quorum_percentage").verbose_name.capitalize(),
        min_value=1,
        max_value=100,
        widget=forms.NumberInput,
        help_text=DecisionSettings._meta.get_field("quorum_percentage").help_text,
        error_messages={
            "required": "Enter the quorum as a percentage",
            "invalid": "Enter the quorum as a whole number, like 50",
            "min_value": "The quorum must be at least 1%",
            "max_value": "The quorum cannot be more than 100%",
        },
    )
    majority_percentage = forms.IntegerField(
        label=DecisionSettings._meta.get_field("majority_percentage").verbose_name.capitalize(),
        min_value=50,
        max_value=99,
        widget=forms.NumberInput,
        help_text=DecisionSettings._meta.get_field("majority_percentage").help_text,
        error_messages={
            "required": "Enter the majority as a percentage",
            "invalid": "Enter the majority as a whole number, like 50",
            "min_value": "The majority must be at least 50%",
            "max_value": "The majority must be 99% or less",
        },
    )
    hide_votes_until_closed = forms.BooleanField(
        label="Hide votes from other signatories until sign-off closes",
        required=False,
        help_text=DecisionSettings._meta.get_field("hide_votes_until_closed").help_text,
    )
    unconfirmed_delegations_count = forms.BooleanField(
        label="Count delegations the lead recorded before the organisation confirms them",
        required=False,
        help_text=DecisionSettings._meta.get_field("unconfirmed_delegations_count").help_text,
    )
    signoff_days = forms.IntegerField(
        label="Sign-off period in days",
        min_value=1,
        max_value=90,
        widget=forms.NumberInput,
        help_text=DecisionSettings._meta.get_field("signoff_days").help_text,
        error_messages={
            "required": "Enter the sign-off period in days",
            "invalid": "Enter the sign-off period as a whole number of days, like 14",
            "min_value": "The sign-off period must be at least 1 day",
            "max_value": "The sign-off period must be 90 days or fewer",
        },
    )
