"""What the registers' filters share: one django-filter `FilterSet` per list serves both its page and its API list,
so the two cannot drift apart (issue 13).

A page builds its FilterSet with `for_page()` from the query string, renders `filterset.form` in its sidebar through
`field()` in templates/includes/forms.html and lists `filterset.qs`; the API viewset names it as `filterset_class`.
Each app's FilterSets live in its `api/filters.py`, beside the API that documents their parameters.

- A model choice (`ModelChoiceFilter`) offers only what the reader may see: the page's partnership's records, or on
  the API those of every partnership the reader is in. Someone else's id is refused with a message, never matched.
- A yes-or-no filter (`YesNoFilter`) reads the page's `yes` and the API's `true` and `false` alike.
- A choice the page offers in a select (`OneOrMoreFilter`) may be repeated on the API: `?status=open&status=closed`.
- Dates use the NHS.UK date input (`core.forms.DateInputField`), which also takes an ISO date, `2027-03-27`, under
  the plain name, as the API and the dashboard's links send it.

A bad value is shown on the page's form (and dropped, the other filters still applied); the API answers 400 with
the message, through django-filter's backend.
"""

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import QueryDict

from .form_messages import NamedErrors
from .forms import DateInputField

ANY = "Any"


class RegisterFilterSet(django_filters.FilterSet):
    """A list's filters, for its page and its API alike.

    `page_filters` names the filters the page's sidebar shows, in order; the API offers every filter. On a page the
    FilterSet knows the partnership (`self.partnership`), which narrows what its model choices offer. A filter's
    `help_text` describes it in the API's schema only: a page shows the label alone, as the sidebar is short.
    """

    page_filters: tuple[str, ...] = ()
    page_defaults: dict[str, str] = {}

    def __init__(
        self, data=None, queryset=None, *, request=None, prefix=None, partnership=None, page=None, defaults=None
    ):
        self.defaults = dict(defaults or {})
        if self.defaults:
            data = data.copy() if data is not None else QueryDict(mutable=True)
            for name, value in self.defaults.items():
                if not data.get(name):
                    data[name] = value
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.partnership = partnership
        if page is not None:
            self.filters = {name: self.filters[name] for name in page}
            for filter_ in self.filters.values():
                filter_.extra.pop("help_text", None)
                vars(filter_).pop("_field", None)  # a field built for the API's schema would keep its help_text

    @classmethod
    def for_page(cls, request, queryset, *, partnership=None, shown=None, defaults=None):
        """The filters a page shows (`page_filters`, unless `shown` names others), read from its query string.
        `defaults` (`page_defaults` unless given) are where the page starts (the risk register shows open risks
        until asked otherwise); one applies too when its value is not valid, as the pages always did."""
        return cls(
            request.GET,
            queryset,
            request=request,
            partnership=partnership,
            page=cls.page_filters if shown is None else shown,
            defaults=cls.page_defaults if defaults is None else defaults,
        )

    @property
    def user(self):
        return getattr(self.request, "user", None) or AnonymousUser()

    def in_partnership(self, queryset: QuerySet) -> QuerySet:
        """Of what the reader may see, the page's partnership's; on the API, all of it."""
        return queryset if self.partnership is None else queryset.filter(partnership=self.partnership)

    def get_form_class(self):
        """The filters' form, with its messages in the voice of every other form ("Choose the status from the list"),
        on the page and in the API's 400 alike."""
        form_class = super().get_form_class()
        return type(form_class.__name__, (NamedErrors, form_class), {"plain_text_only": False})

    @property
    def form(self):
        if not hasattr(self, "_form"):
            self.prepare_form(super().form)
        return self._form

    def prepare_form(self, form: forms.Form) -> None:
        """For a FilterSet that words its choices on the page differently from the records' own names."""

    def chosen(self) -> dict:
        """What each filter narrows by: the valid values given, and the page's default where the value given is not
        valid."""
        if not self.is_bound:
            return {}
        errors = self.form.errors  # validates the form, which fills cleaned_data with the valid values
        values = dict(self.form.cleaned_data)
        for name, value in self.defaults.items():
            if name in errors and name in self.filters:
                values[name] = self.filters[name].field.clean(value)
        return values

    def filter_queryset(self, queryset: QuerySet, *, leaving_out=()) -> QuerySet:
        for name, value in self.chosen().items():
            if name not in leaving_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def qs_without(self, *names: str) -> QuerySet:
        """The records as every filter but these narrows them: for the counts beside a page's links to each state."""
        return self.filter_queryset(self.queryset.all(), leaving_out=names)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """One record, from those the FilterSet's method named by `offered` returns: what the reader may choose. Another
    partnership's id is refused ("Choose a work-stream from the list"), not quietly matched against nothing."""

    def __init__(self, *args, offered: str, **kwargs):
        self.offered = offered
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        return getattr(self.parent, self.offered)()


class YesNoField(forms.ChoiceField):
    """A select of "Any" and "Yes" (and "No", if the page offers it) on the page; the API's `true` and `false` too.
    Cleans to True, False or None (no filter)."""

    TRUE = frozenset({"yes", "true", "1"})
    FALSE = frozenset({"no", "false", "0"})

    def __init__(self, *, any_label: str = ANY, yes_label: str = "Yes", no_label: str | None = None, **kwargs):
        choices = [("", any_label), ("yes", yes_label), *([("no", no_label)] if no_label else [])]
        super().__init__(choices=choices, **kwargs)
        if self.label and "invalid_choice" not in (kwargs.get("error_messages") or {}):
            self.error_messages["invalid_choice"] = f"{self.label} must be yes or no"

    def to_python(self, value):
        value = super().to_python(value).strip().lower()
        if value in self.TRUE:
            return True
        if value in self.FALSE:
            return False
        if value:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return None

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class YesNoFilter(django_filters.BooleanFilter):
    """Narrows to the records where it holds (`yes`, `true`) or where it does not (`no`, `false`). The API's schema
    shows it as a boolean."""

    field_class = YesNoField


class OneOrMoreSelect(forms.Select):
    """A plain select on the page, which also reads a parameter the API repeats (`?status=open&status=closed`)."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)


class OneOrMoreField(forms.MultipleChoiceField):
    """The page's select of one choice, or "Any" (`empty_label`, left out when None); cleans to the chosen values."""

    widget = OneOrMoreSelect

    def __init__(self, *, choices, empty_label: str | None = ANY, **kwargs):
        super().__init__(choices=[*([("", empty_label)] if empty_label is not None else []), *choices], **kwargs)

    def to_python(self, value):
        value = [value] if isinstance(value, str) else value
        return [choice for choice in super().to_python(value) if choice != ""]


class OneOrMoreFilter(django_filters.MultipleChoiceFilter):
    """Records with any of the chosen values. The API's schema lists the choices as an array."""

    field_class = OneOrMoreField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class PeriodForm(forms.Form):
    """The form of a list filtered by a period (`Meta.form` of its FilterSet): "to" may not come before "from".
    `period` names the two date filters; a FilterSet whose filters have other names subclasses it."""

    period = ("start", "end")

    def clean(self):
        cleaned = super().clean()
        start, end = (cleaned.get(name) for name in self.period)
        if start and end and start > end:
            self.add_error(self.period[1], "The 'to' date must be the same as or after the 'from' date.")
        return cleaned


class DateFilter(django_filters.DateFilter):
    """A date in the NHS.UK date input on the page, or an ISO date (`2027-03-27`) from the API and from links."""

    field_class = DateInputField
