"""Forms for the coverage rules: how often a work-stream should engage a group, and a partnership's own groups."""

from django import forms

from core.forms import Form
from engagement.forms.activities import group_choices
from workstreams.models import WorkStream

from ..models import (
    StakeholderGroup,
)


class ExpectationForm(Form):
    workstream = forms.ModelChoiceField(
        label="Work-stream",
        queryset=WorkStream.objects.none(),
        empty_label="Choose a work-stream",
        error_messages={
            "required": "Choose the work-stream",
            "invalid_choice": "Choose a work-stream whose expectations you can set",
        },
    )
    group = forms.ModelChoiceField(
        label="Stakeholder group",
        queryset=StakeholderGroup.objects.none(),
        empty_label="Choose a group",
        error_messages={"required": "Choose the group", "invalid_choice": "Choose a group from the list"},
    )
    interval_days = forms.IntegerField(
        label="Engage them at least every (days)",
        help_text="For example 90 for every three months. Setting a group again changes its interval.",
        widget=forms.NumberInput(),
        error_messages={
            "required": "Enter how often, in days",
            "invalid": "Enter a whole number of days, like 90",
        },
    )

    def __init__(self, *args, workstreams, groups: list[StakeholderGroup], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstream"].queryset = workstreams.order_by("name")
        self.fields["group"].queryset = StakeholderGroup.objects.filter(pk__in=[group.pk for group in groups])
        self.fields["group"].choices = group_choices(groups, "Choose a group")


class StakeholderGroupForm(Form):
    name = forms.CharField(
        max_length=100,
        error_messages={"required": "Enter the group's name", "max_length": "Name must be 100 characters or fewer"},
    )
    parent = forms.ModelChoiceField(
        label="Part of (optional)",
        queryset=StakeholderGroup.objects.none(),
        required=False,
        empty_label="Not part of another group",
        help_text="For a sub-group, such as pharmacists within clinicians.",
        error_messages={"invalid_choice": "Choose a main group from the list"},
    )
    description = forms.CharField(label="Description (optional)", max_length=200, required=False)

    def __init__(self, *args, groups: list[StakeholderGroup], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = StakeholderGroup.objects.filter(
            pk__in=[group.pk for group in groups if group.parent_id is None]
        )
