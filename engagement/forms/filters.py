"""The GET forms of the lists: the engagement log's and "you said, we did"'s filters, and the coverage page's period.
Invalid values are shown in the error summary (with a 400) and that filter ignored."""

from django import forms

from workstreams.models import WorkStream

from ..models import FeedbackStatus, Level, Method, StakeholderGroup
from ..selectors.coverage import DEFAULT_PERIOD_DAYS
from .activities import DATE_ERRORS, DATE_WIDGET, group_choices


class ActivityFilterForm(forms.Form):
    """The engagement log's filters (a GET form). Invalid values are shown, and the filter ignored."""

    workstream = forms.ModelChoiceField(
        label="Work-stream",
        queryset=WorkStream.objects.none(),
        required=False,
        empty_label="All work-streams",
        error_messages={"invalid_choice": "Choose a work-stream from the list."},
    )
    group = forms.ModelChoiceField(
        label="Stakeholder group",
        queryset=StakeholderGroup.objects.none(),
        required=False,
        empty_label="All groups",
        error_messages={"invalid_choice": "Choose a group from the list."},
    )
    method = forms.ChoiceField(
        choices=[("", "All methods")] + Method.choices,
        required=False,
        error_messages={"invalid_choice": "Choose a method from the list."},
    )
    level = forms.ChoiceField(
        choices=[("", "All levels")] + Level.choices,
        required=False,
        error_messages={"invalid_choice": "Choose a level from the list."},
    )
    start = forms.DateField(label="From", required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    end = forms.DateField(label="To", required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS)

    def __init__(self, *args, partnership, groups: list[StakeholderGroup], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstream"].queryset = WorkStream.objects.filter(partnership=partnership).order_by("name")
        self.fields["group"].queryset = StakeholderGroup.objects.filter(pk__in=[group.pk for group in groups])
        self.fields["group"].choices = group_choices(groups, "All groups")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The 'to' date must be the same as or after the 'from' date.")
        return cleaned

    def filters(self) -> dict:
        """The valid filters, for `selectors.filter_activities`."""
        if not self.is_bound:
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value and name not in self.errors}


class FeedbackFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "All outcomes")] + FeedbackStatus.choices,
        required=False,
        label="Outcome",
        error_messages={"invalid_choice": "Choose an outcome from the list."},
    )
    workstream = forms.ModelChoiceField(
        label="Work-stream",
        queryset=WorkStream.objects.none(),
        required=False,
        empty_label="All work-streams",
        error_messages={"invalid_choice": "Choose a work-stream from the list."},
    )
    published = forms.ChoiceField(
        label="Public page",
        choices=[("", "Published or not"), ("yes", "Published"), ("no", "Not published")],
        required=False,
        error_messages={"invalid_choice": "Choose published or not published."},
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstream"].queryset = WorkStream.objects.filter(partnership=partnership).order_by("name")

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value and name not in self.errors}


PERIOD_CHOICES = [("90", "3 months"), ("182", "6 months"), (str(DEFAULT_PERIOD_DAYS), "12 months"), ("730", "2 years")]


class CoverageForm(forms.Form):
    period = forms.TypedChoiceField(
        label="Count activities over the last",
        choices=PERIOD_CHOICES,
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "Choose a period from the list."},
    )
    workstream = forms.ModelChoiceField(
        label="Work-stream",
        queryset=WorkStream.objects.none(),
        required=False,
        empty_label="All work-streams",
        error_messages={"invalid_choice": "Choose a work-stream from the list."},
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstream"].queryset = WorkStream.objects.filter(partnership=partnership).order_by("name")

    def chosen_workstream(self):
        """The work-stream to show alone, if one was validly chosen."""
        if self.is_bound and "workstream" not in self.errors:
            return self.cleaned_data.get("workstream")
        return None

    def period_days(self) -> int:
        if self.is_bound and "period" not in self.errors and self.cleaned_data.get("period"):
            return self.cleaned_data["period"]
        return DEFAULT_PERIOD_DAYS
