"""Forms for logging an engagement activity and attaching its documents. They collect and convert input; the
services decide what is valid and write."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import DateInputField, Form
from partnerships.models import Organisation
from workstreams.models import WorkStream, WorkStreamStatus

from ..models import (
    GUNNING_FIELDS,
    LEVEL_MEANINGS,
    EngagementActivity,
    Level,
    Method,
    StakeholderGroup,
    validate_people_count,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
MAX_PEOPLE = 10_000_000
DOCUMENT_WIDGET = forms.FileInput(attrs={"accept": ".pdf,.docx,.doc,.odt,.xlsx,.pptx,.csv"})


def group_choices(groups: list[StakeholderGroup], empty_label: str) -> list[tuple]:
    """Choices of stakeholder groups, each main group followed by its sub-groups ("Clinicians: GPs")."""
    return [("", empty_label)] + [
        (group.pk, f"{group.parent.name}: {group.name}" if group.parent_id else group.name) for group in groups
    ]


def _level_choices():
    return [(level.value, f"{level.label}: {LEVEL_MEANINGS[level]}") for level in Level]


class ActivityForm(Form):
    """Log or correct an activity: what, when, whom it reached and how many, on one page, without JavaScript."""

    title = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter the title, like Diabetes pathway workshop",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    held_on = DateInputField(label="Date", error_messages={"required": "Enter the date it took place"})
    method = forms.ChoiceField(
        choices=[("", "Choose how")] + Method.choices, error_messages={"required": "Choose the method"}
    )
    level = forms.ChoiceField(
        label="Level of engagement",
        choices=[("", "Choose a level")] + _level_choices(),
        error_messages={"required": "Choose the level of engagement"},
    )
    workstreams = forms.ModelMultipleChoiceField(
        label="Work-streams it informs",
        queryset=WorkStream.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose work-streams from the list"},
    )
    themes_heard = forms.CharField(
        label="What people said",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The main themes, in brief. You can record each theme and your response afterwards.",
    )
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations involved",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose organisations from the list"},
    )
    seldom_heard_groups = forms.CharField(
        label="Seldom-heard or protected-characteristic groups reached",
        max_length=500,
        required=False,
        help_text="Leave blank if none. For example: people who are homeless, young carers, Deaf BSL users.",
    )
    gunning_formative = forms.ChoiceField(
        label="Were the proposals still at a formative stage, with no decision taken?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    gunning_sufficient_information = forms.ChoiceField(
        label="Did people have enough information to give an intelligent response?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    gunning_adequate_time = forms.ChoiceField(
        label="Did people have enough time to consider and respond?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    gunning_conscientious_consideration = forms.ChoiceField(
        label="Will the responses be taken into account before the decision?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    gunning_notes = forms.CharField(
        label="Notes on the Gunning principles", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(
        label="Attach a document (optional)",
        required=False,
        widget=DOCUMENT_WIDGET,
        help_text="Slides, notes or a report: PDF, Word, OpenDocument, Excel, PowerPoint or CSV, up to 10 MB.",
    )

    def __init__(self, *args, partnership, groups: list[StakeholderGroup], activity=None, **kwargs):
        if activity is not None and not kwargs.get("data"):
            kwargs.setdefault("initial", self.initial_for(activity))
        super().__init__(*args, **kwargs)
        self.groups = groups
        live = WorkStream.objects.filter(partnership=partnership).exclude(status=WorkStreamStatus.CLOSED)
        linked = activity.workstreams.all() if activity is not None else WorkStream.objects.none()
        self.fields["workstreams"].queryset = (live | linked).distinct().order_by("name")
        self.fields["organisations"].queryset = (
            Organisation.objects.filter(memberships__partnership=partnership).distinct().order_by("name")
        )
        if activity is not None:
            del self.fields["attachment"]  # documents are added on the activity's page
        for group in groups:
            self.fields[self.reach_field(group)] = _people_field(group)

    @staticmethod
    def reach_field(group: StakeholderGroup) -> str:
        return f"reach_{group.pk}"

    @staticmethod
    def initial_for(activity: EngagementActivity) -> dict:
        initial = {name: getattr(activity, name) for name in ["title", "held_on", "method", "level", "summary"]}
        initial.update(
            themes_heard=activity.themes_heard,
            seldom_heard_groups=activity.seldom_heard_groups,
            gunning_notes=activity.gunning_notes,
            workstreams=list(activity.workstreams.all()),
            organisations=list(activity.organisations.all()),
        )
        for name in GUNNING_FIELDS:
            value = getattr(activity, name)
            initial[name] = "" if value is None else ("yes" if value else "no")
        for row in activity.reach.all():
            initial[f"reach_{row.group_id}"] = row.people_count
        return initial

    def reach_rows(self):
        """Each group's count field with its group, for the template: main groups and their sub-groups."""
        return [(group, self[self.reach_field(group)]) for group in self.groups]

    def clean(self):
        cleaned = super().clean()
        fields = [self.reach_field(group) for group in self.groups]
        counted = any(cleaned.get(name) for name in fields) or any(name in self.errors for name in fields)
        if fields and not counted:
            self.add_error(fields[0], "Enter how many people you reached from at least one group")
        return cleaned

    def reach(self) -> dict[StakeholderGroup, int]:
        return {
            group: self.cleaned_data[self.reach_field(group)]
            for group in self.groups
            if self.cleaned_data.get(self.reach_field(group))
        }

    def details(self) -> dict:
        data = self.cleaned_data
        details = {
            "summary": data["summary"],
            "themes_heard": data["themes_heard"],
            "seldom_heard_groups": data["seldom_heard_groups"].strip(),
            "reached_seldom_heard": bool(data["seldom_heard_groups"].strip()),
            "gunning_notes": data["gunning_notes"],
        }
        for name in GUNNING_FIELDS:
            details[name] = {"yes": True, "no": False}.get(data[name])
        return details


def _people_field(group: StakeholderGroup) -> forms.IntegerField:
    def check(value):
        try:
            validate_people_count(value)
        except ValidationError as error:
            raise ValidationError(f"{group.name}: {error.messages[0][0].lower()}{error.messages[0][1:]}") from None

    return forms.IntegerField(
        label=group.name,
        required=False,
        max_value=MAX_PEOPLE,
        validators=[check],
        widget=forms.NumberInput(),
        error_messages={
            "invalid": f"{group.name}: enter the number of people as a whole number, like 12",
            "max_value": f"{group.name}: enter a number up to {MAX_PEOPLE:,}",
        },
    )


class AttachmentForm(Form):
    file = forms.FileField(
        label="Document",
        widget=DOCUMENT_WIDGET,
        help_text="PDF, Word, OpenDocument, Excel, PowerPoint or CSV, up to 10 MB.",
        error_messages={"required": "Choose a file to attach", "empty": "The selected file is empty"},
    )
    title = forms.CharField(
        max_length=200, required=False, help_text="Leave blank to use the file's name.", label="Title (optional)"
    )
