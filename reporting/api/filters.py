"""The filters of the dashboard's list of people's attendance, which only the page offers: the API gives the same
figures in `/api/v1/dashboards/<code>/`, not person by person. The dashboard's lists of actions and agenda items use
the FilterSets of `/api/v1/actions/` and `/api/v1/agenda-items/` (workstreams.api.filters)."""

from core.filters import ModelChoiceFilter, RegisterFilterSet, YesNoFilter
from partnerships.access import organisations_of
from workstreams.api.filters import NO_ORGANISATION

from ..selectors.dashboard_health import persistently_absent


class AttendanceFilter(RegisterFilterSet):
    """People's attendance over the year (`selectors.dashboard_lists.people_attendance`), by organisation, and those
    persistently absent."""

    page_filters = ("organisation", "absent")

    organisation = ModelChoiceFilter(
        offered="organisations",
        field_name="organisation",
        empty_label="Any",
        null_label="No organisation recorded",
        null_value=NO_ORGANISATION,
        label="Organisation",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    # For "yes" only: "no" (everyone) leaves the list as it is.
    absent = YesNoFilter(
        method="filter_absent",
        label="Persistently absent only",
        any_label="Everyone",
        yes_label="Persistently absent",
        error_messages={"invalid_choice": "Choose everyone or persistently absent"},
    )

    def organisations(self):
        return organisations_of(self.partnership).order_by("name")

    def filter_absent(self, queryset, name, value):
        return persistently_absent(queryset) if value else queryset
