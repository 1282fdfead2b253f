"""Forms for work-streams: proposal and details, status, RAG, quorum rule, group seats and highlight reports."""

from django import forms

from core.forms import DateInputField, Form
from core.validators import reject_markup

from ..access import group_roles_open_to
from ..models import (
    GroupMember,
    GroupRole,
    HighlightReport,
    Rag,
    WorkStream,
    WorkStreamStatus,
)
from ..models.workstreams import VOTING_ROLES
from ..selectors.workstreams import member_organisations
from .base import InputForm, people_field


class WorkStreamForm(InputForm):
    class Meta:
        model = WorkStream
        fields = [
            "name",
            "priority_area",
            "purpose",
            "scope",
            "expected_benefits",
            "resources",
            "lead",
            "senior_responsible_owner",
            "clinical_lead",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4}) for name in ["purpose", "scope", "expected_benefits", "resources"]
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"] = people_field(partnership, "Lead", required=True, help_text="Joins the group as its lead.")
        self.fields["senior_responsible_owner"] = people_field(partnership, "Senior responsible owner", required=False)
        self.fields["clinical_lead"] = people_field(partnership, "Clinical lead", required=False)
        self.fields["name"].error_messages["required"] = "Enter the work-stream's name"
        self.fields["purpose"].error_messages["required"] = "Enter the work-stream's purpose"


class StatusForm(Form):
    """Offers the moves open to this person; any status is accepted, so the service explains a move not allowed."""

    status = forms.ChoiceField(label="New status", choices=WorkStreamStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why is the status changing?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        validators=[reject_markup],
        error_messages={"required": "Say why the status is changing"},
    )

    def __init__(self, *args, offered: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = offered
        self.fields["status"].error_messages["required"] = "Choose the new status"

    def offered_items(self) -> list[dict]:
        chosen = self["status"].value()
        return [
            {"value": status, "text": WorkStreamStatus(status).label, "checked": status == chosen}
            for status in self.offered
        ]


class RagForm(Form):
    rag = forms.ChoiceField(label="RAG rating", choices=Rag.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why this rating?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        validators=[reject_markup],
        error_messages={"required": "Say why the work-stream has this rating"},
    )


class QuorumForm(Form):
    quorum_minimum = forms.IntegerField(
        label="Minimum number of members present", required=False, min_value=1, max_value=200
    )
    quorum_percentage = forms.IntegerField(
        label="Percentage of members present",
        required=False,
        min_value=1,
        max_value=100,
        help_text="For example 50 for half the members, rounded up. The larger of the two applies.",
    )
    quorum_needs_clinician = forms.BooleanField(label="At least one clinician must be present", required=False)
    quorum_needs_non_executive = forms.BooleanField(
        label="At least one non-executive or lay member must be present", required=False
    )


class GroupMemberForm(InputForm):
    """A seat. Changing one offers only the seats its holder may have (`group_roles_open_to`); any seat is
    accepted, so the service explains one they may not."""

    class Meta:
        model = GroupMember
        fields = ["user", "role", "organisation", "deputy_for", "is_clinician", "is_non_executive"]
        widgets = {"role": forms.RadioSelect}

    def __init__(self, *args, workstream: WorkStream, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        partnership = workstream.partnership
        if adding:
            self.fields["user"] = people_field(partnership, "Person", required=True)
        else:
            del self.fields["user"]
        self.fields["role"].choices = GroupRole.choices
        # Adding, the person is chosen on the same form, so every seat is offered and the service refuses a seat
        # above their partnership role.
        self.offered_roles = GroupRole.values if adding else group_roles_open_to(self.instance.user, workstream)
        self.fields["organisation"].queryset = member_organisations(partnership)
        self.fields["organisation"].empty_label = "Their own organisation"
        self.fields["organisation"].help_text = "The organisation they represent. Leave as it is for their own."
        deputy_for = self.fields["deputy_for"]
        deputy_for.queryset = (
            GroupMember.objects.current()
            .filter(workstream=workstream, role__in=VOTING_ROLES)
            .exclude(pk=self.instance.pk)
            .select_related("user")
        )
        deputy_for.label = "Deputy for"
        deputy_for.empty_label = "No one named"
        deputy_for.label_from_instance = lambda member: str(member.user)
        if adding:
            # A new seat takes these from the person's profile and partnership roles; the lead changes them after.
            del self.fields["is_clinician"], self.fields["is_non_executive"]

    def role_items(self) -> list[dict]:
        chosen = self["role"].value()
        return [
            {"value": role, "text": GroupRole(role).label, "checked": role == chosen} for role in self.offered_roles
        ]


class HighlightReportForm(InputForm):
    class Meta:
        model = HighlightReport
        fields = ["period_start", "period_end", "rag", "progress", "risks_and_issues", "asks_of_board"]
        widgets = {
            "rag": forms.RadioSelect,
            "progress": forms.Textarea(attrs={"rows": 5}),
            "risks_and_issues": forms.Textarea(attrs={"rows": 4}),
            "asks_of_board": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"period_start": DateInputField, "period_end": DateInputField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rag"].choices = Rag.choices
