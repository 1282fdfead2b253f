"""The coverage page's GET form: its period and work-stream. Invalid values are shown in the error summary (with a 400)
and that choice ignored. The engagement log's and "you said, we did"'s filters are FilterSets, shared with the API
(`engagement.api.filters`)."""

from django import forms
from django.http import QueryDict

from core.forms import Form
from workstreams.models import WorkStream

from ..selectors.coverage import DEFAULT_PERIOD_DAYS

PERIOD_CHOICES = [("90", "3 months"), ("182", "6 months"), (str(DEFAULT_PERIOD_DAYS), "12 months"), ("730", "2 years")]


class CoverageForm(Form):
    period = forms.TypedChoiceField(
        label="Count activities over the last",
        choices=PERIOD_CHOICES,
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "Choose a period from the list"},
    )
    workstream = forms.ModelChoiceField(
        label="Work-stream",
        queryset=WorkStream.objects.none(),
        required=False,
        empty_label="All work-streams",
        error_messages={"invalid_choice": "Choose a work-stream from the list"},
    )

    def __init__(self, data=None, *, partnership, **kwargs):
        # Always bound, with the default period filled in: the drop-down then shows the period the page counts, and
        # choosing a work-stream (which submits the period shown) keeps it.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("period"):
            data["period"] = str(DEFAULT_PERIOD_DAYS)
        super().__init__(data, **kwargs)
        self.fields["workstream"].queryset = WorkStream.objects.filter(partnership=partnership).order_by("name")

    def full_clean(self):
        super().full_clean()
        if "period" in self.errors:  # the default is counted instead of a bad period: show that one
            self.data["period"] = str(DEFAULT_PERIOD_DAYS)

    def chosen_workstream(self):
        """The work-stream to show alone, if one was validly chosen."""
        if "workstream" not in self.errors:
            return self.cleaned_data.get("workstream")
        return None

    def period_days(self) -> int:
        """The days counted: the period chosen, or DEFAULT_PERIOD_DAYS (the drop-down shows which)."""
        if "period" not in self.errors and self.cleaned_data.get("period"):
            return self.cleaned_data["period"]
        return DEFAULT_PERIOD_DAYS
