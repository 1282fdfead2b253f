"""The filters of the lists behind the dashboard's figures: the partnership's actions, attendance and agenda items.

Each is read from the query string and offers only the partnership's own work-streams and organisations, so an id
from another partnership is refused ("Select a valid choice") rather than shown."""

from django import forms

from partnerships.access import organisations_of
from partnerships.forms import date_field
from partnerships.models import Partnership
from workstreams.models import AgendaPurpose, WorkStream
from workstreams.selectors.workstreams import ACTION_STATES

BOARD = "board"  # the partnership board, where a work-stream is asked for
NO_ORGANISATION = "none"


def _invalid(what: str) -> dict:
    return {"invalid_choice": f"Choose {what} from the list"}


class ListFilterForm(forms.Form):
    """Valid filters only: a bad value is shown as an error and the view answers 400."""

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


class ActionFilterForm(ListFilterForm):
    state = forms.ChoiceField(
        label="Status", required=False, choices=list(ACTION_STATES.items()), error_messages=_invalid("a status")
    )
    workstream = forms.ChoiceField(label="Work-stream", required=False, error_messages=_invalid("a work-stream"))
    organisation = forms.ChoiceField(
        label="Owner's organisation", required=False, error_messages=_invalid("an organisation")
    )
    due_from = date_field("Due from", required=False)
    due_to = date_field("Due to", required=False)
    completed_from = date_field("Completed from", required=False)
    completed_to = date_field("Completed to", required=False)

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        workstreams = WorkStream.objects.filter(partnership=partnership).order_by("name").values_list("pk", "name")
        self.fields["workstream"].choices = [
            ("", "Any"),
            (BOARD, "Partnership board"),
            *((str(pk), name) for pk, name in workstreams),
        ]
        self.fields["organisation"].choices = [
            ("", "Any"),
            (NO_ORGANISATION, "No organisation recorded"),
            *((str(pk), name) for pk, name in organisations_of(partnership).order_by("name").values_list("pk", "name")),
        ]


class AttendanceFilterForm(ListFilterForm):
    organisation = forms.ChoiceField(label="Organisation", required=False, error_messages=_invalid("an organisation"))
    absent = forms.ChoiceField(
        label="Persistently absent only",
        required=False,
        choices=[("", "Everyone"), ("yes", "Persistently absent")],
        error_messages=_invalid("everyone or persistently absent"),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            ("", "Any"),
            (NO_ORGANISATION, "No organisation recorded"),
            *((str(pk), name) for pk, name in organisations_of(partnership).order_by("name").values_list("pk", "name")),
        ]


class AgendaFilterForm(ListFilterForm):
    purpose = forms.ChoiceField(
        label="Purpose",
        required=False,
        choices=[("", "Any"), *AgendaPurpose.choices],
        error_messages=_invalid("a purpose"),
    )
    body = forms.ChoiceField(
        label="Meetings of",
        required=False,
        choices=[("", "The board and the work-streams"), (BOARD, "The board"), ("groups", "The work-streams' groups")],
        error_messages=_invalid("whose meetings"),
    )
