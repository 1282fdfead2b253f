"""Forms for actions: raising and changing one, and recording its progress."""

from django import forms

from core.forms import DateInputField, Form
from core.validators import reject_markup

from ..models import (
    Action,
    ActionStatus,
    Meeting,
)
from ..selectors.workstreams import member_organisations
from .base import InputForm, people_field


class ActionForm(InputForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "owner_organisation", "due_on", "agenda_item"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"due_on": DateInputField}

    def __init__(self, *args, partnership, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["required"] = "Describe the action"
        self.fields["owner"] = people_field(partnership, "Owner", required=True, help_text="The person who will do it.")
        organisation = self.fields["owner_organisation"]
        organisation.queryset = member_organisations(partnership)
        organisation.empty_label = "The owner's own organisation"
        organisation.label = "Owner's organisation"
        self.fields["due_on"].error_messages["required"] = "Enter the date the action is due"
        if meeting is None:
            del self.fields["agenda_item"]
        else:
            item = self.fields["agenda_item"]
            item.queryset = meeting.agenda_items.all()
            item.label = "Agenda item it arose from"
            item.empty_label = "Not tied to one item"


class ActionProgressForm(Form):
    """A progress note and, if wanted, a new status: offers the moves open to this person, accepts any status so
    the service explains a move that is not allowed."""

    text = forms.CharField(
        label="Progress note",
        required=False,
        max_length=2000,
        validators=[reject_markup],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", ""), *ActionStatus.choices])

    def __init__(self, *args, action: Action, offered: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.action, self.offered = action, offered

    def offered_items(self) -> list[dict]:
        chosen = self["status"].value() or ""
        keep = {"value": "", "text": f"Keep as {self.action.get_status_display().lower()}", "selected": not chosen}
        return [keep] + [
            {"value": status, "text": ActionStatus(status).label, "selected": status == chosen}
            for status in self.offered
        ]
