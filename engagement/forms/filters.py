"""The coverage page's GET form: its period and work-stream. Invalid values are shown in the error summary (with a 400)
and that choice ignored. The engagement log's and "you said, we did"'s filters are FilterSets, shared with the API
(`engagement.api.filters`)."""

from django import forms

from workstreams.models import WorkStream

from ..selectors.coverage import DEFAULT_PERIOD_DAYS

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
