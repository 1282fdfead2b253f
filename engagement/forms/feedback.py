"""Forms for "you said, we did": recording what people said and the partnership's response."""

from django import forms
from django.db.models import Q

from core.forms import DateInputField, Form
from workstreams.models import Action, ActionStatus

from ..models import (
    EngagementActivity,
    FeedbackStatus,
    StakeholderGroup,
)

MAX_ACTIONS_OFFERED = 200  # the soonest due: a longer drop-down is no help to anyone


class FeedbackForm(Form):
    """Record one theme heard at an activity: "you said"."""

    theme = forms.CharField(
        label="What did people say?",
        max_length=300,
        help_text="One theme in a sentence, in their words where you can: 'We want appointments after work.'",
        error_messages={
            "required": "Enter what people said",
            "max_length": "What people said must be 300 characters or fewer; add more in the detail",
        },
    )
    groups = forms.ModelMultipleChoiceField(
        label="Who said it?",
        queryset=StakeholderGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the group or groups it came from",
            "invalid_choice": "Choose from the groups this activity reached",
        },
    )
    detail = forms.CharField(label="Detail (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, activity: EngagementActivity, **kwargs):
        super().__init__(*args, **kwargs)
        groups = StakeholderGroup.objects.filter(reach__activity=activity).order_by("position", "name")
        self.fields["groups"].queryset = groups
        if len(self.fields["groups"].queryset) == 1 and not self.is_bound:
            self.initial["groups"] = list(groups)


class ResponseForm(Form):
    """What was done about a theme: "we did"."""

    response = forms.CharField(
        label="What did you do?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Written for the people who raised it. It appears on the public page if you publish it.",
        error_messages={"required": "Enter what was done in response"},
    )
    status = forms.ChoiceField(
        label="Outcome",
        choices=[
            (FeedbackStatus.RESPONDED.value, "Responded: we have answered, and the outcome is still to come"),
            (FeedbackStatus.ACTED_ON.value, "Acted on: it changed what we do"),
            (FeedbackStatus.NOT_TAKEN_FORWARD.value, "Not taken forward: we have said why"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome", "invalid_choice": "Choose one of the outcomes"},
    )
    reason = forms.CharField(
        label="Why was it not taken forward?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if not taken forward.",
    )
    fed_back_on = DateInputField(
        label="Date fed back (optional)", required=False, help_text="When you told the people who raised it."
    )
    action = forms.ModelChoiceField(
        label="Action it led to (optional)",
        queryset=None,
        required=False,
        empty_label="No action",
        error_messages={"invalid_choice": "Choose an action from the list"},
    )
    published = forms.BooleanField(label="Publish this on the partnership's public page", required=False)

    def __init__(self, *args, feedback, outcomes=None, **kwargs):
        if not kwargs.get("data") and feedback.status != FeedbackStatus.OPEN:
            kwargs.setdefault(
                "initial",
                {
                    "response": feedback.response,
                    "status": feedback.status,
                    "reason": feedback.reason,
                    "fed_back_on": feedback.fed_back_on,
                    "action": feedback.action_id,
                    "published": feedback.published,
                },
            )
        super().__init__(*args, **kwargs)
        if outcomes is not None:  # only the outcomes the service would accept (`access.feedback_outcomes_open_to`)
            field = self.fields["status"]
            field.choices = [(value, label) for value, label in field.choices if value in outcomes]
        # The open actions of the work-streams the activity informs, and the one already linked.
        # The list is capped by a subquery, not by slicing the field's queryset: the field validates the choice
        # with `queryset.get(pk=...)`, which a sliced queryset refuses, so every action offered would be refused.
        activity = feedback.activity
        open_actions = Action.objects.filter(
            partnership_id=feedback.partnership_id,
            workstream__in=activity.workstreams.all(),
            status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
        )
        offered = Q(pk__in=open_actions.order_by("due_on", "id").values("pk")[:MAX_ACTIONS_OFFERED])
        if feedback.action_id:
            offered |= Q(pk=feedback.action_id)
        self.fields["action"].queryset = (
            Action.objects.filter(offered).select_related("workstream").order_by("due_on", "id")
        )
