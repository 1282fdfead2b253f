"""Forms for the lifecycle steps: a reason, a closing date, a later decision, a board meeting."""

from django import forms

from core.forms import Form
from partnerships.forms import date_field

from ..models import Decision, DecisionStatus
from .decisions import MeetingChoiceField, long_text


def reason_field(label: str = "Reason", *, required: bool = True, missing: str = "Enter the reason"):
    return long_text(label, max_length=2000, required=required, missing=missing)


class ReasonForm(Form):
    """Defer or withdraw: a reason, which goes into the history."""

    reason = reason_field()


class OpenSignoffForm(Form):
    closes_on = date_field(
        "Sign-off closes on",
        required=False,
        help_text="Leave blank for the partnership's usual sign-off period.",
    )
    reason = reason_field("Note for signatories", required=False)


class ReopenForm(Form):
    reason = reason_field("Why the decision is being reopened", missing="Say why the decision is being reopened")
    closes_on = OpenSignoffForm.base_fields["closes_on"]


class ExtendForm(Form):
    closes_on = date_field("New closing date", missing="Enter the new closing date")
    reason = reason_field("Why sign-off is extended", missing="Say why sign-off is extended")


class LaterDecisionField(forms.ModelChoiceField):
    def label_from_instance(self, decision: Decision) -> str:
        return f"{decision.reference}: {decision.title}"


class SupersedeForm(Form):
    superseded_by = LaterDecisionField(
        label="The later decision that replaces it",
        queryset=Decision.objects.none(),
        error_messages={
            "required": "Choose the later decision",
            "invalid_choice": "Choose an approved decision of this partnership",
        },
    )
    reason = reason_field("How it replaces this one", missing="Say how the later decision replaces this one")

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["superseded_by"].queryset = (
            Decision.objects.filter(partnership_id=decision.partnership_id, status=DecisionStatus.APPROVED)
            .exclude(pk=decision.pk)
            .order_by("-year", "-number")
        )


class BoardRatificationForm(Form):
    meeting = MeetingChoiceField(
        label="Board meeting",
        queryset=None,
        error_messages={
            "required": "Choose the board meeting",
            "invalid_choice": "Choose a board meeting held since the decision was approved, with its attendance "
            "recorded as quorate",
        },
    )

    def __init__(self, *args, meetings, **kwargs):
        """`meetings`: the board meetings that can ratify it, from `selectors.decisions.board_meetings_to_ratify_at`."""
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
