"""The engagement evidence on the proposal form, and the form that links an activity to a decision from the
activity's page.

The form offers a short list — the work-stream's engagement first, then the partnership's latest, then whatever is
already linked — and accepts only what it offered; the services check the partnership again, so the API, which takes
any of the partnership's ids, gets the same answer for someone else's."""

from django import forms
from django.utils import dateformat

from core.forms import Form, field_params
from engagement.models import EngagementActivity, Feedback
from partnerships.models import Partnership
from workstreams.models import WorkStream

from ..models import Decision
from ..selectors.evidence import activities_to_offer, feedback_to_offer


def evidence_field(label: str, *, help_text: str, invalid: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=EngagementActivity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"invalid_choice": invalid, "invalid_pk_value": invalid},
    )


def _day(value) -> str:
    return dateformat.format(value, "j F Y")


def _groups(activity: EngagementActivity) -> str:
    return ", ".join(f"{row.group.name} ({row.people_count:,})" for row in activity.reach.all())


def activity_hint(activity: EngagementActivity, workstream: WorkStream | None) -> str:
    """ "12 March 2026. Workshop, involve. Patients and carers (12), GPs (5). Diabetes work-stream." """
    hint = f"{_day(activity.held_on)}. {activity.get_method_display()}, {activity.get_level_display().lower()}."
    if groups := _groups(activity):
        hint += f" {groups}."
    return hint + (f" {workstream.name} work-stream." if workstream else "")


def feedback_hint(item: Feedback, workstream: WorkStream | None) -> str:
    """ "Acted on. From Patients and carers. Heard at Diabetes pathway workshop, 12 March 2026." """
    groups = ", ".join(group.name for group in item.groups.all())
    hint = f"{item.get_status_display()}. From {groups}. " if groups else f"{item.get_status_display()}. "
    hint += f"Heard at {item.activity.title}, {_day(item.activity.held_on)}."
    return hint + (f" {workstream.name} work-stream." if workstream else "")


def _chosen_workstream(form: forms.Form, partnership: Partnership) -> WorkStream | None:
    """The work-stream whose engagement comes first: the one submitted, or the one the form started with."""
    value = form.data.get("workstream") if form.is_bound else form.initial.get("workstream")
    value = str(getattr(value, "pk", value) or "")
    return WorkStream.objects.filter(partnership=partnership, pk=value).first() if value.isdigit() else None


def _ids(values) -> list[int]:
    return [getattr(value, "pk", value) for value in values or []]


def offer_evidence(form: forms.Form, partnership: Partnership) -> None:
    """Fill the evidence fields' choices and each box's hint (six queries); the form accepts only these."""
    workstream = _chosen_workstream(form, partnership)
    form.evidence_hints = {}
    for name, model, offer, hint in (
        ("engagement_activities", EngagementActivity, activities_to_offer, activity_hint),
        ("feedback_addressed", Feedback, feedback_to_offer, feedback_hint),
    ):
        records, suggested = offer(partnership, workstream=workstream, linked=_ids(form.initial.get(name)))
        field = form.fields[name]
        field.queryset = model.objects.filter(partnership=partnership, pk__in=[record.pk for record in records])
        field.choices = [
            (record.pk, str(record.title if model is EngagementActivity else record)) for record in records
        ]
        form.evidence_hints[name] = {
            str(record.pk): hint(record, workstream if record.pk in suggested else None) for record in records
        }


def evidence_params(form: forms.Form, name: str) -> dict:
    """The NHS.UK checkboxes' parameters for an evidence field, each box with its hint."""
    params = field_params(form[name])
    params.pop("id", None)
    for item in params["items"]:
        item["hint"] = {"text": form.evidence_hints[name].get(item["value"], "")}
    return params


class LinkToDecisionForm(Form):
    """From an activity's page: which of the person's decisions it informs."""

    decision = forms.ModelChoiceField(
        label="Which decision does it inform?",
        queryset=Decision.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the decision it informs",
            "invalid_choice": "Choose one of the decisions listed",
        },
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        decisions = list(decisions)
        field = self.fields["decision"]
        field.queryset = Decision.objects.filter(pk__in=[decision.pk for decision in decisions])
        field.choices = [(decision.pk, f"{decision.reference}: {decision.title}") for decision in decisions]
        self.hints = {
            str(decision.pk): f"{decision.get_status_display()}"
            + (f". {decision.workstream.name} work-stream" if decision.workstream else "")
            for decision in decisions
        }

    def decision_params(self) -> dict:
        params = field_params(self["decision"])
        for item in params["items"]:
            item["hint"] = {"text": self.hints.get(item["value"], "")}
        return params
